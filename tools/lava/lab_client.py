# SPDX-License-Identifier: MIT
"""What a lab's user does with a LAVA server: lavacli 1.2 (XML-RPC) to
register devices, submit and cancel jobs, and the REST API (v0.2) to read
jobs and their results. Every failure is a LabError that names the
command or the address tried and what the server said."""
import json
import subprocess
import time
import urllib.error
import urllib.request

from lab_server import LabError


class Unreachable(LabError):
    """Nothing answered at the address (yet)."""


class Client:
    def __init__(self, url, user, token):
        self.url = url.rstrip("/")
        self.user = user
        self.token = token

    def who(self):
        return "user %s, token %s...%s" % (self.user, self.token[:4], self.token[-2:])

    # --- lavacli ----------------------------------------------------------
    def lavacli(self, *args, timeout=120):
        uri = "%s/RPC2" % self.url.replace("://", "://%s:%s@" % (self.user, self.token), 1)
        cmd = ["lavacli", "--uri", uri] + list(args)
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise LabError("lavacli %s at %s (%s): no answer in %d s"
                           % (" ".join(args), self.url, self.who(), timeout))
        if p.returncode != 0:
            said = (p.stderr.strip() or p.stdout.strip()).replace(self.token, "...").splitlines()
            raise LabError("lavacli %s at %s (%s): %s"
                           % (" ".join(args), self.url, self.who(), said[-1] if said else
                              "exit status %d" % p.returncode))
        return p.stdout

    def submit(self, path):
        """lavacli jobs submit; its answer is the job's id, or (exit status
        0 all the same) why the server would not take it."""
        out = self.lavacli("jobs", "submit", path).strip()
        if not out.isdigit():
            raise LabError("lavacli jobs submit %s at %s (%s): %s"
                           % (path, self.url, self.who(), out.replace(self.token, "...")))
        return int(out)

    # --- REST -------------------------------------------------------------
    def rest(self, path, timeout=30):
        url = "%s/api/v0.2/%s" % (self.url, path.lstrip("/"))
        req = urllib.request.Request(url, headers={"Authorization": "Token " + self.token})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                body = r.read().decode()
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")[:200]
            if e.code in (401, 403):
                raise LabError("GET %s (%s): the server refused the token: HTTP %d %s"
                               % (url, self.who(), e.code, detail))
            raise LabError("GET %s (%s): HTTP %d %s" % (url, self.who(), e.code, detail))
        except (urllib.error.URLError, OSError) as e:
            raise Unreachable("GET %s: server not reachable: %s" % (url, getattr(e, "reason", e)))
        if path.endswith("/logs/"):
            return body
        return json.loads(body)

    def rest_all(self, path):
        """Every row of a paginated listing."""
        out, offset = [], 0
        sep = "&" if "?" in path else "?"
        while True:
            page = self.rest("%s%slimit=500&offset=%d" % (path, sep, offset))
            out += page["results"]
            offset += len(page["results"])
            if not page.get("next") or not page["results"]:
                return out

    def job(self, job_id):
        return self.rest("jobs/%d/" % job_id)

    def wait(self, job_id, bound, until=("Finished",), device_type=None):
        """Poll the job until its state is in UNTIL, for at most BOUND
        seconds. A job still Submitted at the bound never started: the
        error says which devices of its type there were, and how they were."""
        end = time.monotonic() + bound
        while True:
            j = self.job(job_id)
            if j["state"] in until:
                return j
            if time.monotonic() > end:
                if j["state"] == "Submitted":
                    devs = self.rest_all("devices/?device_type=%s" % j["requested_device_type"])
                    raise LabError("job %d never started in %d s: device type %s has %s"
                                   % (job_id, bound, j["requested_device_type"],
                                      ", ".join("%s %s/%s" % (d["hostname"], d["state"], d["health"])
                                                for d in devs) or "no devices"))
                raise LabError("job %d did not reach %s in %d s: it is %s on %s"
                               % (job_id, "/".join(until), bound, j["state"], j["actual_device"]))
            time.sleep(1)
