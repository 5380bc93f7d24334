#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The oracle (issue 23, item 3): Debian 12's Linux and its idxd driver,
written by the hardware's vendor, must accept msilab's DSA model.

    qemu/linux/oracle.py [--iommu none|intel] [--count N] [--device SPEC]

Builds the guest (qemu/linux/build.sh: Debian's kernel, msilab_dsa_memcpy.ko
against Debian's headers, an initramfs whose /init is qemu/linux/init), boots
it on the QEMU built with the model (build/qemu-model/qemu-system-x86_64, or
that of $MSILAB_MODEL_DIR) with `-d guest_errors,unimp`, and prints one TAP point
per condition: Linux probes the device, enables it and a dedicated kernel
work queue, N memcpy descriptors through that queue's dmaengine channel
complete with correct data, their completion interrupts are counted in
/proc/interrupts, idxd logs no error, and the model logged nothing it
refused or ignored. Logs: build/oracle/DEVICE-IOMMU.serial and .qemu (dsa-none, ...).
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "check"))
from tap import Tap  # noqa: E402

OUT = os.path.join(ROOT, "build", "oracle")
MODEL_DIR = os.environ.get("MSILAB_MODEL_DIR", os.path.join(ROOT, "build", "qemu-model"))
QEMU = os.path.join(MODEL_DIR, "qemu-system-x86_64")
DEVICE = "msilab-dsa"
TIMEOUT = 120
# What the model logs with qemu_log_mask(LOG_GUEST_ERROR | LOG_UNIMP) names
# it; QEMU's other devices log too (ahci: "IRQ#2 level:1" on every boot).
MODEL_LOG_RE = re.compile(r"^msilab-idxd:")
# idxd's warnings that describe the platform the oracle chose, not a
# disagreement: each with why it is expected.
ALLOWED = [
    (re.compile(r"Platform does not have ENQCMD\(S\) support"),
     "TCG has no ENQCMD; shared work queues are not here (issue 23)"),
    (re.compile(r"User forced SVA off via module param"),
     "idxd.sva=0: no PASID or SVA (issue 23: not here)"),
    (re.compile(r"Failed to initialize perfmon\. No PMU support: -19"),
     "the model has no perfmon (OFFSETS' perfmon 0), which 6.1's perfmon_pmu_init "
     "takes as 'perfmon is not supported on this hardware'"),
]
IDXD_LINE_RE = re.compile(r"^(idxd|dsa|iax)\b|\bidxd\b")
KERNEL_BUG_RE = re.compile(r"cut here|BUG:|Oops|Call Trace|general protection")
SAY = "msilab-oracle: "
DMESG_RE = re.compile(r"^<(\d)>\[\s*[\d.]+\] (.*)$")


def point(tap, ok, desc, diag=None):
    """A TAP point; a list of diagnostics one line each."""
    tap.point(ok, desc, "\n".join(map(str, diag)) if isinstance(diag, list) else diag)


def parse(serial):
    """The /init's lines (without the prefix) and the dmesg's (level, text)."""
    said, dmesg, in_dmesg = [], [], False
    for raw in serial.splitlines():
        line = raw.strip("\r")
        i = line.find(SAY)
        if i >= 0:
            what = line[i + len(SAY):]
            said.append(what)
            in_dmesg = {"dmesg begin": True, "dmesg end": False}.get(what, in_dmesg)
            continue
        m = DMESG_RE.match(line)
        if in_dmesg and m:
            dmesg.append((int(m.group(1)), m.group(2)))
    return said, dmesg


def first(said, prefix):
    """The text after PREFIX of the first /init line that starts with it."""
    for s in said:
        if s.startswith(prefix):
            return s[len(prefix):].strip()
    return None


def fields(text):
    """key=value words of a line."""
    return dict(w.split("=", 1) for w in (text or "").split() if "=" in w)


