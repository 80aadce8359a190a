"""Many case managers at once, with the worker busy: no 5xx, nothing lost, nothing doubled.

    .venv/bin/python bench/concurrency.py                       # 100 users, 5 minutes, SQLite
    .venv/bin/python bench/concurrency.py --database postgres   # the same on a throwaway database
    .venv/bin/python bench/concurrency.py --users 30 --seconds 40 --check   # the CI version

Builds the demo world in a throwaway database, serves it as `make demo` does (gunicorn, two
workers of four threads, and `manage.py db_worker`), keeps the worker busy (deadline
recomputations and digests queued every second), and lets N simulated case managers loop over
loopback: the caseload, a student's page, a goal's progress page, the deadlines page, a data point
through the API (with a client key, sometimes sent twice as a flaky network would) and a contact
log entry through the web form. Afterwards every write the server acknowledged must be in the
database exactly once, and none it refused may be. Prints the figures; with --check, exits 1 on
any 5xx, lost or duplicated row.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PASSWORD = "tandem-demo"
ACCOUNT = "casemanager@riverside.example"
MEASURES = (
    {"trials_correct": 4, "trials_total": 5},
    {"percent": 80.0},
    {"rate_per_minute": 60.0},
    {"score": 3.0},
    {"count": 2},
    {"duration_seconds": 120.0},
    {"rubric_level": 3.0},
)


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    by_kind: dict[str, Counter[int]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    points_kept: set[str] = field(default_factory=set)  # client keys the server acknowledged
    points_refused: set[str] = field(default_factory=set)
    contacts_kept: set[str] = field(default_factory=set)  # markers the server acknowledged
    contacts_refused: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float, note: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            self.by_kind.setdefault(kind, Counter())[status] += 1
            self.seconds.append(seconds)
            if status >= 500 and len(self.errors) < 20:
                self.errors.append(f"{kind} {status} {note[:200]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Client:
    """One browser: its own cookies, a CSRF token, and an API token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, method: str, path: str, data: dict | None = None, *, api: bool = False
    ) -> tuple[int, str]:
        headers = {"User-Agent": "tandem-bench"}
        body = None
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
            if data is not None:
                body = json.dumps(data).encode()
                headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf()
            headers["Referer"] = self.base + path
        req = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=120) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def login(self) -> None:
        self.request("GET", "/login/")
        status, _ = self.request(
            "POST", "/login/", {"username": ACCOUNT, "password": PASSWORD, "next": "/"}
        )
        if status != 302:
            raise SystemExit(f"sign-in failed with {status}")


