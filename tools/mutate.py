#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make mutate: every check proven by a mutation it catches.

    mutate.py [NAME-GLOB ...]     run the catalogue (or the entries whose names match)
    mutate.py --check             only check the catalogue against the tree

tests/mutations.toml lists mutations of the implementation, each with the
test that must catch it (docs/design.md, "How we know a test can fail").
For each entry the runner first runs the named test on the unmutated tree
(it must pass: a test that fails anyway proves nothing), then applies the
mutation to a scratch copy of the tree, rebuilds only what that needs, runs
only the named test and restores the file. One TAP line per mutation: `ok`
when the test caught it (the named test is `not ok`, or its binary or
firmware died before reporting it), `not ok` when it survived, with the
test's output. An entry whose file, pattern, test or configuration does not
exist is `not ok` too: the catalogue follows the code. Independent
mutations run in parallel, one scratch tree per worker under
build/mutate/. Ends with `caught N of M`.
"""
import concurrent.futures
import fcntl
import fnmatch
import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.path.join(ROOT, "tests", "mutations.toml")
SCRATCH = os.path.join(ROOT, "build", "mutate")
# The QEMU of qemu/ with a mutation in the model: kept between runs, so
# only the first builds it whole (minutes); each mutant recompiles one file.
MODEL_SCRATCH = os.path.join(SCRATCH, "qemu-model")
HOST_TIMEOUT = 30
FW_TIMEOUT = 180
CASE_RE = re.compile(r"^(ok|not ok) \d+ - (\S+)")
FW_TEST_RE = re.compile(r"^TEST\((\w+),\s*(\w+)\b", re.M)
KEYS = {"name", "file", "find", "replace", "func", "returns", "host", "config", "tests", "why",
        "hardware_only", "timeout", "oracle"}
ORACLE_TIMEOUT = 300


class Entry:
    def __init__(self, d):
        self.d = d
        self.name = d.get("name", "?")
        self.file = d.get("file", "")

    def target(self):
        """What must catch it, as the TAP line says it."""
        if "host" in self.d:
            return "host test_%s" % self.d["host"]
        if "oracle" in self.d:
            return "oracle tests/model/%s.t" % self.d["oracle"]
        if "tests" not in self.d:
            return "configuration %s" % self.d.get("config")
        return "%s: %s" % (self.d.get("config"), self.d.get("tests"))


def load():
    with open(CATALOGUE, "rb") as f:
        return [Entry(d) for d in tomllib.load(f).get("mutation", [])]


def fw_tests(root):
    """suite.name of every firmware test (the TEST() lines of tests/fw)."""
    out = set()
    for fn in os.listdir(os.path.join(root, "tests", "fw")):
        if fn.endswith(".c"):
            text = open(os.path.join(root, "tests", "fw", fn)).read()
            out |= {"%s.%s" % m for m in FW_TEST_RE.findall(text)}
    return out


def func_span(text, func):
    """(start, end) of the line `{` that opens func's body, or None."""
    m = re.search(r"^[A-Za-z_][^;{}()]*\b%s\([^;{]*\)\s*\n\{\n" % re.escape(func), text, re.M)
    return (m.end() - 2, m.end()) if m else None


def mutated(text, e):
    """The file's text with the mutation applied; ValueError if it does not apply."""
    d = e.d
    if "find" in d:
        n = text.count(d["find"])
        if n != 1:
            raise ValueError("pattern found %d times in %s (must be exactly once): %r"
                             % (n, e.file, d["find"][:80]))
        return text.replace(d["find"], d.get("replace", ""))
    span = func_span(text, d["func"])
    if span is None:
        raise ValueError("no definition of %s() in %s" % (d["func"], e.file))
    ret = d["returns"]
    return text[:span[1]] + "\treturn%s;\n" % ((" " + ret) if ret else "") + text[span[1]:]


