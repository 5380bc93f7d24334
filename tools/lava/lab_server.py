# SPDX-License-Identifier: MIT
"""The processes of a LAVA lab on this machine, without systemd: a
PostgreSQL cluster of its own (initdb and pg_ctl in build/lava-lab/pg),
the server's web and API process (gunicorn3 lava_server.wsgi), its event
publisher, its scheduler and one worker (lava-worker), as Debian 12's
lava-server and lava-dispatcher 2023.01 start them from their systemd
units (/lib/systemd/system/lava-*.service), with every path in
build/lava-lab: the server takes its settings from LAVA_JSON_SETTINGS
(lava_server/settings/prod.py), so nothing under /etc is touched.

Every process started is written to build/lava-lab/pids as it starts (its
id and start time) and stopped by its id (its process group: each is
started in a session of its own); the next run stops what a run that died
left there, where the id still has that start time, before it starts.
"""
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
WORKER = "lab-worker"


class LabError(Exception):
    """A failure that ends the run, said as what was tried and what came back."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def alive(pid):
    c = cmdline(pid)
    if c is None:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_pid(pid, group=True, sig=signal.SIGTERM, bound=20.0):
    """Stop PID (and its process group): SIG, then SIGKILL after BOUND
    seconds. Returns True when it is gone."""
    def send(s):
        try:
            if group:
                os.killpg(pid, s)
            else:
                os.kill(pid, s)
        except ProcessLookupError:
            pass
    send(sig)
    end = time.monotonic() + bound
    while time.monotonic() < end:
        try:
            os.waitpid(pid, os.WNOHANG)     # ours: reap it
        except ChildProcessError:
            pass
        if not alive(pid):
            return True
        time.sleep(0.2)
    send(signal.SIGKILL)
    time.sleep(0.5)
    return not alive(pid)


def stat(pid, field):
    """A field of /proc/PID/stat, counted from the state after the name
    (3: the session, 19: the start time in clock ticks since boot)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[field])
    except (OSError, ValueError, IndexError):
        return None


def session(pid):
    return stat(pid, 3)


def started_at(pid):
    return stat(pid, 19)


