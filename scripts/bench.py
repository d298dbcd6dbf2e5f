#!/usr/bin/env python3
"""The portal's benchmark (`make bench`): how fast do its pages serve next to a view that does nothing?

It makes a fresh PostgreSQL database `diz_bench`, migrates it, loads the demo partnership (when
`load_demo` exists) and synthetic data N times the DIZ's size (`seed_bench --scale N`), serves the
portal with gunicorn as production does (DEBUG off, Redis cache), and drives each target in TARGETS
with wrk. It prints requests per second, median and 95th-percentile latency for each page, each as
a ratio to the bare view (`/bench/bare`, the same middleware and nothing else), and writes them to
bench-results/latest.json. A target marked optional whose page does not exist yet (404) is reported
as not available and skipped.

Then it times a board pack on a real worker: `manage.py bench_pack_meeting` makes a meeting with 20
items, each with a five-page PDF paper, and publishes it; a `celery worker --pool=solo` is started
and the members' pack is queued; the time from enqueue to the document being ready (polled in the
database) is taken three times (`--pack-runs`: first on the fresh worker, then rebuilds from
scratch) and the median must be under 5 seconds. It prints the times, the pack's pages and size and
the worker's peak memory (VmHWM from /proc). It exits non-zero if any page answers with an error, or the pack
fails or is too slow. It leaves no process running.

Run from anywhere: `.venv/bin/python scripts/bench.py --scale 10`. Needs PostgreSQL at 127.0.0.1:5432
(user postgres, trust auth), Redis at 127.0.0.1:6379 and wrk (installed with apt-get when run as root).
Uploaded and generated files go to a temporary MEDIA_ROOT, removed at the end. Not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CELERY = ROOT / ".venv" / "bin" / "celery"
RESULTS_DIR = ROOT / "bench-results"

DB_NAME = "diz_bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_URL = "redis://127.0.0.1:6379/5"
CACHE_KEY_PREFIX = "diz-bench"

# The pages to measure. The first is the yardstick the others are compared with. `path` may name
# a fact looked up in the seeded database, as {name}: see FACTS. `login_as` (an email) loads the
# page signed in as that person, through a session made by `manage.py bench_session`. `optional`:
# a page still being written; if it answers 404 it is reported as not available, not as an error.
TARGETS: list[dict] = [
    {"name": "bare view", "path": "/bench/bare"},
    {"name": "partner directory", "path": "/partners/"},
    {"name": "governing body", "path": "/governance/{busiest_body}/"},
    {
        "name": "meeting page (member)",
        "path": "/meetings/{next_board_meeting}/",
        "login_as": "board.member@example.org",
    },
    {
        "name": "action log (member)",
        "path": "/meetings/actions/",
        "login_as": "board.member@example.org",
        "optional": True,
    },
    {"name": "calendar feed", "path": "/meetings/calendar.ics", "optional": True},
    {
        "name": "register of interests (member)",
        "path": "/meetings/interests/",
        "login_as": "board.member@example.org",
        "optional": True,
    },
    {
        "name": "my register of interests (member)",
        "path": "/meetings/interests/mine/",
        "login_as": "board.member@example.org",
        "optional": True,
    },
    # The strategy (issue 9), with the speed issue's targets: `target` says which applies.
    {"name": "strategy adoption", "path": "/strategy/", "optional": True, "target": {"rps_ratio": 0.5}},
    {
        "name": "strategy diff (member)",
        "path": "/strategy/compare/1.0/1.1/",
        "login_as": "board.member@example.org",
        "optional": True,
        "target": {"rps_ratio": 0.15, "p95_ms": 100},
    },
    {
        "name": "endorsements open data",
        "path": "/open-data/endorsements.json",
        "optional": True,
        "target": {"rps_ratio": 0.5},
    },
    {"name": "endorsements feed", "path": "/strategy/feed.atom", "optional": True, "target": {"rps_ratio": 0.5}},
    {
        "name": "partner's endorsement (member)",
        "path": "/strategy/partners/broxbourne-borough-council/",
        "login_as": "board.member@example.org",
        "optional": True,
        "target": {"rps_ratio": 0.15, "p95_ms": 100},
    },
    {
        "name": "endorsement tracker (programme manager)",
        "path": "/manage/strategy/",
        "login_as": "programme.manager@example.org",
        "optional": True,
        "target": {"p95_ms": 150},
    },
    # The delivery plan (issue 10).
    {"name": "projects", "path": "/projects/", "optional": True, "target": {"rps_ratio": 0.5}},
    {"name": "project page", "path": "/projects/town-centre-wi-fi/", "optional": True, "target": {"rps_ratio": 0.5}},
    {"name": "projects open data", "path": "/open-data/projects.json", "optional": True, "target": {"rps_ratio": 0.5}},
    {"name": "roadmap", "path": "/projects/roadmap/", "optional": True, "target": {"rps_ratio": 0.5}},
    {
        "name": "portfolio (member)",
        "path": "/projects/portfolio/",
        "login_as": "board.member@example.org",
        "optional": True,
        "target": {"rps_ratio": 0.15, "p95_ms": 100},
    },
    {
        "name": "ideas ranked (member)",
        "path": "/projects/ideas/",
        "login_as": "board.member@example.org",
        "optional": True,
        "target": {"rps_ratio": 0.15, "p95_ms": 100},
    },
    {
        "name": "project planning (programme manager)",
        "path": "/manage/strategy/projects/town-centre-wi-fi/edit/",
        "login_as": "programme.manager@example.org",
        "optional": True,
        "target": {"p95_ms": 150},
    },
]

# Facts the targets' paths may use, each a Python expression evaluated in `manage.py shell`.
FACTS: dict[str, str] = {
    "busiest_body": (
        "GoverningBody.objects.annotate("
        "n=Count('memberships', filter=Q(memberships__in=Membership.objects.current()))"
        ").order_by('-n', 'display_order', 'name').values_list('slug', flat=True).first()"
    ),
    # The demo Board's next meeting: published, with papers and a restricted item.
    "next_board_meeting": (
        "Meeting.objects.published().upcoming().filter(body__slug='board').values_list('pk', flat=True).first()"
    ),
}
FACTS_PRELUDE = (
    "from django.db.models import Count, Q\n"
    "from meetings.models import Meeting\n"
    "from partners.models import GoverningBody, Membership\n"
)

# The board pack: built by a worker in under this many seconds (DESIGN.md, quality bars).
PACK_TARGET_SECONDS = 5.0
PACK_ITEMS = 20
PACK_PAPER_PAGES = 5

WRK_LUA = r"""
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.2f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f "
      .. "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""