def build_guest(tap):
    r = subprocess.run([os.path.join(ROOT, "qemu", "linux", "build.sh"), OUT],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    kernel = None
    if r.returncode == 0:
        kernel = open(os.path.join(OUT, "kernel")).read().strip()
    point(tap, r.returncode == 0, "guest built: Debian's kernel %s, msilab_dsa_memcpy.ko, initramfs"
              % (kernel or "(none)"), r.stdout.strip().splitlines()[-5:])
    return r.returncode == 0


def check_qemu(tap, device):
    """The built QEMU starts and has the model."""
    name = device.split(",")[0]
    why = None
    if not os.access(QEMU, os.X_OK):
        try:
            with open(os.path.join(MODEL_DIR, "FAILED")) as f:
                why = "the model's QEMU did not build: " + f.read().strip()
        except OSError:
            why = "no %s (make model-qemu builds it)" % QEMU
    else:
        r = subprocess.run([QEMU, "-device", "help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            why = "%s does not start: %s" % (QEMU, r.stdout.strip()[-300:])
        elif not re.search(r'name "%s"' % re.escape(name), r.stdout):
            why = "%s has no device %s" % (QEMU, name)
    point(tap, why is None, "QEMU with the model: %s -device %s" % (QEMU, device), why)
    return why is None


def boot(args, tag):
    """Run the guest; (exit status or None on timeout, serial text, model log, seconds)."""
    serial = os.path.join(OUT, tag + ".serial")
    qlog = os.path.join(OUT, tag + ".qemu")
    if os.path.exists(qlog):
        os.unlink(qlog)
    machine = "q35,kernel-irqchip=split" if args.iommu == "intel" else "q35"
    append = "console=ttyS0 quiet panic=-1 msilab.count=%d" % args.count
    cmd = [QEMU, "-M", machine, "-accel", "tcg", "-cpu", "max", "-m", "512", "-smp", "2",
           "-display", "none", "-vga", "none", "-net", "none", "-no-reboot", "-serial", "file:" + serial,
           "-d", "guest_errors,unimp", "-D", qlog,
           "-kernel", os.path.join(OUT, "vmlinuz"), "-initrd", os.path.join(OUT, "initrd.cpio")]
    # The +ds source installs no firmware: SeaBIOS and the option ROMs from
    # Debian's packages (as tests/qemu/harness.py).
    for d in ("/usr/share/qemu", "/usr/share/seabios"):
        if os.path.isdir(d):
            cmd += ["-L", d]
    if args.iommu == "intel":
        cmd += ["-device", "intel-iommu,intremap=on"]
        append += " intel_iommu=on"
    cmd += ["-device", args.device, "-append", append]
    print("# %s" % " ".join(cmd))
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=TIMEOUT)
        status, out = r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        status, out = None, (e.stdout or b"").decode(errors="replace")
    took = time.monotonic() - t0
    text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
    log = open(qlog, errors="replace").read() if os.path.exists(qlog) else ""
    return status, text, log, out, took


def check(tap, args, status, serial, qlog, qemu_out, took):
    said, dmesg = parse(serial)
    n = args.count
    tail = serial.splitlines()[-15:]
    point(tap, status == 0 and "done" in said,
              "Linux booted, ran /init to the end and powered off (%.0f s)" % took,
              ["QEMU %s" % ("timed out after %d s" % TIMEOUT if status is None else "exit status %s" % status),
               qemu_out.strip()[-500:]] + tail)
    kernel = first(said, "kernel")
    point(tap, "cpu movdir64b" in said, "the CPU has MOVDIR64B (idxd_init_module needs it)",
              ["guest said: %s" % [s for s in said if s.startswith("cpu")]])
    point(tap, "insmod idxd_bus 0" in said and "insmod idxd 0" in said,
              "Debian's idxd_bus.ko and idxd.ko loaded (%s)" % kernel,
              ["insmod: %s" % [s for s in said if s.startswith("insmod")]])
    bound = first(said, "pci-bound")
    probe = first(said, "probe")
    point(tap, bound is not None and probe is not None and probe != "none",
              "idxd probed the device: PCI %s, %s" % (bound, probe),
              ["no dsa/iax device on the dsa bus"])
    refused = [s for s in said if s.startswith("sysfs-refused")]
    dev = fields(first(said, "device-enable"))
    point(tap, dev.get("rc") == "0" and dev.get("state") == "enabled" and not refused,
              "device configured through sysfs and enabled (driver idxd bound): %s"
              % first(said, "device-enable"), refused)
    wq = fields(first(said, "wq-enable"))
    point(tap, wq.get("rc") == "0" and wq.get("state") == "enabled",
              "dedicated kernel work queue enabled (driver dmaengine bound): %s" % first(said, "wq-enable"))

    def counted(tag):
        v = first(said, "portal-count " + tag)
        return int(v) if v and v.isdigit() else None

    def memcpy(mode, tag):
        """Whether the module's run in MODE passed, its result line, the
        lines it printed in that run (each insmod starts "channel")."""
        runs = []
        for lvl, t in dmesg:
            if t.startswith("msilab_dsa: channel"):
                runs.append([])
            if t.startswith("msilab_dsa:") and runs:
                runs[-1].append(t)
        run = [r for r in runs if r[0].endswith(mode)]
        lines = run[0] if run else ["no run of msilab_dsa_memcpy.ko %s" % mode]
        done = [t for t in lines if t.startswith("msilab_dsa: done %s:" % mode)]
        ok = (fields(first(said, "memcpy " + tag)).get("rc") == "0" and done
              and done[0].endswith(": %d of %d descriptors correct" % (n, n)))
        return ok, done, lines[:10] + [s for s in said if s.startswith("memcpy " + tag)]

    ok, done, errs = memcpy("one at a time", "one-at-a-time")
    point(tap, ok, "%d memcpy descriptors, one at a time, through the queue's dmaengine channel: "
              "completed, data correct (%s)" % (n, done[0][len("msilab_dsa: "):] if done else "no result"),
              errs)
    before, one, burst = counted("before"), counted("after-one"), counted("after-burst")
    got = None if before is None or one is None else one - before
    point(tap, got == n, "their completion interrupts counted in /proc/interrupts (idxd-portal): "
              "%s of %d" % (got, n), [s for s in said if s.startswith("irq ")])
    ok, done, errs = memcpy("burst", "burst")
    point(tap, ok, "%d memcpy descriptors in a burst: completed, data correct (%s)"
              % (n, done[0][len("msilab_dsa: "):] if done else "no result"),
              errs)
    got = None if one is None or burst is None else burst - one
    point(tap, got is not None and 1 <= got <= n,
              "the burst's completion interrupts counted: %s (1 to %d: messages to a vector "
              "already pending merge)" % (got, n), [s for s in said if s.startswith("irq ")])
    if tap.failed:
        print("# idxd's commands and messages in the kernel log (dyndbg on), the last 30:")
        for lvl, t in [x for x in dmesg if IDXD_LINE_RE.search(x[1]) and
                       (x[0] < 7 or "cmd" in x[1] or "handle" in x[1])][-30:]:
            print("#   <%d> %s" % (lvl, t))
    wd, dd = fields(first(said, "wq-disable")), fields(first(said, "device-disable"))
    point(tap, wd.get("rc") == "0" and wd.get("state") == "disabled" and dd.get("rc") == "0"
              and dd.get("state") == "disabled",
              "Linux's drain, WQ disable, device disable and reset accepted: %s; %s"
              % (first(said, "wq-disable"), first(said, "device-disable")))
    bad, allowed = [], []
    for lvl, t in dmesg:
        if KERNEL_BUG_RE.search(t):
            bad.append("<%d> %s" % (lvl, t))
        elif lvl <= 4 and IDXD_LINE_RE.search(t) and not t.startswith("msilab_dsa:"):
            why = [w for r, w in ALLOWED if r.search(t)]
            (allowed if why else bad).append("<%d> %s%s" % (lvl, t, " (expected: %s)" % why[0] if why else ""))
    for a in allowed:
        print("# idxd warning, expected: %s" % a)
    swerr = first(said, "swerr")
    point(tap, not bad, "idxd logged no error or warning, the kernel no oops or WARN "
              "(%d expected warnings; SWERR %s)" % (len(allowed), swerr), bad[:20])
    lines = {}
    for l in qlog.splitlines():
        if MODEL_LOG_RE.search(l):
            lines[l] = lines.get(l, 0) + 1
    other = sorted({l for l in qlog.splitlines() if l and l not in lines})
    for l in other:
        print("# QEMU log, another device: %s" % l)
    point(tap, not lines, "the model refused or ignored nothing Linux did (%d distinct lines of "
              "-d guest_errors,unimp)" % len(lines),
              ["%dx %s" % (c, l) for l, c in sorted(lines.items())])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iommu", choices=["none", "intel"], default="none")
    ap.add_argument("--count", type=int, default=32)
    ap.add_argument("--device", default=DEVICE)
    args = ap.parse_args()
    tap = Tap()
    tag = "%s-%s" % (args.device.split(",")[0].replace("msilab-", ""), args.iommu)  # dsa-none ...
    os.makedirs(OUT, exist_ok=True)
    if build_guest(tap) and check_qemu(tap, args.device):
        status, serial, qlog, out, took = boot(args, tag)
        check(tap, args, status, serial, qlog, out, took)
        print("# logs: %s/%s.serial, %s.qemu" % (OUT, tag, tag))
    print("1..%d" % tap.n)
    tap.exit()


if __name__ == "__main__":
    main()
