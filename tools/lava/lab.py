#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make lava-lab: a LAVA lab on this machine (PostgreSQL, the server's API
process, its publisher and scheduler, one worker: tools/lava/lab_server.py),
msilab's device type and two QEMU devices registered with lavacli, msilab's
jobs submitted with lavacli, and their results read back through the REST
API and held against the serial report of the same job. As TAP.

Jobs, two at a time on the two devices: the default configuration (beside
it, the same job through lava-run alone, for what the server adds), VT-d
remapping with x2APIC, AMD-Vi, ir=off, a configuration with a failing test
(Complete, that case fail), a boot that never prints the report's first
line (Incomplete, and why), a job cancelled while it runs (the device
idle again, its QEMU gone). Bad input, each an error naming what was
tried: a server nobody listens on, a refused token, a device type the
server does not know, a job that never starts. Then every process started
is stopped by its id, and nothing naming build/lava-lab is left running.

Everything lands in build/lava-lab/: the database, the server's settings
and logs, the jobs as submitted (job-NAME.yaml), QEMU's own copy of each
console (serial-NAME.log), the job outputs (media/).
"""
import decimal
import os
import re
import shutil
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lava  # noqa: E402
from lab_client import Client, Unreachable  # noqa: E402
from lab_server import Lab, LabError, free_port, lab_processes  # noqa: E402

ROOT = lava.ROOT
USER = "msilab"
DEVICE_TYPE = "msilab-qemu"
DEVICES = ("msilab-qemu-01", "msilab-qemu-02")
HELD_TYPE, HELD_DEVICE = "msilab-qemu-held", "msilab-qemu-03"
SAMPLES = "samples=300"
# name: (firmware command line, job context, what the run checks)
CONFIGS = {
    "default": (SAMPLES, {}),
    "vtd-x2apic": ("apic=x2apic " + SAMPLES, {}),
    "amd-vi": ("apic=xapic " + SAMPLES, {"msilab_iommu": "amd-iommu,intremap=on"}),
    "ir-off": ("apic=xapic ir=off " + SAMPLES, {}),
    "failing": ("tests=lapic.*,selftest.explicit_fail,selftest.skip " + SAMPLES, {}),
    "cancelled": ("samples=1000000", {}),
}
BOUND = 600         # seconds any one job may take, queue included


class Run:
    def __init__(self, tap):
        self.tap = tap
        self.lab = Lab(ROOT)
        self.client = None
        self.jobs = {}          # name -> job id
        self.figures = []

    def say(self, text):
        print("# " + text)
        sys.stdout.flush()

    # --- jobs ---------------------------------------------------------------
    def job_file(self, name, cmdline, context, image=None, test_timeout=None, device_type=DEVICE_TYPE):
        """lava/qemu/job.yaml as a lab submits it: the image's URL, the
        command line, the job context; its own serial log."""
        with open(os.path.join(ROOT, "lava", "qemu", "job.yaml")) as f:
            text = f.read()
        text = text.replace("@IMAGE@", image or os.path.join(ROOT, "build", "msilab.efi"))
        text = text.replace("@CMDLINE@", cmdline)
        job = yaml.safe_load(text)
        job["job_name"] += " [%s: %s]" % (name, cmdline)
        job["device_type"] = device_type
        job["context"]["msilab_serial_log"] = self.lab.path("serial-%s.log" % name)
        job["context"].update(context)
        if test_timeout:
            job["actions"][-1]["test"]["timeout"] = {"seconds": test_timeout}
        path = self.lab.path("job-%s.yaml" % name)
        with open(path, "w") as f:
            yaml.safe_dump(job, f, sort_keys=False)
        return path

    def submit(self, name, **kw):
        cmdline, context = CONFIGS.get(name, ("", {}))
        self.jobs[name] = self.client.submit(self.job_file(name, cmdline, context, **kw))
        self.say("job %d: %s (%s)" % (self.jobs[name], name, cmdline or "no command line"))
        return self.jobs[name]

    def server_cases(self, job_id):
        """The msilab suite's test cases as the server holds them:
        (name, result, measurement, units)."""
        suites = self.client.rest_all("jobs/%d/suites/" % job_id)
        out = []
        for s in suites:
            if s["name"] != "msilab":
                continue
            for t in self.client.rest_all("jobs/%d/suites/%d/tests/" % (job_id, s["id"])):
                m = t["measurement"]
                if m is not None:
                    d = decimal.Decimal(m)
                    m = str(int(d)) if d == d.to_integral_value() else str(d.normalize())
                out.append((t["name"], t["result"], m, t["unit"] or None))
        return out

    def lava_job_case(self, job_id):
        """The lava suite's `job` case: LAVA's result and its reason."""
        for t in self.client.rest_all("jobs/%d/tests/" % job_id):
            if t["name"] == "job":
                return yaml.safe_load(t["metadata"])
        return {}

    def check_job(self, name, want_health="Complete"):
        """The job's end as the server has it, and its cases against the
        serial report QEMU logged for the same job."""
        job_id = self.jobs[name]
        j = self.client.wait(job_id, BOUND)
        reason = self.lava_job_case(job_id).get("error_msg")
        self.tap.point(j["health"] == want_health, "%s (job %d on %s): %s" % (
            name, job_id, j["actual_device"], want_health), ["server: %s, %s" % (j["health"], reason)])
        got = self.server_cases(job_id)
        rep, want = lava.report_cases(self.lab.path("serial-%s.log" % name))
        want = [(c[0].replace(".", "_"),) + c[1:] for c in want]
        problems = lava.compare(want, got)
        self.tap.point(not problems and len(got) > 0,
                       "%s: the server's %d test cases equal the serial report's %d points and their "
                       "figures" % (name, len(got), len(rep["tests"])), problems[:40])
        return j, got, want

    # --- steps ----------------------------------------------------------------
    def bad_server(self):
        """Nobody listens: the REST call and lavacli each name the address."""
        url = "http://127.0.0.1:%d" % free_port()
        c = Client(url, USER, "0" * 32)
        for what, call in (("GET", lambda: c.rest("system/version/")),
                           ("lavacli", lambda: c.lavacli("system", "version"))):
            try:
                call()
                err = "answered"
            except LabError as e:
                err = str(e)
            self.tap.point("127.0.0.1" in err and ("not reachable" in err or "Unable to connect" in err),
                           "a server nobody listens on: %s says so, naming the address" % what, [err])
            self.say(err)

    def register(self):
        c = self.client
        c.lavacli("device-types", "add", DEVICE_TYPE)
        c.lavacli("device-types", "template", "set", DEVICE_TYPE,
                  os.path.join(ROOT, "lava", "qemu", "msilab-qemu.jinja2"))
        c.lavacli("device-types", "add", HELD_TYPE)
        c.lavacli("device-types", "template", "set", HELD_TYPE,
                  os.path.join(ROOT, "lava", "qemu", "msilab-qemu.jinja2"))
        dictionary = self.lab.path("device-dictionary.jinja2")
        with open(dictionary, "w") as f:
            f.write("{%% extends '%s.jinja2' %%}\n" % DEVICE_TYPE)
        for dev, dt, health in [(d, DEVICE_TYPE, "GOOD") for d in DEVICES] + [
                (HELD_DEVICE, HELD_TYPE, "MAINTENANCE")]:
            c.lavacli("devices", "add", "--type", dt, "--worker", "lab-worker", dev)
            c.lavacli("devices", "dict", "set", dev, dictionary)
            c.lavacli("devices", "update", "--health", health, dev)
        # The server's rendering of the template is lava/qemu/device.yaml's
        # machine (which make lava's lava-run reads).
        rendered = yaml.safe_load(c.lavacli("devices", "dict", "get", "--render", DEVICES[0]))
        with open(os.path.join(ROOT, "lava", "qemu", "device.yaml")) as f:
            ours = yaml.safe_load(f)
        q = lambda d: d["actions"]["boot"]["methods"]["qemu"]["parameters"]["options"]
        strip = lambda o: [re.sub(r",logfile=.*", "", x) for x in o]
        self.tap.point(strip(q(rendered)) == strip(q(ours))
                       and rendered["constants"]["kernel-start-message"] == "TAP version 13",
                       "the server renders %s's QEMU machine as lava/qemu/device.yaml's" % DEVICE_TYPE,
                       ["server: %s" % q(rendered), "ours:   %s" % q(ours)])

    def bad_input(self):
        wrong = Client(self.lab.url, USER, "x" * 32)
        for what, call in (("GET", lambda: wrong.rest("jobs/")),
                           ("lavacli", lambda: wrong.lavacli("jobs", "list"))):
            try:
                call()
                err = "accepted"
            except LabError as e:
                err = str(e)
            self.tap.point(("refused" in err or "401" in err) and self.lab.url in err and "x" * 32 not in err,
                           "a wrong token: %s is refused, naming the server and the user" % what, [err])
            self.say(err)
        try:
            self.client.submit(self.job_file("unknown-type", SAMPLES, {}, device_type="msilab-nosuch"))
            err = "accepted"
        except LabError as e:
            err = str(e)
        self.tap.point("msilab-nosuch" in err and "jobs submit" in err,
                       "a device type unknown to the server: the submission is refused, naming it", [err])
        self.say(err)
        # A job whose only device is in maintenance never starts.
        job_id = self.client.submit(self.job_file("held", SAMPLES, {}, device_type=HELD_TYPE))
        try:
            self.client.wait(job_id, 15)
            err = "it ran"
        except LabError as e:
            err = str(e)
        self.client.lavacli("jobs", "cancel", str(job_id))
        self.tap.point("never started" in err and HELD_DEVICE in err and "Maintenance" in err,
                       "a job that never starts: the wait's bound names the job, its type and its devices",
                       [err])
        self.say(err)

    def overhead(self):
        """The default job on the server and, at the same time, the same job
        through lava-run alone: what the server adds to a job."""
        t0 = time.monotonic()
        self.submit("default")
        d = lava.render("lava-run", CONFIGS["default"][0], out=self.lab.dir)
        self.client.wait(self.jobs["default"], BOUND, until=("Running", "Finished"))
        t1 = time.monotonic()
        _, records = lava.lava_run(d)
        bare = time.monotonic() - t1
        j = self.client.wait(self.jobs["default"], BOUND)
        wall = time.monotonic() - t0
        complete, _ = lava.outcome(records)
        ts = lambda k: time.mktime(time.strptime(j[k][:19], "%Y-%m-%dT%H:%M:%S"))
        queued, ran = ts("start_time") - ts("submit_time"), ts("end_time") - ts("start_time")
        self.figures.append("the default job: %.1f s submit to finished as lavacli's user sees it "
                            "(%.0f s queued and scheduled, %.0f s on the worker); lava-run on the same "
                            "job, started when the server's began: %.1f s (%s): the server adds %.1f s "
                            "per job"
                            % (wall, queued, ran, bare, "complete" if complete else "INCOMPLETE",
                               wall - bare))
        self.say(self.figures[-1])

    def two_at_once(self, a, b):
        ja, jb = (self.client.wait(self.jobs[n], BOUND) for n in (a, b))
        overlap = (ja["actual_device"] != jb["actual_device"] and ja["start_time"] < jb["end_time"]
                   and jb["start_time"] < ja["end_time"])
        self.tap.point(overlap, "%s and %s ran at the same time on the two devices" % (a, b),
                       ["%s: %s %s..%s" % (n, j["actual_device"], j["start_time"], j["end_time"])
                        for n, j in ((a, ja), (b, jb))])

    def failing(self):
        _, got, _ = self.check_job("failing")
        res = {c[0]: c[1] for c in got}
        self.tap.point(res.get("selftest_explicit_fail") == "fail" and res.get("selftest_skip") == "skip",
                       "failing: the server has selftest_explicit_fail fail and selftest_skip skip",
                       [str(res)])

    def no_tap(self):
        """A boot that never prints `TAP version 13`: an image OVMF cannot
        start (it ends in its shell). LAVA's reason is the monitor's
        timeout; the job log says what it waited for."""
        job_id = self.jobs["no-tap"]
        j = self.client.wait(job_id, BOUND)
        reason = self.lava_job_case(job_id).get("error_msg") or ""
        log = self.client.rest("jobs/%d/logs/" % job_id)
        waited = "Waiting for start message: TAP version 13" in log and "start string found" not in log
        self.tap.point(j["health"] == "Incomplete" and "lava-test-monitor timed out" in reason and waited,
                       "no-tap (job %d): Incomplete, %s, waiting for 'TAP version 13'" % (job_id, reason),
                       ["server: %s %s; log waited for TAP: %s" % (j["state"], j["health"], waited)])

    def cancel(self):
        """Cancelled once the report has begun: the job Canceled, its
        device Idle and Good, its QEMU gone."""
        job_id = self.jobs["cancelled"]
        self.client.wait(job_id, BOUND, until=("Running",))
        serial = self.lab.path("serial-cancelled.log")
        end = time.monotonic() + 120
        while time.monotonic() < end:
            if os.path.exists(serial) and "TAP version 13" in open(serial, errors="replace").read():
                break
            time.sleep(1)
        self.client.lavacli("jobs", "cancel", str(job_id))
        j = self.client.wait(job_id, 120)
        dev = self.client.rest("devices/%s/" % j["actual_device"])
        end = time.monotonic() + 60
        while dev["state"] != "Idle" and time.monotonic() < end:
            time.sleep(1)
            dev = self.client.rest("devices/%s/" % j["actual_device"])
        qemu = [p for p in lab_processes(self.lab.dir) if "serial-cancelled.log" in p[1]]
        self.tap.point(j["health"] == "Canceled" and dev["state"] == "Idle" and dev["health"] == "Good"
                       and not qemu,
                       "cancelled (job %d) while running: Canceled, %s Idle and Good, its QEMU gone"
                       % (job_id, j["actual_device"]),
                       ["job %s, device %s/%s, QEMU left: %s" % (j["health"], dev["state"], dev["health"],
                                                                 qemu)])

    def checker_fails(self, got, want):
        """The check itself, on the server's data of a real job with one
        thing wrong at a time: each must be a difference."""
        cases = [c for c in got if c[2] is not None and c[3] in ("ns", "cycles")]
        if not cases:
            self.tap.point(False, "the check can fail: a job with figures to spoil", [str(got[:5])])
            return
        c = cases[0]
        i = got.index(c)
        spoilt = {
            "a case missing": got[:i] + got[i + 1:],
            "a result changed": got[:i] + [(c[0], "fail" if c[1] != "fail" else "pass") + c[2:]] + got[i + 1:],
            "a figure changed": got[:i] + [(c[0], c[1], str(int(c[2]) + 1), c[3])] + got[i + 1:],
            "a unit changed": got[:i] + [c[:3] + ("us",)] + got[i + 1:],
            "a case twice": got + [c],
            "a case the report lacks": got + [("msilab_extra", "pass", None, "us")],
        }
        caught = {k: bool(lava.compare(want, v)) for k, v in spoilt.items()}
        self.tap.point(all(caught.values()), "the check fails on the server's data with %s"
                       % ", ".join(spoilt), ["not caught: %s" % [k for k, v in caught.items() if not v]])

    def main(self):
        leftovers = self.lab.clean_leftovers()
        still = lab_processes(self.lab.dir)
        self.tap.point(not still and not os.listdir(self.lab.dir),
                       "a clean start: nothing naming build/lava-lab running, the directory empty%s"
                       % ("; stopped what a previous run left: %s" % "; ".join(leftovers) if leftovers else ""),
                       ["still running: %s" % still, "in it: %s" % os.listdir(self.lab.dir)])
        self.bad_server()
        t0 = time.monotonic()
        self.lab.start_postgres()
        token = self.lab.start_server(USER)
        self.client = Client(self.lab.url, USER, token)
        self.lab.start_worker(ping_interval=5)
        end = time.monotonic() + 60
        while True:
            try:
                version = self.client.rest("system/version/")["version"]
                break
            except Unreachable:     # gunicorn still starting; anything else is an answer
                if time.monotonic() > end:
                    raise
                time.sleep(0.5)
        self.figures.append("the lab up in %.1f s (PostgreSQL, migrate, server %s at %s)"
                            % (time.monotonic() - t0, version, self.lab.url))
        self.say(self.figures[-1])
        self.register()
        self.bad_input()
        end = time.monotonic() + 60
        while self.client.rest("workers/lab-worker/")["state"] != "Online":
            if time.monotonic() > end:
                raise LabError("worker lab-worker not Online at %s after 60 s (build/lava-lab/worker.log)"
                               % self.lab.url)
            time.sleep(1)
        self.overhead()
        _, got, want = self.check_job("default")
        self.checker_fails(got, want)
        for a, b in (("vtd-x2apic", "amd-vi"), ("ir-off", "failing")):
            self.submit(a)
            self.submit(b)
            self.two_at_once(a, b)
            if a != "ir-off":
                self.check_job(a)
                self.check_job(b)
            else:
                self.check_job(a)
                self.failing()
        self.submit("cancelled")
        no_tap = self.lab.path("no-tap.efi")
        with open(no_tap, "wb") as f:
            f.write(b"\0" * 65536)
        self.jobs["no-tap"] = self.client.submit(self.job_file("no-tap", SAMPLES, {}, image=no_tap,
                                                               test_timeout=30))
        self.cancel()
        self.no_tap()
        self.figures.append("%d jobs in %.0f s from the lab's start"
                            % (len(self.jobs), time.monotonic() - t0))


def missing():
    if os.geteuid() != 0:
        return "run as root (PostgreSQL runs as postgres, lava-run works in /var/lib/lava/dispatcher)"
    for tool in ("lava-server", "lavacli", "lava-worker", "lava-run", "gunicorn3"):
        if not shutil.which(tool) and not os.path.exists("/usr/bin/" + tool):
            return "%s is not installed (tools/deps.sh lava-lab, as root)" % tool
    if not os.path.exists("/usr/lib/postgresql/15/bin/initdb"):
        return "PostgreSQL 15 is not installed (tools/deps.sh lava-lab, as root)"
    return None


def main():
    why = missing()
    if why:
        sys.exit("lava-lab: " + why)
    tap = lava.Tap()
    run = Run(tap)
    t0 = time.monotonic()
    try:
        run.main()
    except LabError as e:
        tap.point(False, "the lab ran to its end", [str(e)])
        print("lava-lab: error: %s" % e, file=sys.stderr)
    except KeyboardInterrupt:
        tap.point(False, "the lab ran to its end", ["interrupted"])
    finally:
        left = run.lab.stop()
        tap.point(not left, "every process started stopped by its id; nothing naming %s left running"
                  % os.path.relpath(run.lab.dir, ROOT), left)
    for f in run.figures:
        print("# figure: " + f)
    print("# lava-lab: %.0f s" % (time.monotonic() - t0))
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