def problems(e, configs, tests, host_tests):
    """What is wrong with an entry, before anything runs."""
    d = e.d
    out = ["unknown key %s" % k for k in sorted(set(d) - KEYS)]
    if not d.get("name") or not d.get("why"):
        out.append("name and why are required")
    path = os.path.join(ROOT, e.file)
    if not os.path.isfile(path):
        return out + ["no file %r" % e.file]
    if ("find" in d) == ("func" in d) or ("func" in d and "returns" not in d):
        out.append("exactly one of find (with replace) or func (with returns)")
    else:
        try:
            mutated(open(path).read(), e)
        except ValueError as x:
            out.append(str(x))
    if "hardware_only" in d:
        return out
    if "host" in d:
        binary, _, case = d["host"].partition(":")
        if binary not in host_tests:
            out.append("no host test test_%s (Makefile HOST_TESTS)" % binary)
        elif not case or not re.search(r"cmocka_unit_test\w*\(\s*%s\b" % re.escape(case),
                                       open(os.path.join(ROOT, "tests/host/test_%s.c" % binary)).read()):
            out.append("no case %r in tests/host/test_%s.c" % (case, binary))
    elif "oracle" in d:
        if not os.path.isfile(os.path.join(ROOT, "tests", "model", d["oracle"] + ".t")):
            out.append("no oracle test tests/model/%s.t" % d["oracle"])
    elif "config" in d:
        if d["config"] not in configs:
            out.append("no configuration %r in tests/qemu/configs.toml" % d["config"])
        if "tests" in d and d["tests"] not in tests:
            out.append("no firmware test %r (tests=suite.name, one test)" % d["tests"])
    else:
        out.append("no test: host, config with tests, oracle, or hardware_only")
    return out