def django_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(24),
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def world(env: dict[str, str]) -> dict:
    """The case manager's students and, for each open goal, a measure it accepts."""
    script = r"""
import json
from django.utils import timezone
from tandem.accounts.models import User
from tandem.access.capabilities import Cap
from tandem.access.policy import students_visible_to
from tandem.plans.models import Goal
from tandem.progress.actions import derive_value
user = User.objects.get(email=EMAIL)
students = list(students_visible_to(user, need=Cap.RECORD_PROGRESS).values_list("public_id", flat=True)[:40])
goals = []
for goal in Goal.objects.filter(plan__student__public_id__in=students, plan__status="active"):
    for m in MEASURES:
        try:
            derive_value(goal, m)
        except Exception:
            continue
        goals.append({"id": str(goal.public_id), "measures": m})
        break
print(json.dumps({"students": [str(s) for s in students], "goals": goals}))
"""
    code = f"EMAIL={ACCOUNT!r}\nMEASURES={MEASURES!r}\n" + script
    out = manage(env, "shell", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


def user_loop(
    n: int, base: str, token: str, data: dict, stop: float, tally: Tally, seed: int
) -> None:
    rng = random.Random(seed)
    client = Client(base, token)
    try:
        client.login()
    except Exception as exc:  # noqa: BLE001 - reported, not raised in a thread
        tally.add("login", 599, 0.0, repr(exc))
        return
    today = time.strftime("%Y-%m-%d")
    while time.time() < stop:
        student = rng.choice(data["students"])
        action = rng.random()
        began = time.perf_counter()
        if action < 0.15:
            kind, (status, body) = "caseload", client.request("GET", "/")
        elif action < 0.35:
            kind, (status, body) = "student", client.request("GET", f"/students/{student}/")
        elif action < 0.45 and data["goals"]:
            goal = rng.choice(data["goals"])
            kind, (status, body) = "goal", client.request("GET", f"/goals/{goal['id']}/progress/")
        elif action < 0.52:
            kind, (status, body) = "deadlines", client.request("GET", "/deadlines/")
        elif action < 0.80 and data["goals"]:
            goal = rng.choice(data["goals"])
            key = str(uuid.uuid4())
            day = (time.time() - rng.randrange(0, 40) * 86400) if rng.random() < 0.5 else None
            payload = {
                "taken_on": time.strftime("%Y-%m-%d", time.localtime(day)) if day else today,
                "client_key": key,
                "note": f"bench {key[:8]}",
                **goal["measures"],
            }
            kind = "data_point"
            status, body = client.request(
                "POST", f"/api/v1/goals/{goal['id']}/data-points", payload, api=True
            )
            if status < 500 and rng.random() < 0.1:  # a flaky network sends it again
                status2, _ = client.request(
                    "POST", f"/api/v1/goals/{goal['id']}/data-points", payload, api=True
                )
                tally.add("data_point_replay", status2, 0.0)
            with tally.lock:
                (tally.points_kept if status in (200, 201) else tally.points_refused).add(key)
        else:
            marker = f"bench-{uuid.uuid4().hex[:12]}"
            kind = "contact"
            status, body = client.request(
                "POST",
                f"/students/{student}/communication/",
                {
                    "contacted_on": today,
                    "method": "phone",
                    "language": "English",
                    "summary": f"Called about homework ({marker}).",
                },
            )
            with tally.lock:
                (tally.contacts_kept if status == 302 else tally.contacts_refused).add(marker)
        tally.add(kind, status, time.perf_counter() - began, body if status >= 500 else "")
        time.sleep(rng.uniform(0.2, 1.2))


def keep_worker_busy(env: dict[str, str], stop: float, log) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """Queue a recomputation of every district's deadlines and the digests, every second."""
    code = (
        "import time\n"
        "from tandem.compliance.tasks import recompute_deadlines, send_deadline_digests\n"
        "from tandem.people.models import District\n"
        "ids = list(District.objects.values_list('pk', flat=True))\n"
        f"while time.time() < {stop}:\n"
        "    for d in ids: recompute_deadlines.enqueue(d)\n"
        "    send_deadline_digests.enqueue()\n"
        "    time.sleep(1)\n"
    )
    return subprocess.Popen(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def verify(env: dict[str, str], tally: Tally) -> dict[str, int]:
    """Rows in the database against what the server acknowledged."""
    code = r"""
import json, sys
from tandem.progress.models import DataPoint
from tandem.communication.models import ContactEntry
keys = json.load(open(sys.argv[-1]))
kept = set(map(str, DataPoint.objects.filter(note__startswith="bench ").values_list("client_key", flat=True)))
rows = DataPoint.objects.filter(note__startswith="bench ").count()
summaries = list(ContactEntry.objects.filter(summary__contains="(bench-").values_list("summary", flat=True))
print(json.dumps({"point_keys": sorted(kept), "point_rows": rows, "contact_summaries": summaries}))
"""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([], handle)
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code.replace("sys.argv[-1]", repr(handle.name))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    stored_points = set(found["point_keys"])
    markers = Counter(
        m for s in found["contact_summaries"] for m in re.findall(r"bench-[0-9a-f]{12}", s)
    )
    return {
        "points acknowledged": len(tally.points_kept),
        "points lost": len(tally.points_kept - stored_points),
        "points stored though refused": len(tally.points_refused & stored_points),
        "points duplicated": found["point_rows"] - len(stored_points),
        "contacts acknowledged": len(tally.contacts_kept),
        "contacts lost": len(tally.contacts_kept - set(markers)),
        "contacts stored though refused": len(tally.contacts_refused & set(markers)),
        "contacts duplicated": sum(n - 1 for n in markers.values() if n > 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 on any 5xx, lost or doubled row"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    pg_name = f"tandem_bench_{os.getpid()}"
    if args.database == "sqlite":
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {pg_name}"],
            check=True,
        )
        url = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    env = django_env(url)
    procs: list[subprocess.Popen] = []
    try:
        began = time.perf_counter()
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--quiet")
        token = manage(env, "issue_api_token", ACCOUNT).strip().splitlines()[-1]
        data = world(env)
        print(
            f"{args.database}: demo built in {time.perf_counter() - began:.0f} s; "
            f"{len(data['students'])} students, {len(data['goals'])} goals with data entry"
        )
        log = open(work / "server.log", "w")  # noqa: SIM115 - closed with the processes
        procs.append(
            subprocess.Popen(
                [
                    str(Path(PY).parent / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--backlog",
                    "2048",
                    "--timeout",
                    "120",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        )
        procs.append(
            subprocess.Popen(
                [PY, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=log, stderr=log
            )
        )
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.5)
        else:
            log.flush()
            raise SystemExit(
                "the server did not start:\n" + (work / "server.log").read_text()[-3000:]
            )
        stop = time.time() + args.seconds
        procs.append(keep_worker_busy(env, stop, log))
        tally = Tally()
        threads = [
            threading.Thread(
                target=user_loop, args=(i, base, token, data, stop, tally, 1000 + i), daemon=True
            )
            for i in range(args.users)
        ]
        for t in threads:
            t.start()
            time.sleep(args.seconds / args.users / 10)  # users arrive over the first tenth
        for t in threads:
            t.join(timeout=args.seconds + 300)
        time.sleep(2)
        rows = verify(env, tally)
        tasks = (
            manage(
                env,
                "shell",
                "-c",
                "from django_tasks_db.models import DBTaskResult as R; "
                "print('tasks', R.objects.count(), R.objects.filter(status='SUCCESSFUL').count(), "
                "R.objects.filter(status='FAILED').count())",
            )
            .split("tasks ")[-1]
            .split()
        )
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        if args.database == "postgres":
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-q",
                    "-c",
                    f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)",
                ],
                check=False,
            )
    total = sum(tally.statuses.values())
    fivexx = sum(n for s, n in tally.statuses.items() if s >= 500)
    cuts = statistics.quantiles(tally.seconds, n=100) if len(tally.seconds) > 2 else [0.0] * 99
    print(
        f"{args.users} users for {args.seconds} s: {total} requests "
        f"({total / args.seconds:.1f}/s), 5xx: {fivexx}, median {statistics.median(tally.seconds) * 1000:.0f} ms, "
        f"p95 {cuts[94] * 1000:.0f} ms"
    )
    for kind, counts in sorted(tally.by_kind.items()):
        print(f"  {kind:18} " + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items())))
    print(f"  worker tasks: {tasks[0]} queued, {tasks[1]} done, {tasks[2]} failed")
    for name, value in rows.items():
        print(f"  {name}: {value}")
    for line in tally.errors:
        print("  error:", html.unescape(re.sub(r"<[^>]+>", " ", line))[:300])
    bad = fivexx + sum(
        v for k, v in rows.items() if "lost" in k or "duplicated" in k or "refused" in k
    )
    if args.check and bad:
        print(f"FAILED: {bad} problems (work kept in {work})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