class BenchError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Setting up ------------------------------------------------------------------------------


def bench_env(media_root: Path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        WHITENOISE_USE_FINDERS="1",
        BENCH_BARE_VIEW="1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        MEDIA_ROOT=str(media_root),
        # Publishing the demo's agendas emails its members: the bench sends nothing anywhere.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            # WITH (FORCE) (PostgreSQL 13+) ends the connections a previous run left behind.
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        conn.close()


def clear_bench_cache() -> None:
    """Forget what an earlier run cached: only this run's own keys, in its own Redis database."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    keys = list(client.scan_iter(match=f"{CACHE_KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


def manage(env: dict[str, str], *args: str, capture: bool = False, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], check=False, cwd=ROOT, env=env, text=True, capture_output=True
    )
    if check and result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    if not capture and result.stdout.strip():
        for line in result.stdout.strip().splitlines():
            log(f"  {line}")
    return result


def has_command(env: dict[str, str], name: str) -> bool:
    return manage(env, "help", name, capture=True, check=False).returncode == 0


def look_up_facts(env: dict[str, str]) -> dict[str, str]:
    code = (
        FACTS_PRELUDE
        + "import json\nprint(json.dumps({"
        + ", ".join(f"{name!r}: {expr}" for name, expr in FACTS.items())
        + "}))"
    )
    out = manage(env, "shell", "-v", "0", "-c", code, capture=True).stdout.strip().splitlines()
    return json.loads(out[-1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("wrk is not installed: install it (Debian: `sudo apt-get install wrk`) and run again.")
    log("installing wrk with apt-get")
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False, env=apt_env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=apt_env, capture_output=True, check=False)
        result = subprocess.run(install, check=False, env=apt_env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"apt-get install wrk failed:\n{result.stdout}{result.stderr}")
    found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk was installed but is not on PATH.")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Serving ---------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    log_file = log_path.open("w")
    command = [
        str(GUNICORN),
        "diz_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    # Its own process group, so that stopping it stops its workers with it.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, cookie: str | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_serving(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited with {proc.returncode}:\n{tail(log_path)}")
        try:
            status, _ = fetch(url, timeout=2)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as error:
            last = str(error)
        time.sleep(0.25)
    raise BenchError(f"{url} did not answer 200 within {timeout:.0f}s ({last}):\n{tail(log_path)}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- Measuring -------------------------------------------------------------------------------

RESULT_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


def run_wrk(wrk: str, url: str, lua: Path, cookie: str | None, args) -> dict:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["--timeout", f"{args.timeout}s", "-s", str(lua)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, url], check=False, capture_output=True, text=True, timeout=args.duration + 60)
    match = RESULT_LINE.search(result.stdout)
    if result.returncode != 0 or not match:
        raise BenchError(f"wrk failed on {url} ({result.returncode}):\n{result.stdout}{result.stderr}")
    fields = dict(pair.split("=", 1) for pair in match.group(1).split())
    numbers = {key: float(value) for key, value in fields.items()}
    # wrk's own count of non-2xx/3xx answers, as a cross-check of the Lua hook's.
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", result.stdout)
    numbers["non2xx"] = max(numbers["non2xx"], float(non2xx.group(1)) if non2xx else 0.0)
    return {
        "requests": int(numbers["requests"]),
        "seconds": numbers["seconds"],
        "rps": numbers["rps"],
        "p50_ms": numbers["p50_ms"],
        "p95_ms": numbers["p95_ms"],
        "p99_ms": numbers["p99_ms"],
        "max_ms": numbers["max_ms"],
        "non_2xx": int(numbers["non2xx"]),
        "socket_errors": {k: int(numbers[k]) for k in ("connect", "read", "write", "timeout")},
        "wrk_output": result.stdout,
    }


def warm_up(wrk: str, url: str, cookie: str | None, seconds: int, connections: int) -> None:
    if seconds <= 0:
        return
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    subprocess.run([*command, url], capture_output=True, timeout=seconds + 30, check=False)


def print_table(rows: list[dict], not_available: list[dict] = ()) -> None:
    headers = ["page", "path", "requests/s", "p50 ms", "p95 ms", "rps vs bare", "p50 vs bare", "errors"]
    table = [
        [
            row["name"],
            row["path"],
            f"{row['rps']:.1f}",
            f"{row['p50_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            f"{row['rps_ratio']:.2f}x",
            f"{row['p50_ratio']:.2f}x",
            str(row["non_2xx"] + sum(row["socket_errors"].values())),
        ]
        for row in rows
    ]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    left = {0, 1}

    def line(cells):
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in table:
        print(line(row))
    for missing in not_available:
        print(f"{missing['name'].ljust(widths[0])}  {missing['path'].ljust(widths[1])}  not available (404)")


# --- The board pack on a worker --------------------------------------------------------------


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log_file = log_path.open("w")
    command = [
        str(CELERY),
        "-A",
        "diz_portal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"bench-pack-{os.getpid()}@%h",
    ]
    # Its own process group, like gunicorn, so that nothing it starts outlives the run.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_worker(proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"the celery worker exited with {proc.returncode}:\n{tail(log_path)}")
        if re.search(r"\bready\.", log_path.read_text(errors="replace")):
            return
        time.sleep(0.1)
    raise BenchError(f"the celery worker was not ready within {timeout:.0f}s:\n{tail(log_path)}")


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # warm shutdown: it finishes the task in hand, then exits
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def vm_hwm_kb(pid: int) -> int:
    """The process's peak resident set size ("high water mark"), in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise BenchError(f"no VmHWM in /proc/{pid}/status")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def document_state(document_id: int) -> dict | None:
    import psycopg2

    conn = psycopg2.connect(dbname=DB_NAME, **PG)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT status, page_count, file, error, started_at, finished_at, version "
                "FROM diz_portal_generateddocument WHERE id = %s",
                [document_id],
            )
            row = cursor.fetchone()
    finally:
        conn.close()
    if row is None:
        return None
    keys = ["status", "page_count", "file", "error", "started_at", "finished_at", "version"]
    return dict(zip(keys, row, strict=True))


