#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot msilab under QEMU in one configuration and check its report.

    harness.py CONFIG          run, check, print TAP for prove (tests/qemu/*.t)
    harness.py CONFIG tests=G  the same with the command line's tests= replaced by G
                               (make mutate: one test of a configuration)
    harness.py --run [CMDLINE] OVMF + the .efi, serial console on stdout (make run);
                               each run's log kept as build/run/DATE-TIME-NAME.log
    harness.py --run CMDLINE --config CONFIG
                               the same on a configuration, CMDLINE's options in place
                               of its own (make run CONFIG=amd-xapic ARGS="tests=iommu.*")
    harness.py --bench         boot times and the -icount latency figures (make bench)
    harness.py --soak DURATION every source in turn for DURATION (make soak)
    harness.py --list          list the configurations (make configs)

The firmware's own test points are passed through (renumbered, prefixed
with the configuration), followed by the harness's checks of the stream:
valid TAP, plan and done line agree with the points, the exit status agrees,
the expected tests ran, every YAML block parses (PyYAML). Each run leaves
build/qemu/CONFIG/{serial.log,serial.log.cmd,qemu.stderr,summary.json}
(serial.log.cmd: the QEMU command, for tools/report.py). QEMU=path picks another QEMU binary and
QEMU_ARGS adds arguments (e.g. -L DIR for its firmware files). A configuration with
qemu = "model" runs the QEMU that qemu/build.sh built with the DSA/IAA model,
build/qemu-model/qemu-system-x86_64 (QEMU_MODEL=path picks another); without it the
configuration is not ok, never skipped.
"""
import fnmatch
import json
import os
import re
import select
import socket
import shlex
import shutil
import subprocess
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
QEMU_ARGS = shlex.split(os.environ.get("QEMU_ARGS", ""))   # e.g. -L for another QEMU's data
QEMU_MODEL = os.environ.get("QEMU_MODEL", os.path.join(BUILD, "qemu-model", "qemu-system-x86_64"))
OVMF = ["/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd"]

CONFIG_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs.toml")


def load_configs():
    """tests/qemu/configs.toml: the device sets, the configurations and the
    bench settings. Each configuration's device sets are expanded into its
    QEMU arguments."""
    with open(CONFIG_FILE, "rb") as f:
        data = tomllib.load(f)
    devices = data.pop("devices")
    bench_cfg = data.pop("bench")
    for name, cfg in data.items():
        cfg["extra"] = sum((devices[d] for d in cfg.get("devices", [])), []) + cfg.get("extra", [])
        cfg.setdefault("cmdline", None)
        for key in ("expect", "qemu7_expect"):
            cfg[key] = {t: tuple(v) for t, v in cfg.get(key, {}).items()}
    return data, devices, bench_cfg


CONFIGS, DEVICES, BENCH = load_configs()

LIST_RE = re.compile(r'^# test (\S+)\.(\S+) (default|manual) needs="([^"]*)" budget_ms=(\d+) file=(\S+)$')


def firmware_tests():
    """The firmware's own list of tests (tests=list), in report order:
    [(suite, name, manual)]. Read once per build of msilab.elf and kept in
    build/qemu/tests.list."""
    elf = os.path.join(BUILD, "msilab.elf")
    cache = os.path.join(BUILD, "qemu", "tests.list")
    if not (os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(elf)):
        cfg = dict(CONFIGS["registry"], extra=[])
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        lines, _, _ = boot(qemu_command("registry", cfg, "stdio"), 60, cache + ".log")
        tmp = cache + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(l for l in lines if LIST_RE.match(l)) + "\n")
        os.replace(tmp, cache)
    out = []
    for line in open(cache):
        m = LIST_RE.match(line.rstrip("\n"))
        if m:
            out.append((m.group(1), m.group(2), m.group(3) == "manual"))
    return out


def selected(tests, cmdline):
    """The tests a command line's tests= selects, by the firmware's rule
    (lib/glob.c): a glob over suite.name; a manual test only by a glob that
    names its suite."""
    globs = "*"
    for opt in (cmdline or "").split():
        if opt.startswith("tests="):
            globs = opt[len("tests="):]
    out = []
    for suite, name, manual in tests:
        full = suite + "." + name
        for g in filter(None, globs.split(",")):
            if fnmatch.fnmatchcase(full, g) and (not manual or g.startswith(suite + ".")):
                out.append(full)
                break
    return out


def ovmf():
    for p in OVMF:
        if os.path.exists(p):
            return p
    sys.exit("harness: OVMF not found (apt-get install ovmf)")


def many_functions(spec):
    """QEMU arguments for a server-sized PCI hierarchy: `bridges` PCIe-to-PCI
    bridges, each with `slots` slots of `functions` multifunction devices;
    or `root_ports` PCIe root ports on bus 0 (8 functions to a slot from
    slot 1, each its own bus) with a `device` behind each."""
    if not spec:
        return []
    out = []
    for p in range(spec.get("root_ports", 0)):
        slot, fn = 1 + p // 8, p % 8
        out += ["-device", "pcie-root-port,id=rp%d,bus=pcie.0,chassis=%d,addr=0x%x.%d%s" % (
            p, p + 1, slot, fn, ",multifunction=on" if fn == 0 else ""),
            "-device", "%s,bus=rp%d" % (spec["device"], p)]
    if "root_ports" in spec:
        return out
    for b in range(spec["bridges"]):
        out += ["-device", "pcie-pci-bridge,id=mf%d,bus=pcie.0" % b]
        for s in range(1, spec["slots"] + 1):
            for f in range(spec["functions"]):
                out += ["-device", "%s,bus=mf%d,addr=0x%x.%d%s" % (
                    spec["device"], b, s, f, ",multifunction=on" if f == 0 else "")]
    return out


def qemu_command(name, cfg, serial):
    """The QEMU command line for a configuration; serial is a -serial value."""
    accel = ["-accel", "kvm"] if cfg.get("accel") == "kvm" else []
    cmd = [QEMU] + QEMU_ARGS + accel + ["-M", cfg.get("machine", "q35"), "-cpu", cfg.get("cpu", "max"),
           "-m", "512", "-smp", str(cfg.get("smp", 1)),
           "-display", "none", "-no-reboot", "-net", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if cfg.get("serial_port", 0) == 1:
        com1 = os.path.join(BUILD, "qemu", name, "com1.log")
        cmd += ["-serial", "file:" + com1, "-serial", serial]
    else:
        cmd += ["-serial", serial]
    # Tables of our own (tests/qemu/spcr.py, dmar.py, ivrs.py) added with -acpitable.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import dmar
    import ivrs
    import spcr
    for key, make in (("acpitable", spcr.spcr), ("dmar", dmar.dmar), ("ivrs", ivrs.ivrs)):
        if key not in cfg:
            continue
        path = os.path.join(BUILD, "qemu", name, key + ".bin")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(make(**cfg[key]))
        cmd += ["-acpitable", "file=" + path]
    cmd += cfg.get("extra", []) + many_functions(cfg.get("many_functions"))
    if qemu_major() >= 10:
        cmd += cfg.get("qemu10_extra", [])
    boot = cfg["boot"]
    if boot == "kernel":
        cmd += ["-kernel", os.path.join(BUILD, "msilab.elf"), "-append", cfg["cmdline"] or ""]
    elif boot == "ovmf-kernel":
        cmd += ["-bios", ovmf(), "-kernel", os.path.join(BUILD, "msilab.efi"),
                "-append", cfg["cmdline"] or ""]
    elif boot == "ovmf-fat":
        esp = os.path.join(BUILD, "qemu", name, "esp")
        os.makedirs(os.path.join(esp, "EFI", "BOOT"), exist_ok=True)
        shutil.copy(os.path.join(BUILD, "msilab.efi"), os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"))
        cmd += ["-bios", ovmf(),
                "-drive", "file=fat:%s,format=raw,if=virtio,readonly=on" % esp]
    elif boot in ("ovmf-grub", "bios-grub"):
        if boot == "ovmf-grub":
            cmd += ["-bios", ovmf()]
        cmd += ["-device", "qemu-xhci,id=xhci",
                "-drive", "if=none,id=stick,format=raw,readonly=on,file=%s"
                % os.path.join(BUILD, "msilab.iso"),
                "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=1"]
    else:
        raise ValueError(boot)
    return cmd


# The firmware prints TAP version 13 (docs/report-format.md); logs of
# earlier builds say 14, and report.py and compare.py still read them.
TAP_RE = re.compile(r"^TAP version (13|14)$")
# A row of the summary before the plan (tests/harness/report.c).
SUMMARY_RE = re.compile(r"^# summary: (\S+) +(\S+) +(ns|cycles) +(\d+) +(\d+) +(\d+) +(\d+) +(-|\d+)$")
TEST_RE = re.compile(r"^(ok|not ok) (\d+) - (\S+)(?: # (SKIP|timeout|machine check)\b ?(.*))?$")


def parse(lines):
    """Split the firmware's TAP stream into its parts."""
    r = dict(version=None, header=None, header_fields={}, tests=[], plan=None,
             done=None, bailout=None, warnings=[], junk_before=0, errors=[], summary=[])
    start = None
    for i, line in enumerate(lines):
        m = TAP_RE.match(line)
        if m:
            start = i
            break
    if start is None:
        r["errors"].append("no 'TAP version 13' line")
        return r
    r["version"] = int(m.group(1))
    r["junk_before"] = start
    cur = None
    in_yaml = False
    for line in lines[start + 1:]:
        if in_yaml:
            if line == "  ...":
                in_yaml = False
            elif cur is not None:
                cur["yaml"].append(line[2:])
            continue
        if line == "  ---":
            in_yaml = True
            continue
        m = TEST_RE.match(line)
        if m:
            status = m.group(1)
            if m.group(4) == "SKIP":
                status = "skip"
            cur = dict(num=int(m.group(2)), name=m.group(3), status=status,
                       directive=m.group(4), reason=m.group(5) or "", yaml=[])
            r["tests"].append(cur)
            continue
        if line.startswith("# msilab done:"):
            r["done"] = line
        elif line.startswith("# msilab "):
            r["header"] = line
            for k, v in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line):
                r["header_fields"][k] = v[1:-1] if v.startswith('"') else v
        elif SUMMARY_RE.match(line):
            m = SUMMARY_RE.match(line)
            r["summary"].append(dict(test=m.group(1), label=m.group(2), unit=m.group(3),
                                     p50=int(m.group(4)), p99=int(m.group(5)), max=int(m.group(6)),
                                     samples=int(m.group(7)),
                                     lost=None if m.group(8) == "-" else int(m.group(8))))
        elif line.startswith("# warning: "):
            r["warnings"].append(line[len("# warning: "):])
        elif re.match(r"^1\.\.\d+( # SKIP .*)?$", line):
            r["plan"] = int(line[3:].split()[0])
        elif line.startswith("Bail out!"):
            r["bailout"] = line
    return r


def yaml_fields(yaml_lines):
    """The 'key: value' pairs of a YAML block (numbers as int, the rest as
    text). A nested figure's keys come out as 'figure.key'."""
    out, parent = {}, None
    for line in yaml_lines:
        m = re.match(r"^(\s*)(\w+):(?: (.*))?$", line)
        if not m:
            continue
        indent, key, v = m.groups()
        if not indent:
            parent = key if v is None else None
        elif parent:
            key = parent + "." + key
        if v is not None:
            out[key] = int(v) if re.fullmatch(r"-?\d+", v) else v.strip('"')
    return out


def yaml_blocks(lines):
    """Every YAML block of the report (after its 'TAP version' line), whichever
    line it follows: [(the line before its '  ---', first line number,
    text, closed)]. closed is False for a block the log ends inside."""
    out, start, block, before = [], None, None, None
    for i, line in enumerate(lines):
        if start is None:
            if TAP_RE.match(line):
                start = i
            continue
        if block is not None:
            if line == "  ...":
                out.append((before, block[0], "\n".join(block[1]), True))
                block = None
            else:
                block[1].append(line[2:] if line.startswith("  ") else line)
            continue
        if line == "  ---":
            block = (i + 2, [])
        elif line.strip():
            before = line
    if block is not None:
        out.append((before, block[0], "\n".join(block[1]), False))
    return out


def yaml_errors(lines):
    """What PyYAML says of each YAML block that does not parse (or that the
    log ends inside): a list of lines for a diagnostic, empty when every
    block parses. Without PyYAML, the one line that says so."""
    try:
        import yaml
    except ImportError:
        return ["PyYAML is not installed (Debian: apt-get install python3-yaml)"]
    out = []
    for before, first, text, closed in yaml_blocks(lines):
        where = "the block after %r (serial log line %d)" % ((before or "")[:80], first)
        if not closed:
            out.append("%s: the log ends before its '  ...'" % where)
            continue
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as e:
            out.append("%s: %s" % (where, " ".join(str(e).split())))
    return out


INV_RE = re.compile(r"^# pci (\S+) \[([0-9a-f]{4}):([0-9a-f]{4})\] class (\S+) up=(\S+)(.*)$")


def parse_inventory(lines):
    """The '# pci' lines: {bdf: {id, class, up, rest}}, and the BDFs seen twice."""
    inv, dup = {}, []
    for line in lines:
        m = INV_RE.match(line)
        if not m:
            continue
        bdf = m.group(1)
        if bdf in inv:
            dup.append(bdf)
        inv[bdf] = dict(id="%s:%s" % (m.group(2), m.group(3)), cls=m.group(4), up=m.group(5),
                        rest=m.group(6))
    return inv, dup


def check_topology(parsed):
    """What the pci-topology configuration gave QEMU, against the inventory."""
    inv, dup = parsed
    EDU, E1000E, RP, UP, DN, PXB = "1234:11e8", "8086:10d3", "1b36:000c", "104c:8232", "104c:8233", "1b36:000b"
    count = lambda i: sum(1 for d in inv.values() if d["id"] == i)
    chain = lambda bdf: [] if bdf == "root" or bdf not in inv else [inv[bdf]["id"]] + chain(inv[bdf]["up"])
    out = [(not dup, "inventory lists every function once", ["twice: " + ", ".join(dup)])]
    want = {EDU: 5, E1000E: 1, RP: 3, UP: 1, DN: 2, PXB: 1}
    got = {k: count(k) for k in want}
    out.append((got == want, "inventory has the devices given to QEMU (%s)" %
                ", ".join("%s x%d" % kv for kv in want.items()), ["found %s" % got]))
    nic = [b for b, d in inv.items() if d["id"] == E1000E]
    out.append((bool(nic) and chain(inv[nic[0]]["up"]) == [DN, UP, RP],
                "e1000e sits below a switch downstream port, its upstream port and a root port",
                ["chain %s" % (chain(inv[nic[0]]["up"]) if nic else None)]))
    pxb_edu = [b for b, d in inv.items() if d["id"] == EDU and int(b.split(":")[1], 16) >= 0x80]
    out.append((len(pxb_edu) == 1 and chain(inv[pxb_edu[0]]["up"]) == [RP] and
                inv[inv[pxb_edu[0]]["up"]]["up"] == "root",
                "an edu on the pxb-pcie root bus range (>= 0x80), below a root port on that root bus",
                ["found %s" % pxb_edu]))
    out.append((inv.get("0000:00:06.0", {}).get("id") == EDU and inv.get("0000:00:06.1", {}).get("id") == EDU,
                "multifunction slot 00:06 has functions 0 and 1", []))
    out.append((all("error=" not in d["rest"] for d in inv.values()), "no function reports an error",
                [b + d["rest"] for b, d in inv.items() if "error=" in d["rest"]]))
    return out


class Tap:
    """TAP points on stdout. A failure's line and diagnostics also go to
    stderr unless prove is verbose (it sets HARNESS_IS_VERBOSE), so that a
    quiet `make test` in CI says which test failed and why, not only its
    number."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.stderr = not os.environ.get("HARNESS_IS_VERBOSE")

    def point(self, ok, desc, diag=(), directive=None):
        self.n += 1
        self.failed += 0 if ok else 1
        d = " # " + directive if directive else ""
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, desc, d))
        for line in diag if not ok else ():
            print("# %s" % line)
        if not ok and self.stderr:
            print("# not ok %d - %s" % (self.n, desc), file=sys.stderr)
            for line in diag:
                print("#   %s" % line, file=sys.stderr)
        sys.stdout.flush()


def qemu_version():
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
        return out.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


class Monitor:
    """QEMU's human monitor on a unix socket: each action's command is sent
    once, when a serial line first matches its `after` pattern."""

    def __init__(self, path, actions):
        self.path, self.actions, self.sock = path, list(actions), None
        self.sent = []

    def line(self, text):
        for a in self.actions:
            if a not in self.sent and re.search(a["after"], text):
                if self.sock is None:
                    self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self.sock.connect(self.path)
                self.sock.sendall((a["command"] + "\n").encode())
                self.sent.append(a)

    def close(self):
        if self.sock:
            self.sock.close()


def kvm_stopped(errpath):
    """QEMU's line when KVM stopped the guest ("KVM internal error ...":
    QEMU then pauses the VM and waits, so nothing more would come), else
    None."""
    try:
        with open(errpath, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    m = re.search(r"^KVM internal error.*$", text, re.M)
    return m and "QEMU stopped: %s (the rest in %s)" % (m.group(0).strip(), errpath)


def boot(cmd, timeout, log, monitor=None):
    """Run QEMU with the serial console on a pipe. Returns the serial lines,
    the exit status (None on timeout) and when (seconds after start) the
    TAP line, the first test point and the done line arrived. A Monitor
    sees every line and sends its commands."""
    t0 = time.monotonic()
    marks = {}
    chunks = []
    # The command beside the log: tools/report.py reads -icount and -accel
    # from it (the firmware cannot tell -icount from inside).
    with open(log + ".cmd", "w") as f:
        f.write(shlex.join(cmd) + "\n")
    errpath = os.path.join(os.path.dirname(log), "qemu.stderr")
    with open(errpath, "w") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        pending = b""
        while True:
            left = t0 + timeout - time.monotonic()
            stuck = kvm_stopped(errpath) if left > 0 else None
            if left <= 0 or stuck:
                p.kill()
                p.wait()
                status = None
                marks["stopped"] = stuck or "timed out after %d s" % timeout
                break
            r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if not r:
                continue
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                status = p.wait()
                break
            chunks.append(data)
            pending += data
            now = time.monotonic() - t0
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if monitor:
                    monitor.line(line.decode("utf-8", "replace"))
                if TAP_RE.match(line.decode("utf-8", "replace")):
                    marks.setdefault("tap", now)
                elif TEST_RE.match(line.decode("utf-8", "replace")):
                    marks.setdefault("first_point", now)
                elif line.startswith(b"# msilab done:"):
                    marks.setdefault("done", now)
    if monitor:
        monitor.close()
    raw = b"".join(chunks)
    with open(log, "wb") as f:
        f.write(raw)
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    marks["exit"] = time.monotonic() - t0
    return [l.rstrip("\r") for l in text.split("\n")], status, marks


def fmt_mark(marks, key):
    return "%.2f" % marks[key] if key in marks else "-"


def qemu_major():
    m = re.search(r"version (\d+)\.", qemu_version())
    return int(m.group(1)) if m else 0


def kvm_unusable():
    """Why QEMU cannot use KVM here, or None: /dev/kvm must open and QEMU
    must start an empty KVM machine (a nested host may list /dev/kvm and
    still refuse); QEMU stays up, paused, until the probe ends it."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "/dev/kvm is absent or not accessible"
    cmd = [QEMU] + QEMU_ARGS + ["-accel", "kvm", "-M", "none", "-display", "none", "-nodefaults",
                               "-monitor", "none", "-serial", "none", "-S"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=3)
    except subprocess.TimeoutExpired:
        return None
    return "QEMU could not start a KVM machine: %s" % (out.stderr.strip().splitlines() or ["?"])[-1]


def with_tests(cmdline, globs):
    """A command line with its tests= option replaced (or added)."""
    opts = [o for o in (cmdline or "").split() if not o.startswith("tests=")]
    return " ".join(opts + ["tests=" + globs])


def use_model_qemu(cfg):
    """A configuration with qemu = "model" runs the QEMU built with the
    DSA/IAA model (qemu/build.sh): switch to it, or say why it cannot run."""
    global QEMU
    if cfg.get("qemu") != "model":
        return None
    if not os.access(QEMU_MODEL, os.X_OK):
        return "the model's QEMU %s is missing (qemu/build.sh builds it)" % QEMU_MODEL
    QEMU = QEMU_MODEL
    # Built without firmware blobs (qemu/build.sh): Debian's, as docs/qemu.md says.
    for d in ("/usr/share/qemu", "/usr/share/seabios"):
        if os.path.isdir(d) and d not in QEMU_ARGS:
            QEMU_ARGS.extend(["-L", d])
    if qemu_version() == "unknown":
        return "the model's QEMU %s does not start" % QEMU_MODEL
    return None


def run_check(name, timeout, tests=None):
    cfg = CONFIGS[name]
    if tests is not None:
        cfg = dict(cfg, cmdline=with_tests(cfg["cmdline"], tests))
    why = use_model_qemu(cfg)
    if why:
        print("1..1\nnot ok 1 - %s: %s" % (name, why))
        return 1
    if qemu_major() < cfg.get("min_qemu", 0):
        print("1..0 # SKIP %s needs QEMU %d (%s)" % (name, cfg["min_qemu"], qemu_version()))
        return 0
    if cfg.get("accel") == "kvm":
        why = kvm_unusable()
        if why:
            print("1..0 # SKIP %s needs KVM: %s" % (name, why))
            return 0
    outdir = os.path.join(BUILD, "qemu", name)
    os.makedirs(outdir, exist_ok=True)
    log = os.path.join(outdir, "serial.log")
    for old in ("com1.log",):
        if os.path.exists(os.path.join(outdir, old)):
            os.unlink(os.path.join(outdir, old))
    cmd = qemu_command(name, cfg, "stdio")
    monitor = None
    if cfg.get("monitor"):
        sock = os.path.join(outdir, "monitor.sock")
        if os.path.exists(sock):
            os.unlink(sock)
        cmd += ["-monitor", "unix:%s,server=on,wait=off" % sock]
        monitor = Monitor(sock, cfg["monitor"])
    lines, status, marks = boot(cmd, timeout, log, monitor)
    timed_out = status is None
    wall = marks["exit"]
    rep = parse(lines)

    print("TAP version 13")
    print("# %s: %s" % (name, cfg["doc"]))
    print("# %s" % qemu_version())
    print("# %s" % shlex.join(cmd))
    print("# wall %.2f s (TAP line %s s, first test point %s s, done line %s s), exit status %s%s"
          % (wall, fmt_mark(marks, "tap"), fmt_mark(marks, "first_point"), fmt_mark(marks, "done"),
             status, " (%s)" % marks["stopped"] if timed_out else ""))
    tap = Tap()
    old_qemu = qemu_major() < 10
    expect = dict(cfg.get("expect", {}), **(cfg.get("qemu7_expect", {}) if old_qemu else {}))
    for t in rep["tests"]:
        fields = yaml_fields(t["yaml"])
        diag = ["%s: %s" % (k, v) for k, v in fields.items() if k in ("message", "also")]
        desc = "%s: %s" % (name, t["name"])
        if t["name"] in expect:
            want, pattern = expect[t["name"]]
            text = " ".join([t["reason"], t["directive"] or ""] + t["yaml"])
            ok = t["status"] in want.split("|") and (pattern is None or re.search(pattern, text))
            tap.point(ok, "%s is %s as expected" % (desc, want),
                      [] if ok else ["got %s: %s" % (t["status"], text)])
        elif t["status"] == "skip":
            tap.point(True, desc, directive="SKIP " + t["reason"])
        else:
            tap.point(t["status"] == "ok", desc, diag)

    # The harness's own checks of the stream.
    tap.point(rep["version"] == 13 and not rep["errors"], "%s: report starts with 'TAP version 13'" % name,
              rep["errors"] or ["found 'TAP version %s' (prove 3.44 reads 13 at most)" % rep["version"]])
    hf = rep["header_fields"]
    tap.point(rep["header"] is not None and all(k in hf for k in ("boot", "cpus", "tsc_hz", "tsc_source",
                                                                "tsc_invariant", "cmdline")),
              "%s: header line names boot, cpus, tsc_hz, tsc_source, tsc_invariant, cmdline" % name, [str(rep["header"])])
    tap.point(hf.get("boot") == cfg["loader"], "%s: header says boot=%s" % (name, cfg["loader"]),
              ["header boot=%s" % hf.get("boot")])
    want_header = cfg.get("qemu7_header" if old_qemu and "qemu7_header" in cfg else "header", {})
    for k, v in want_header.items():
        tap.point(hf.get(k) == v, "%s: header says %s=%s" % (name, k, v), ["header %s=%s" % (k, hf.get(k))])
    if cfg["cmdline"] is not None:
        tap.point(hf.get("cmdline") == cfg["cmdline"], "%s: header echoes the command line" % name,
                  ["passed %r, header %r" % (cfg["cmdline"], hf.get("cmdline"))])
    if cfg.get("bailout"):     # the run must stop at once, saying why
        tap.point(rep["bailout"] is not None and re.search(cfg["bailout"], rep["bailout"]) is not None,
                  "%s: Bail out! /%s/" % (name, cfg["bailout"]), [str(rep["bailout"])])
        tap.point(status == 3 and not rep["tests"],
                  "%s: no test ran, QEMU exit status %s (isa-debug-exit 1)" % (name, status))
        bad_yaml = yaml_errors(lines)
        tap.point(not bad_yaml, "%s: every YAML block parses (PyYAML)" % name, bad_yaml)
        print("1..%d" % tap.n)
        return 0
    nums = [t["num"] for t in rep["tests"]]
    tap.point(rep["plan"] is not None and rep["plan"] == len(nums) and nums == list(range(1, len(nums) + 1)),
              "%s: plan 1..%s matches %d test points numbered in order" % (name, rep["plan"], len(nums)))
    counts = dict(passed=sum(t["status"] == "ok" for t in rep["tests"]),
                  failed=sum(t["status"] == "not ok" for t in rep["tests"]),
                  skipped=sum(t["status"] == "skip" for t in rep["tests"]))
    want_done = "# msilab done: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % counts
    tap.point(rep["done"] == want_done, "%s: done line agrees with the points" % name,
              ["expected %r, got %r" % (want_done, rep["done"])])
    if "exit_status" in cfg:    # the guest left another way (exit=reboot)
        tap.point(status == cfg["exit_status"] and rep["done"] is not None,
                  "%s: QEMU exit status %s, as %s expects" % (name, status, cfg["exit_status"]),
                  [marks["stopped"]] if timed_out else [])
    else:
        want_status = 3 if counts["failed"] else 1
        tap.point(status == want_status and rep["done"] is not None,
                  "%s: QEMU exit status %s agrees (isa-debug-exit %d)"
                  % (name, status, want_status >> 1),
                  [marks["stopped"]] if timed_out else [])
    tap.point(rep["bailout"] is None, "%s: no Bail out!" % name, [str(rep["bailout"])])
    check_summary(tap, name, rep)
    bad_yaml = yaml_errors(lines)
    tap.point(not bad_yaml, "%s: every YAML block parses (PyYAML)" % name, bad_yaml)
    if cfg.get("list"):
        check_list(tap, name, lines, rep)
    else:
        want_tests = selected(firmware_tests(), cfg["cmdline"])
        ran = [x["name"] for x in rep["tests"]]
        if cfg.get("stops"):    # the run ends early by design: what ran is a prefix
            tap.point(ran == want_tests[:len(ran)] and len(ran) < len(want_tests),
                      "%s: the run stopped early, after tests in the registry's order" % name,
                      ["ran %s" % ran, "expected a prefix of %s" % want_tests])
        else:
            missing = [t for t in want_tests if t not in ran]
            tap.point(not missing and ran == want_tests,
                      "%s: the tests tests= selects ran, in the registry's order" % name,
                      ["missing: " + ", ".join(missing)] if missing else
                      ["ran %s" % ran, "expected %s" % want_tests])
    if cfg.get("inventory") == "topology":
        for ok, desc, diag in check_topology(parse_inventory(lines)):
            tap.point(ok, "%s: %s" % (name, desc), diag)
    if cfg.get("serial_port", 0) == 1:
        com1 = os.path.join(outdir, "com1.log")
        quiet = not os.path.exists(com1) or "TAP version" not in open(com1, errors="replace").read()
        tap.point(quiet, "%s: nothing of the report on COM1" % name)
    for w in cfg.get("warnings", []):
        tap.point(any(re.search(w, x) for x in rep["warnings"]), "%s: warning /%s/ printed" % (name, w),
                  rep["warnings"])
    for w in cfg.get("qemu7_lines" if old_qemu and "qemu7_lines" in cfg else "lines", []):
        tap.point(any(re.search(w, x) for x in lines), "%s: a line /%s/ printed" % (name, w))
    print("1..%d" % tap.n)
    if tap.failed and tap.stderr:
        print("# %s: the whole console is in %s" % (name, log), file=sys.stderr)

    summary = dict(config=name, doc=cfg["doc"], qemu=qemu_version(), command=cmd,
                   wall_seconds=round(wall, 3),
                   seconds_to={k: round(v, 3) for k, v in marks.items() if k != "stopped"},
                   exit_status=status, timed_out=timed_out, stopped=marks.get("stopped"),
                   header=rep["header"], header_fields=hf, warnings=rep["warnings"],
                   plan=rep["plan"], done=rep["done"], counts=counts, bailout=rep["bailout"],
                   harness_points=tap.n, harness_failed=tap.failed,
                   tests=[dict(num=t["num"], name=t["name"], status=t["status"],
                               reason=t["reason"], fields=yaml_fields(t["yaml"]), yaml=t["yaml"])
                          for t in rep["tests"]])
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


def figures(rep):
    """Every latency figure of the YAML blocks, as the summary shows it:
    {(test, label or "-"): (p50, p99, max, samples, lost or None)}."""
    out = {}
    for t in rep["tests"]:
        f = yaml_fields(t["yaml"])
        for key in f:
            if key == "p50" or key.endswith(".p50"):
                pre = key[:-3]
                g = lambda k: f.get(pre + k)  # noqa: E731
                out[(t["name"], pre[:-1] or "-")] = (g("p50"), g("p99"), g("max"), g("samples"),
                                                     g("lost"))
    return out


def check_summary(tap, name, rep):
    """The summary before the plan: one row per latency figure of the YAML
    blocks, with the same numbers, in report order."""
    want = figures(rep)
    got = {(r["test"], r["label"]): (r["p50"], r["p99"], r["max"], r["samples"], r["lost"])
           for r in rep["summary"]}
    if not want and not got:
        return
    diff = ["%s %s: YAML %s, summary %s" % (k + (want.get(k), got.get(k)))
            for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
    tap.point(not diff and len(got) == len(rep["summary"]),
              "%s: the summary has a row per latency figure (%d), as the YAML blocks say" % (name, len(want)),
              diff[:10])


def check_list(tap, name, lines, rep):
    """tests=list: one line per test, each name once, in suites that run
    contiguously, no registry warning; every configuration has its .t."""
    listed = [LIST_RE.match(l) for l in lines if l.startswith("# test ")]
    names = [m.group(1) + "." + m.group(2) for m in listed if m]
    tap.point(listed and all(listed), "%s: every '# test' line is well formed" % name,
              [l for l in lines if l.startswith("# test ") and not LIST_RE.match(l)])
    tap.point(len(names) == len(set(names)), "%s: %d tests, each name once" % (name, len(names)))
    suites = [n.split(".")[0] for n in names]
    runs = [s for i, s in enumerate(suites) if i == 0 or suites[i - 1] != s]
    tap.point(len(runs) == len(set(runs)), "%s: each suite's tests are contiguous" % name,
              ["suites in order: %s" % runs])
    bad = [w for w in rep["warnings"] if w.startswith("registry:")]
    tap.point(not bad, "%s: no registry warning" % name, bad)
    here = os.path.dirname(os.path.abspath(__file__))
    t_files = {f[:-2] for f in os.listdir(here) if f.endswith(".t")}
    tap.point(t_files == set(CONFIGS), "%s: tests/qemu has one .t per configuration" % name,
              ["without a .t: %s" % sorted(set(CONFIGS) - t_files),
               "without a configuration: %s" % sorted(t_files - set(CONFIGS))])


def merged_cmdline(base, args):
    """A configuration's command line with ARGS's options in place of its
    own of the same key (the rest kept, ARGS's after them)."""
    keys = {w.split("=", 1)[0] for w in args.split()}
    return " ".join([w for w in (base or "").split() if w.split("=", 1)[0] not in keys] + args.split())


def run_log(name):
    """build/run/DATE-TIME-NAME.log, a new one per run, and build/run/serial.log
    pointing at it (make report's default: the newest run)."""
    rundir = os.path.join(BUILD, "run")
    os.makedirs(rundir, exist_ok=True)
    log = os.path.join(rundir, "%s-%s.log" % (time.strftime("%Y%m%d-%H%M%S"), name))
    link = os.path.join(rundir, "serial.log")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.basename(log), link)
    return log


def run_live(cmdline, config=None):
    """make run: OVMF loads the .efi with the given command line on a q35
    with two CPUs, an intel-iommu doing interrupt remapping and every
    interrupt source; the serial console goes straight to stdout. With
    CONFIG, that configuration of configs.toml instead, its command line
    with these options in place of its own."""
    new = qemu_major() >= 10
    if config is None:
        name = "run"
        cfg = dict(CONFIGS["ovmf-kernel"], cmdline=cmdline, smp=2,
                   cpu="max,+x2apic" if new else "max",
                   extra=DEVICES["ir-eim-on" if new else "ir-eim-off"] +
                   (["-device", "igb,romfile="] if new else []))
    elif config not in CONFIGS:
        print("harness: no configuration %r; make configs (harness.py --list) names them" % config,
              file=sys.stderr)
        return 2
    else:
        name = config
        cfg = dict(CONFIGS[config], cmdline=merged_cmdline(CONFIGS[config]["cmdline"], cmdline))
        if cfg["boot"] == "ovmf-fat" and cmdline:
            print("harness: %s boots BOOTX64.EFI with no command line: ARGS are not passed" % config,
                  file=sys.stderr)
        if qemu_major() < cfg.get("min_qemu", 0):
            print("harness: %s needs QEMU %d (%s): it may not boot" % (config, cfg["min_qemu"],
                  qemu_version()), file=sys.stderr)
    if re.search(r"(^| )exit=halt( |$)", cfg["cmdline"] or ""):
        print("harness: exit=halt leaves QEMU running once the report is done (make run would "
              "wait for ever); leave it out (exit=auto writes the result to isa-debug-exit) or "
              "boot the image yourself", file=sys.stderr)
        return 2
    # The console on stdout, and QEMU's copy in build/run/ for make report and make compare.
    log = run_log(name)
    cmd = qemu_command(name, cfg, "chardev:con") + ["-chardev", "stdio,id=con,logfile=" + log]
    print("# %s\n# %s\n# log: %s" % (qemu_version(), shlex.join(cmd), log), file=sys.stderr)
    status = subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode
    verdict = {1: "nothing failed", 3: "some tests failed"}.get(
        status, "QEMU did not exit through isa-debug-exit: see the output above")
    print("# QEMU exit status %d: %s\n# log: %s (make report; make compare LAST=2 compares the "
          "last two runs)" % (status, verdict, os.path.relpath(log)), file=sys.stderr)
    return 0 if status == 1 else 1


def bench():
    """make bench: boot-time figures, then the latency tests twice under
    -icount shift=0,sleep=off (1 ns of virtual time per instruction)."""
    outdir = os.path.join(BUILD, "qemu", "bench")
    os.makedirs(outdir, exist_ok=True)
    print("# %s" % qemu_version())
    walls = {}
    for name, cmdline in (("kernel", "tests=none"), ("ovmf-kernel", "tests=none")):
        cfg = dict(CONFIGS[name], cmdline=cmdline)
        _, status, marks = boot(qemu_command(name, cfg, "stdio"), 300,
                                os.path.join(outdir, name + ".log"))
        walls[name] = marks
        print("boot %-12s TAP line %5s s, done line %5s s, QEMU exit %5.2f s (status %s)"
              % (name, fmt_mark(marks, "tap"), fmt_mark(marks, "done"), marks["exit"], status))
    if "done" in walls["kernel"] and "done" in walls["ovmf-kernel"]:
        print("OVMF costs %.2f s over the -kernel fast path (to the done line)"
              % (walls["ovmf-kernel"]["done"] - walls["kernel"]["done"]))
    # xAPIC and one CPU: QEMU 10 aborts with "Bad icount read" under -icount
    # when the x2APIC timer count is read by rdmsr (an MSR read is not an
    # I/O boundary for icount), and when a second vCPU is started. Cross-CPU
    # IPIs are measured under plain TCG by make test (smp4-*) instead.
    cfg = dict(CONFIGS["kernel"], cmdline="apic=xapic tests=%s" % ",".join(BENCH["tests"]),
               extra=["-device", "edu", "-global", "hpet.msi=on"],
               qemu10_extra=["-device", "igb,romfile="])
    _, _, marks = boot(qemu_command("kernel", cfg, "stdio"), 300, os.path.join(outdir, "tcg.log"))
    print("fast path, all latency tests: first test point at %s s" % fmt_mark(marks, "first_point"))
    runs = []
    for i in range(2):
        cmd = qemu_command("kernel", cfg, "stdio") + ["-icount", "shift=0,sleep=off"]
        lines, status, marks = boot(cmd, 600, os.path.join(outdir, "icount%d.log" % i))
        rep = parse(lines)
        runs.append({t["name"]: yaml_fields(t["yaml"]) for t in rep["tests"]})
        if i == 0:
            print("# %s" % shlex.join(cmd))
            print(rep["header"] or "# no report: see %s" % os.path.join(outdir, "qemu.stderr"))
    cols = ("min", "p50", "p90", "p99", "p999", "max", "mean", "cold")
    print("%-38s %s  (ns of virtual time, -icount shift=0)" % ("test", " ".join("%7s" % c for c in cols)))
    for name, f in runs[0].items():
        figures = sorted({k.rsplit(".", 1)[0] for k in f if k.endswith(".p50")})
        for fig in ([None] if "p50" in f else []) + figures:
            g = {c: f.get(c if fig is None else fig + "." + c, "-") for c in cols}
            label = name if fig is None else "%s %s" % (name, fig)
            print("%-38s %s" % (label, " ".join("%7s" % g[c] for c in cols)))
    same = runs[0] == runs[1]
    # The same path through VT-d, then AMD-Vi, interrupt remapping, and each
    # unit's own completion interrupt, once each.
    for label, devices, tests, log in (("VT-d", "ir-eim-off", "ir_tests", "icount-ir.log"),
                                      ("AMD-Vi", "amd-vi", "amd_ir_tests", "icount-amd.log")):
        cfg_ir = dict(cfg, cmdline="apic=xapic tests=%s" % ",".join(BENCH[tests]),
                      extra=DEVICES[devices], qemu10_extra=[])
        lines, _, _ = boot(qemu_command("kernel", cfg_ir, "stdio") +
                           ["-icount", "shift=0,sleep=off"], 600, os.path.join(outdir, log))
        ir_run = {t["name"]: yaml_fields(t["yaml"]) for t in parse(lines)["tests"]}
        for name, f in ir_run.items():
            g = {c: f.get("cpu0." + c, "-") for c in cols}
            print("%-38s %s" % ("%s (%s)" % (name, label), " ".join("%7s" % g[c] for c in cols)))
    print("icount figures identical across two runs: %s" % ("yes" if same else "no"))
    with open(os.path.join(outdir, "bench.json"), "w") as f:
        json.dump(dict(qemu=qemu_version(), boot=walls, icount=runs, identical=same), f, indent=1)
    return 0


SOAK_MIN_TRIGGERS = 10 ** 6


def soak(duration):
    """make soak: make run's machine (-kernel path: isa-debug-exit, no
    OVMF) with soak=DURATION, twice: remapping on (edu, igb, the VT-d
    completion event) and ir=off (edu, igb, and the HPET, whose messages
    QEMU's DMAR cannot remap). The console goes to stdout (the progress
    lines as they come) and build/soak/serial.log (the second run's:
    build/soak/ir-off.log). Then each source's triggers per second, and a
    verdict: every source at least 10^6 triggers over both runs, nothing
    lost, duplicated or spurious."""
    outdir = os.path.join(BUILD, "soak")
    os.makedirs(outdir, exist_ok=True)
    status, total = 0, {}
    for name, extra in (("ir-off.log", " ir=off"), ("serial.log", "")):
        status |= soak_run(os.path.join(outdir, name), "soak=%s%s" % (duration, extra), total)
    print("both runs: " + ", ".join("%s %d triggers" % (s, n) for s, n in sorted(total.items())))
    few = ["%s: %d triggers, fewer than %d (a longer SOAK=)" % (s, n, SOAK_MIN_TRIGGERS)
           for s, n in sorted(total.items()) if n < SOAK_MIN_TRIGGERS]
    for f in few:
        print("  " + f)
    print("soak: %s" % ("ok" if not status and not few else "NOT OK"))
    return 1 if status or few else 0


def soak_run(log, cmdline, total):
    """One soak run: its table, and each source's triggers added to total.
    0 when the soak passed and nothing was lost, duplicated or spurious."""
    new = qemu_major() >= 10
    cfg = dict(CONFIGS["kernel"], cmdline=cmdline, smp=2,
               cpu="max,+x2apic" if new else "max",
               extra=DEVICES["ir-eim-on" if new else "ir-eim-off"] + (["-device", "igb,romfile="] if new else []))
    cmd = qemu_command("soak", cfg, "chardev:con") + ["-chardev", "stdio,id=con,logfile=" + log]
    print("# %s\n# %s" % (qemu_version(), shlex.join(cmd)))
    sys.stdout.flush()
    subprocess.run(cmd, stdin=subprocess.DEVNULL)
    with open(log, errors="replace") as f:
        rep = parse([line.rstrip("\r\n") for line in f])
    t = next((x for x in rep["tests"] if x["name"] == "soak.sources"), None)
    if t is None:
        print("soak: no soak.sources result in %s" % log)
        return 1
    fields = yaml_fields(t["yaml"])
    sources = sorted({k.split(".")[0] for k in fields if k.endswith(".triggers_per_s")})
    bad = []
    print("%-8s %12s %12s %6s %6s %9s %9s %9s" % ("source", "triggers", "triggers/s", "lost",
          "dup", "spurious", "p50 ns", "p99 ns"))
    for s in sources:
        g = lambda k: fields.get("%s.%s" % (s, k), 0)  # noqa: E731
        print("%-8s %12s %12s %6s %6s %9s %9s %9s" % (s, g("triggers"), g("triggers_per_s"), g("lost"),
              g("duplicates"), g("spurious"), g("p50"), g("p99")))
        total[s] = total.get(s, 0) + g("triggers")
        if g("lost") or g("duplicates") or g("spurious"):
            bad.append("%s: %s lost, %s duplicated, %s spurious" % (s, g("lost"), g("duplicates"),
                       g("spurious")))
    print("this run: %s (soak.sources %s; log %s)" % ("ok" if t["status"] == "ok" and not bad
          else "NOT OK", t["status"], log))
    for b in bad:
        print("  " + b)
    return 0 if t["status"] == "ok" and not bad else 1


def main(argv):
    if argv[:1] == ["--list"]:
        for k, v in CONFIGS.items():
            print("%-14s %s" % (k, v["doc"]))
        return 0
    if argv[:1] == ["--run"] and len(argv) <= 2:
        return run_live(argv[1] if len(argv) == 2 else "")
    if argv[:1] == ["--run"] and len(argv) == 4 and argv[2] == "--config":
        return run_live(argv[1], argv[3])
    if argv == ["--bench"]:
        return bench()
    if argv[:1] == ["--soak"] and len(argv) == 2:
        return soak(argv[1])
    if argv[:1] and argv[0] in CONFIGS and (len(argv) == 1 or
                                            (len(argv) == 2 and argv[1].startswith("tests="))):
        return run_check(argv[0], int(os.environ.get("MSILAB_TIMEOUT", "300")),
                         argv[1][len("tests="):] if len(argv) == 2 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