def sh(cmd, cwd, timeout, env=None):
    """Run a command; (exit status or None on timeout, output)."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **(env or {})))
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as x:
        out = (x.stdout or b"") + (x.stderr or b"")
        return None, out.decode("utf-8", "replace") if isinstance(out, bytes) else out


def host_case(binary, case, cwd):
    """Run a cmocka binary until its case's TAP line: 'pass', 'fail', 'died'
    (it ended or hung before the line) or 'absent', and its output. What
    runs after the case is not waited for: a mutant may hang a later one."""
    p = subprocess.Popen(["stdbuf", "-oL", binary], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP",
                                  # stdbuf's line buffering comes by LD_PRELOAD
                                  ASAN_OPTIONS="verify_asan_link_order=0"))
    out, pending, deadline, verdict = [], b"", time.monotonic() + HOST_TIMEOUT, None
    while verdict is None:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
            verdict = "died"        # hung before the case's line
            break
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            verdict = "died" if p.wait() != 0 else "absent"
            break
        pending += data
        while b"\n" in pending and verdict is None:
            line, pending = pending.split(b"\n", 1)
            text = line.decode("utf-8", "replace")
            out.append(text)
            m = CASE_RE.match(text)
            if m and m.group(2) == case:
                verdict = "pass" if m.group(1) == "ok" else "fail"
    if p.poll() is None:
        p.kill()
    p.wait()
    return verdict, "\n".join(out)


class Worker:
    """A scratch copy of the tree (sources and build/) that one mutation at
    a time is applied to."""

    def __init__(self, i, configs):
        self.dir = os.path.join(SCRATCH, "w%d" % i)
        self.configs = configs
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.split("\0")
        for f in filter(None, files):
            src = os.path.join(ROOT, f)
            if os.path.isfile(src):
                os.makedirs(os.path.dirname(os.path.join(self.dir, f)), exist_ok=True)
                shutil.copy2(src, os.path.join(self.dir, f))
        # The main tree's build, so that a mutation rebuilds only what it touches.
        build = os.path.join(ROOT, "build")
        shutil.copytree(build, os.path.join(self.dir, "build"), copy_function=shutil.copy2,
                        ignore=lambda d, names: ["mutate", "qemu", "qemu-model", "oracle", "lava-lab", "run", "report",
                                                 "compare", "fuzz", "lava", "iso"] if d == build else [])

    def build(self, e):
        if "host" in e.d:
            targets = ["build/host/test_" + e.d["host"].partition(":")[0]]
        elif "oracle" in e.d:               # Linux on the model: no firmware
            targets = []
        else:
            boot = self.configs[e.d["config"]]["boot"]
            targets = ["build/msilab.efi"] if boot.startswith("ovmf-") and boot != "ovmf-grub" \
                else ["build/msilab.iso"] if boot.endswith("grub") else ["build/msilab.elf"]
        if e.file.startswith("qemu/"):      # the model: the one mutant QEMU (MODEL_SCRATCH)
            status, out = sh(["qemu/build.sh", MODEL_SCRATCH], self.dir, 1800)
            if status != 0:
                return status, out
        if not targets:
            return 0, ""
        return sh(["make", "--no-print-directory", "-s", "WERROR="] + targets, self.dir, 600)

    def model_dir(self, e):
        """The model QEMU a configuration runs on: the mutant one when the
        mutation is in the model, else the main tree's (not rebuilt here)."""
        return MODEL_SCRATCH if e.file.startswith("qemu/") else os.path.join(ROOT, "build", "qemu-model")

    def run(self, e):
        """'pass', 'fail' or 'died', and the output that says so."""
        if "host" in e.d:
            binary, _, case = e.d["host"].partition(":")
            return host_case("build/host/test_" + binary, case, self.dir)
        if "oracle" in e.d:     # any of its points
            status, out = sh(["sh", "tests/model/%s.t" % e.d["oracle"]], self.dir,
                             e.d.get("timeout", ORACLE_TIMEOUT),
                             {"MSILAB_MODEL_DIR": self.model_dir(e)})
            return ("fail" if status != 0 or re.search(r"^not ok ", out, re.M) else "pass"), out
        config, test = e.d["config"], e.d.get("tests")
        bound = e.d.get("timeout", FW_TIMEOUT - 20)
        status, out = sh([sys.executable, "tests/qemu/harness.py", config] +
                         (["tests=" + test] if test else []),
                         self.dir, bound + 20, {"MSILAB_TIMEOUT": str(bound),
                                                "MSILAB_MODEL_DIR": self.model_dir(e)})
        if not test:        # the whole configuration: any of its points
            return ("fail" if status != 0 or re.search(r"^not ok ", out, re.M) else "pass"), out
        # The harness's point for the test: its status, or what the
        # configuration expects of it ([CONFIG.expect]).
        point = re.compile(r"^(ok|not ok) \d+ - %s: %s(?: is .* as expected)?( # SKIP.*)?$"
                           % (re.escape(config), re.escape(test)))
        for line in out.splitlines():
            m = point.match(line)
            if m:
                return ("skip" if m.group(2) else "pass" if m.group(1) == "ok" else "fail"), out
        died = status != 0 or re.search(r"^not ok \d+ - %s: (QEMU exit status|no Bail out!|plan )"
                                        % re.escape(config), out, re.M)
        return ("died" if died else "absent"), out

    def baseline(self, e):
        ok, out = self.build(e)
        if ok != 0:
            return "does not build unmutated", out
        verdict, out = self.run(e)
        lacks = re.search(r"^1\.\.0 # SKIP (.*)$", out, re.M)
        if lacks and "config" in e.d:     # the whole configuration: the platform lacks it
            return "skip", lacks.group(1)
        return (None if verdict == "pass" else "the test is %s without the mutation" % verdict), out

    def mutate(self, e):
        path = os.path.join(self.dir, e.file)
        original = open(path).read()
        try:
            with open(path, "w") as f:
                f.write(mutated(original, e))
            status, out = self.build(e)
            if status != 0:
                return "unbuilt", out
            return self.run(e)
        finally:
            with open(path, "w") as f:
                f.write(original)


def tail(text, n=25):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-n:]