def purge_queue(env: dict[str, str]) -> None:
    """Drop the tasks left in the bench's Redis database: publishing the demo's and the pack
    meeting's agendas queued builds that no worker was there to take."""
    result = subprocess.run(
        [str(CELERY), "-A", "diz_portal", "purge", "-f"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BenchError(f"celery purge failed:\n{result.stdout}{result.stderr}")
    if result.stdout.strip():
        log(f"  {result.stdout.strip().splitlines()[-1]}")


def time_board_pack(env: dict[str, str], media_root: Path, runs_wanted: int = 3, timeout: float = 120) -> dict:
    """Build the members' pack of a 20-item meeting on a real worker; time enqueue → ready."""
    result: dict = {"items": PACK_ITEMS, "paper_pages": PACK_PAPER_PAGES, "target_s": PACK_TARGET_SECONDS}
    log(f"making a {PACK_ITEMS}-item meeting with {PACK_PAPER_PAGES}-page papers for the board pack")
    try:
        made = manage(
            env, "bench_pack_meeting", "--items", str(PACK_ITEMS), "--pages", str(PACK_PAPER_PAGES), capture=True
        )
        made = json.loads(made.stdout.strip().splitlines()[-1])
        purge_queue(env)
    except BenchError as error:
        result["error"] = str(error)
        return result
    document_id = made["document"]
    result |= {"meeting": made["meeting"], "document": document_id}
    worker_log = RESULTS_DIR / "worker.log"
    log(f"starting a celery worker (--pool=solo; log: {worker_log.relative_to(ROOT)})")
    proc = start_worker(env, worker_log)
    runs: list[dict] = []
    try:
        wait_for_worker(proc, worker_log)
        result["worker_idle_kb"] = vm_hwm_kb(proc.pid)
        for run_number in range(runs_wanted):
            if run_number:
                # Build it again from scratch: forget the fingerprint, so the worker cannot call it unchanged.
                reset_document(document_id)
            runs.append(build_once(env, proc, document_id, worker_log, timeout))
            if runs[-1].get("error"):
                break
        result["worker_peak_kb"] = vm_hwm_kb(proc.pid)
    except BenchError as error:
        result["error"] = str(error)
        return result
    finally:
        stop_worker(proc)
    result["runs"] = runs
    failed = [r for r in runs if r.get("error")]
    if failed:
        result["error"] = failed[0]["error"]
        return result
    last = runs[-1]
    path = media_root / last["file"]
    times = [r["seconds"] for r in runs]
    result |= {
        "first_s": times[0],
        "median_s": round(statistics.median(times), 3),
        "seconds": round(statistics.median(times), 3),
        "pages": last["pages"],
        "bytes": path.stat().st_size if path.exists() else None,
    }
    result["passed"] = result["seconds"] < PACK_TARGET_SECONDS
    return result


def reset_document(document_id: int) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname=DB_NAME, **PG)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "UPDATE diz_portal_generateddocument SET status = 'queued', fingerprint = '' WHERE id = %s",
                [document_id],
            )
    finally:
        conn.close()