def lab_processes(lab, sessions=()):
    """Every process on the machine whose command line names the lab's
    directory (QEMU's serial log, the database), or that is in the session
    of a process the lab started (lava-worker starts each lava-run in a
    process group of its own, which names its job only: `lava-run [job: 2]`)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            c = cmdline(int(d))
            if c and (lab in c or session(int(d)) in sessions) and alive(int(d)):
                out.append((int(d), c.strip()))
    return out


class Lab:
    def __init__(self, root):
        self.root = root
        self.dir = os.path.join(root, "build", "lava-lab")
        self.pids_file = os.path.join(self.dir, "pids")
        self.started = []           # (name, pid, process group?)
        self.http_port = free_port()
        self.event_port = free_port()
        self.url = "http://127.0.0.1:%d" % self.http_port
        self.pg = os.path.join(self.dir, "pg")
        self.env = None
        self.worker_token = None

    def path(self, *p):
        return os.path.join(self.dir, *p)

    # --- a clean start --------------------------------------------------
    def clean_leftovers(self):
        """Stop what a previous run left (by the ids it wrote down, where
        the process there is still the one it started), then any process
        still naming the lab's directory; then empty the directory.
        Returns what was stopped."""
        stopped, sessions = [], set()
        if os.path.exists(self.pids_file):
            with open(self.pids_file) as f:
                for line in f:
                    try:
                        name, pid, group, start = line.split()
                        pid, start = int(pid), int(start)
                    except ValueError:
                        stopped.append("(a line of %s not understood, left: %r)" % (self.pids_file, line))
                        continue
                    # The same process: the same id and the same start
                    # time. A session whose leader is gone is still ours
                    # (Linux keeps an id in use while a session has it).
                    ours = started_at(pid) == start
                    if group == "group" and (ours or started_at(pid) is None):
                        sessions.add(pid)
                    if ours:
                        stop_pid(pid, group == "group")
                        stopped.append("%s (pid %d)" % (name, pid))
        for pid, c in lab_processes(self.dir, sessions):
            stop_pid(pid, group=False)
            stopped.append("pid %d: %s" % (pid, c[:100]))
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        return stopped

    def record(self, name, pid, group):
        self.started.append((name, pid, group))
        with open(self.pids_file, "a") as f:
            f.write("%s %d %s %d\n" % (name, pid, "group" if group else "single", started_at(pid)))

    def spawn(self, name, cmd, env=None):
        log = open(self.path(name + ".out"), "w")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=env, start_new_session=True, cwd=self.dir)
        self.record(name, p.pid, True)
        return p

    # --- PostgreSQL -----------------------------------------------------
    def start_postgres(self):
        os.makedirs(self.pg)
        shutil.chown(self.pg, "postgres", "postgres")
        run(["runuser", "-u", "postgres", "--", PG_BIN + "/initdb", "-D", self.pg + "/data",
             "-U", "lava", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            "initdb of the lab's PostgreSQL cluster in " + self.pg, self.path("initdb.log"))
        run(["runuser", "-u", "postgres", "--", PG_BIN + "/pg_ctl", "-D", self.pg + "/data",
             "-l", self.pg + "/postgresql.log", "-w", "-t", "60", "-o",
             "-k %s -c listen_addresses='' -c fsync=off" % self.pg, "start"],
            "pg_ctl start (PostgreSQL 15, socket in %s)" % self.pg, self.path("pg_ctl.log"))
        with open(self.pg + "/data/postmaster.pid") as f:
            pid = int(f.readline())
        self.record("postgres", pid, False)
        run([PG_BIN + "/createdb", "-h", self.pg, "-U", "lava", "lavaserver"],
            "createdb lavaserver", self.path("createdb.log"))

    # --- the server -----------------------------------------------------
    def settings(self):
        """The server's settings, as LAVA_JSON_SETTINGS."""
        s = {
            "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "lavaserver",
                                      "USER": "lava", "PASSWORD": "", "HOST": self.pg, "PORT": 5432}},
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEVICES_PATH": self.path("dispatcher-config", "devices"),
            "DEVICE_TYPES_PATHS": [self.path("dispatcher-config", "device-types"),
                                   "/usr/share/lava-server/device-types"],
            "HEALTH_CHECKS_PATH": self.path("dispatcher-config", "health-checks"),
            "DISPATCHER_CONFIG_PATH": self.path("dispatcher.d"),
            "MEDIA_ROOT": self.path("media"),
            "DJANGO_LOGFILE": self.path("django.log"),
            # msilab's device type reads these from a job's context
            # (lava/qemu/msilab-qemu.jinja2).
            "EXTRA_CONTEXT_VARIABLES": ["msilab_serial_log", "msilab_iommu"],
            "EVENT_NOTIFICATION": True,
            # The publisher and the scheduler drop to the lavaserver user.
            "INTERNAL_EVENT_SOCKET": "ipc://" + self.path("run", "events"),
            "EVENT_SOCKET": "tcp://127.0.0.1:%d" % self.event_port,
        }
        for d in ("devices", "device-types", "health-checks"):
            os.makedirs(self.path("dispatcher-config", d), exist_ok=True)
        os.makedirs(self.path("dispatcher.d"), exist_ok=True)
        os.makedirs(self.path("media"), exist_ok=True)
        os.makedirs(self.path("run"), exist_ok=True)
        shutil.chown(self.path("run"), "lavaserver", "lavaserver")
        env = dict(os.environ)
        env["LAVA_JSON_SETTINGS"] = base64.b64encode(json.dumps(s).encode()).decode()
        env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return env

    def manage(self, *args, what):
        return run(["/usr/bin/lava-server", "manage"] + list(args), what,
                   self.path("manage.log"), env=self.env, capture=True)

    def start_server(self, user):
        """Migrate, the user and its API token, the worker's record; then
        gunicorn, the publisher and the scheduler. Returns the token."""
        self.env = self.settings()
        self.manage("migrate", "--noinput", what="lava-server manage migrate")
        self.manage("users", "add", user, "--superuser", "--staff", what="lava-server manage users add " + user)
        token = self.manage("tokens", "add", "--user", user, what="lava-server manage tokens add").strip()
        out = self.manage("workers", "add", WORKER, what="lava-server manage workers add " + WORKER)
        self.worker_token = out.split("Token:")[-1].strip()
        self.spawn("gunicorn", ["/usr/bin/gunicorn3", "lava_server.wsgi", "--bind",
                                "127.0.0.1:%d" % self.http_port, "--workers", "2", "--timeout", "60",
                                "--log-file", self.path("gunicorn.log"), "--log-level", "info"], env=self.env)
        self.spawn("publisher", ["/usr/bin/lava-server", "manage", "lava-publisher", "--host", "127.0.0.1",
                                 "--port", str(free_port()), "--log-file", self.path("publisher.log")],
                   env=self.env)
        self.spawn("scheduler", ["/usr/bin/lava-server", "manage", "lava-scheduler", "--event-url",
                                 "tcp://127.0.0.1:%d" % self.event_port, "--log-file",
                                 self.path("scheduler.log"), "--level", "DEBUG"], env=self.env)
        return token

    def start_worker(self, ping_interval):
        os.makedirs(self.path("worker"), exist_ok=True)
        self.spawn("worker", ["/usr/bin/lava-worker", "--name", WORKER, "--url", self.url + "/",
                              "--token", self.worker_token, "--worker-dir", self.path("worker"),
                              "--ping-interval", str(ping_interval), "--log-file",
                              self.path("worker.log"), "--level", "DEBUG"])

    # --- the end --------------------------------------------------------
    def stop(self):
        """Stop every process started, by its id, the worker first and
        the database last. Returns what would not stop, and any process
        still naming the lab's directory (each then stopped by its id)."""
        order = {"worker": 0, "scheduler": 1, "publisher": 2, "gunicorn": 3, "postgres": 4}
        sessions = {pid for _, pid, group in self.started if group}
        left = []
        for name, pid, group in sorted(self.started, key=lambda s: order.get(s[0], 9)):
            # PostgreSQL's fast shutdown is SIGINT to the postmaster.
            sig = signal.SIGINT if name == "postgres" else signal.SIGTERM
            if not stop_pid(pid, group, sig):
                left.append("%s (pid %d) would not stop" % (name, pid))
        self.started = []
        for pid, c in lab_processes(self.dir, sessions):
            left.append("pid %d still running: %s" % (pid, c[:120]))
            stop_pid(pid, group=False)
        return left


def run(cmd, what, log, env=None, capture=False):
    """Run CMD; on failure a LabError naming WHAT and the end of its output."""
    with open(log, "a") as f:
        f.write("$ %s\n" % " ".join(cmd))
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                           stdin=subprocess.DEVNULL, text=True)
        f.write(p.stdout)
    if p.returncode != 0:
        raise LabError("%s: exit status %d: %s" % (what, p.returncode, p.stdout.strip()[-600:]))
    return p.stdout if capture else None