def main(argv):
    check_only = argv[:1] == ["--check"]
    globs = [a for a in argv if not a.startswith("--")]
    sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
    import harness
    configs = harness.CONFIGS
    tests = fw_tests(ROOT)
    mk = open(os.path.join(ROOT, "Makefile")).read()
    host_tests = set(re.search(r"^HOST_TESTS := ((?:.*\\\n)*.*)$", mk, re.M).group(1)
                     .replace("\\\n", " ").split())
    entries = load()
    if globs:
        entries = [e for e in entries if any(fnmatch.fnmatchcase(e.name, g) for g in globs)]
    names = [e.name for e in entries]
    dup = sorted({n for n in names if names.count(n) > 1})

    print("TAP version 13")
    print("1..%d" % len(entries))
    t0 = time.monotonic()
    bad = {e.name: problems(e, configs, tests, host_tests) for e in entries}
    for n in dup:
        bad[n] = bad.get(n, []) + ["name used by more than one entry"]
    runnable = [e for e in entries if not bad[e.name] and "hardware_only" not in e.d]
    lock = threading.Lock()
    model_lock = threading.Lock()
    baselines = {}      # target -> (why it is unusable or None, output): one run per test
    nworkers = 0 if check_only or not runnable else max(1, min(len(runnable), int(
        os.environ.get("MUTATE_JOBS", os.cpu_count() or 1))))
    os.makedirs(SCRATCH, exist_ok=True)
    held = open(os.path.join(SCRATCH, "lock"), "w")
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("mutate: another make mutate is running on %s (its scratch trees are there)" % SCRATCH)
    pool = [Worker(i, configs) for i in range(nworkers)]
    free = list(pool)

    def one(e):
        with lock:
            w = free.pop()
        # One mutant QEMU for every model mutation, built and run in turn.
        held_model = e.file.startswith("qemu/") and model_lock.acquire()
        try:
            with lock:
                known = baselines.get(e.target())
            if known is None:
                known = w.baseline(e)
                with lock:
                    baselines[e.target()] = known
            if known[0] == "skip":
                return "skip", None, known[1]
            if known[0]:
                return "broken", known[0], known[1]
            t = time.monotonic()
            verdict, out = w.mutate(e)
            return verdict, None, out + "\n# mutant built and run in %.1f s" % (time.monotonic() - t)
        finally:
            if held_model:
                model_lock.release()
            with lock:
                free.append(w)

    ex = concurrent.futures.ThreadPoolExecutor(max(1, len(pool)))
    futures = {e.name: ex.submit(one, e) for e in runnable} if pool else {}
    caught = hw = 0
    for i, e in enumerate(entries, 1):
        if bad[e.name]:
            print("not ok %d - %s: catalogue error" % (i, e.name))
            for p in bad[e.name]:
                print("# %s" % p)
        elif "hardware_only" in e.d:
            hw += 1
            print("ok %d - %s # SKIP hardware only: %s" % (i, e.name, e.d["hardware_only"]))
        elif check_only:
            print("ok %d - %s: applies; %s" % (i, e.name, e.target()))
            caught += 1
        else:
            verdict, why, out = futures[e.name].result()
            if verdict == "skip":
                hw += 1
                print("ok %d - %s # SKIP %s" % (i, e.name, out))
            elif verdict in ("fail", "died"):
                caught += 1
                print("ok %d - %s: caught by %s%s (%s)" % (
                    i, e.name, e.target(), ", which died before reporting it" if verdict == "died"
                    else "", out.rsplit("in ", 1)[-1]))
            else:
                print("not ok %d - %s: %s" % (i, e.name, why or (
                    "the mutant does not build" if verdict == "unbuilt" else
                    "survived: %s was %s" % (e.target(), verdict))))
                print("# %s: %s" % (e.file, e.d["why"]))
                for line in tail(out):
                    print("#   %s" % line)
        sys.stdout.flush()
    ex.shutdown()
    print("# %.0f s, %d workers" % (time.monotonic() - t0, len(pool)))
    print("caught %d of %d%s" % (caught, len(entries) - hw,
                                  " (%d not run: hardware only, or a configuration this "
                                  "machine cannot run)" % hw if hw else ""))
    return 0 if caught == len(entries) - hw else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