def build_once(env: dict[str, str], proc: subprocess.Popen, document_id: int, worker_log: Path, timeout: float):
    """Queue the build and poll the database until the document is ready (or failed)."""
    before = document_state(document_id)
    if before is None or before["status"] == "ready":
        raise BenchError(f"the pack document {document_id} is {before and before['status']}, not queued")
    cpu_before = cpu_seconds(proc.pid)
    enqueued = manage(env, "bench_pack_meeting", "--enqueue", str(document_id), capture=True)
    enqueued_at = json.loads(enqueued.stdout.strip().splitlines()[-1])["enqueued_at"]
    while True:
        state = document_state(document_id)
        now = time.time()
        if state["status"] == "ready" and state["version"] > before["version"]:
            break
        if state["status"] == "failed" or now > enqueued_at + timeout:
            return {"error": f"the pack is {state['status']} after {now - enqueued_at:.0f}s: {state['error']}"}
        if proc.poll() is not None:
            raise BenchError(f"the celery worker died during the build:\n{tail(worker_log)}")
        time.sleep(0.02)
    return {
        "seconds": round(now - enqueued_at, 3),
        "worker_build_s": round((state["finished_at"] - state["started_at"]).total_seconds(), 3),
        "worker_cpu_s": round(cpu_seconds(proc.pid) - cpu_before, 3),
        "pages": state["page_count"],
        "file": state["file"],
    }


def print_pack(pack: dict) -> None:
    print(f"Board pack on a worker: {pack['items']} items, each with a {pack['paper_pages']}-page PDF paper")
    if pack.get("error"):
        print(f"  FAIL: {pack['error']}")
        return
    verdict = "PASS" if pack["passed"] else "FAIL"
    runs = pack["runs"]
    print(
        "  build time, enqueue to ready: "
        + ", ".join(f"{r['seconds']:.2f} s" for r in runs)
        + f"  (first on a fresh worker, then {len(runs) - 1} rebuilds; the worker's own build: "
        + ", ".join(f"{r['worker_build_s']:.2f} s" for r in runs)
        + ")"
    )
    print("  the worker's CPU time for each: " + ", ".join(f"{r['worker_cpu_s']:.2f} s" for r in runs))
    print(f"  median {pack['median_s']:.2f} s: {verdict} (target under {pack['target_s']:.0f} s)")
    size = f"{pack['bytes'] / 1_000_000:.2f} MB" if pack["bytes"] is not None else "unknown size"
    print(f"  pack: {pack['pages']} pages, {size}")
    print(
        f"  worker peak memory (VmHWM): {pack['worker_peak_kb'] / 1024:.0f} MB "
        f"(after start-up, before the first build: {pack['worker_idle_kb'] / 1024:.0f} MB)"
    )


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="seed_bench scale (default 10)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load for each page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of untimed load first (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--timeout", type=int, default=5, help="wrk's per-request timeout in seconds (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--pack-runs", type=int, default=3, help="board pack builds on the worker (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    RESULTS_DIR.mkdir(exist_ok=True)
    wrk = ensure_wrk()
    media_root = Path(tempfile.mkdtemp(prefix="diz-bench-media-"))
    try:
        return run(args, wrk, media_root, started)
    finally:
        shutil.rmtree(media_root, ignore_errors=True)


def run(args, wrk: str, media_root: Path, started: float) -> int:
    env = bench_env(media_root)

    log(f"recreating PostgreSQL database {DB_NAME}")
    recreate_database()
    clear_bench_cache()
    log("migrating")
    manage(env, "migrate", "--noinput", "-v", "0")
    # DEBUG is off, so {% static %} goes through the manifest storage: collect the files as a deploy does.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if has_command(env, "load_demo"):
        log("loading the demo partnership")
        manage(env, "load_demo")
    else:
        log("no load_demo command yet: skipping the demo partnership")
    log(f"seeding bench data at scale {args.scale}")
    manage(env, "seed_bench", "--scale", str(args.scale))
    facts = look_up_facts(env)
    log(f"facts: {facts}")

    targets = []
    for target in TARGETS:
        path = target["path"].format(**facts)
        if "None" in path:
            raise BenchError(f"{target['name']}: a fact its path needs is missing ({path}).")
        cookie = None
        if target.get("login_as"):
            cookie = manage(env, "bench_session", target["login_as"], capture=True).stdout.strip().splitlines()[-1]
        targets.append({**target, "path": path, "cookie": cookie})

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_log = RESULTS_DIR / "gunicorn.log"
    log(f"starting gunicorn on {base} with {args.workers} workers (log: {gunicorn_log.relative_to(ROOT)})")
    proc = start_gunicorn(env, port, args.workers, gunicorn_log)
    rows = []
    failures = []
    not_available: list[dict] = []
    try:
        wait_until_serving(base + TARGETS[0]["path"], proc, gunicorn_log)
        # Each page once before any load: every one must answer 200 (an optional one may be missing).
        for target in targets:
            status, body = fetch(base + target["path"], target["cookie"])
            target["bytes"] = len(body)
            if status == 404 and target.get("optional"):
                target["missing"] = True
                log(f"{target['name']} ({target['path']}): not available (HTTP 404), skipped")
                not_available.append({"name": target["name"], "path": target["path"]})
            elif status != 200:
                failures.append(f"{target['name']} {target['path']}: HTTP {status}")
        if failures:
            raise BenchError("pages do not answer 200:\n  " + "\n  ".join(failures) + "\n" + tail(gunicorn_log))

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua_file:
            lua_file.write(WRK_LUA)
        lua = Path(lua_file.name)
        try:
            for target in targets:
                if target.get("missing"):
                    continue
                url = base + target["path"]
                log(f"loading {target['name']} ({target['path']}, {target['bytes']} bytes) for {args.duration}s")
                warm_up(wrk, url, target["cookie"], args.warmup, args.connections)
                result = run_wrk(wrk, url, lua, target["cookie"], args)
                rows.append(
                    {
                        "name": target["name"],
                        "path": target["path"],
                        "login_as": target.get("login_as"),
                        "bytes": target["bytes"],
                        **result,
                    }
                )
                if result["non_2xx"]:
                    failures.append(f"{target['name']} {target['path']}: {result['non_2xx']} non-2xx/3xx answers")
                if result["requests"] == 0:
                    failures.append(f"{target['name']} {target['path']}: no request completed")
        finally:
            lua.unlink(missing_ok=True)
    finally:
        stop_gunicorn(proc)

    bare = rows[0]
    for row in rows:
        row["rps_ratio"] = row["rps"] / bare["rps"] if bare["rps"] else 0.0
        row["p50_ratio"] = row["p50_ms"] / bare["p50_ms"] if bare["p50_ms"] else 0.0
        row["p95_ratio"] = row["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else 0.0

    pack = time_board_pack(env, media_root, runs_wanted=args.pack_runs)
    if pack.get("error"):
        failures.append(f"board pack: {pack['error']}")
    elif not pack["passed"]:
        failures.append(f"board pack: median {pack['seconds']:.2f} s, over the {PACK_TARGET_SECONDS:.0f}-second target")

    print()
    print_table(rows, not_available)
    print()
    print_pack(pack)
    print()
    if any(sum(r["socket_errors"].values()) for r in rows):
        for row in rows:
            if sum(row["socket_errors"].values()):
                log(f"socket errors on {row['name']}: {row['socket_errors']}")

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], check=False, cwd=ROOT, capture_output=True, text=True
    )
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit.stdout.strip() or None,
        "scale": args.scale,
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "timeout_s": args.timeout,
        },
        "gunicorn_workers": args.workers,
        "baseline": bare["name"],
        "results": [{k: v for k, v in row.items() if k != "wrk_output"} for row in rows],
        "not_available": not_available,
        "board_pack": pack,
        "failures": failures,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {args.output} in {report['elapsed_s']}s")
    if failures:
        log("FAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"[bench] FAILED: {error}", file=sys.stderr)
        sys.exit(1)
