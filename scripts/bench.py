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
MEMBER = "board.member@example.org"
MANAGER = "programme.manager@example.org"

# What each kind of page must reach, as a ratio to the bare view's requests/s in the same run
# (issue 8): pages anyone reads are served from the shared cache; signed-in pages cache what an
# audience shares and render what is personal; the programme manager's pages are timed by p95.
KINDS = {
    "bare": {},
    "public": {"min_ratio": 0.5},
    "member": {"min_ratio": 0.15, "max_p95_ms": 100},
    "manager": {"max_p95_ms": 150},
    # Searching (issue 12): no more than 100 ms p95 at scale 10, each request a fresh search.
    "search": {"max_p95_ms": 100},
}
# From scale 10 to scale 100, a paginated page may not get more than this much slower.
GROWTH_LIMIT = 1.5

TARGETS: list[dict] = [
    {"name": "bare view", "path": "/bench/bare", "kind": "bare"},
    {"name": "home", "path": "/", "kind": "public"},
    {"name": "partner directory", "path": "/partners/", "kind": "public", "growth": True},
    {"name": "a partner", "path": "/partners/{a_partner}/", "kind": "public"},
    {"name": "governance", "path": "/governance/", "kind": "public"},
    {"name": "governing body", "path": "/governance/{busiest_body}/", "kind": "public"},
    {"name": "meetings list", "path": "/meetings/", "kind": "public", "growth": True},
    {"name": "meeting page (public)", "path": "/meetings/{next_board_meeting}/", "kind": "public"},
    {"name": "seminars", "path": "/seminars/", "kind": "public"},
    {"name": "seminar page", "path": "/seminars/{latest_seminar}/", "kind": "public"},
    {"name": "decisions register", "path": "/meetings/decisions/", "kind": "public", "growth": True},
    {"name": "declarations register", "path": "/meetings/declarations/", "kind": "public", "growth": True},
    {"name": "calendar feed", "path": "/meetings/calendar.ics", "kind": "public"},
    {"name": "body calendar feed", "path": "/meetings/calendar/{busiest_body}.ics", "kind": "public"},
    {"name": "sitemap", "path": "/sitemap.xml", "kind": "public"},
    {"name": "meeting page (member)", "path": "/meetings/{next_board_meeting}/", "login_as": MEMBER, "kind": "member"},
    {"name": "action log (member)", "path": "/meetings/actions/", "login_as": MEMBER, "kind": "member", "growth": True},
    {"name": "my actions (member)", "path": "/meetings/actions/mine/", "login_as": MEMBER, "kind": "member"},
    {"name": "dashboard (member)", "path": "/dashboard/", "login_as": MEMBER, "kind": "member"},
    {"name": "register of interests (member)", "path": "/meetings/interests/", "login_as": MEMBER, "kind": "member"},
    {
        "name": "my register of interests (member)",
        "path": "/meetings/interests/mine/",
        "login_as": MEMBER,
        "kind": "member",
    },
    {"name": "management index (manager)", "path": "/manage/", "login_as": MANAGER, "kind": "manager"},
    {"name": "seminars (manager)", "path": "/manage/meetings/seminars/", "login_as": MANAGER, "kind": "manager"},
    {
        "name": "agenda builder (manager)",
        "path": "/manage/meetings/{next_board_meeting}/agenda/",
        "login_as": MANAGER,
        "kind": "manager",
    },
    {
        "name": "minutes (manager)",
        "path": "/manage/meetings/{last_board_meeting}/minutes/",
        "login_as": MANAGER,
        "kind": "manager",
    },
    # The strategy (issue 9).
    {"name": "strategy adoption", "path": "/strategy/", "kind": "public", "optional": True},
    {
        "name": "strategy diff (member)",
        "path": "/strategy/compare/1.0/1.1/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
    {"name": "endorsements open data", "path": "/open-data/endorsements.json", "kind": "public", "optional": True},
    {"name": "endorsements feed", "path": "/strategy/feed.atom", "kind": "public", "optional": True},
    {
        "name": "partner's endorsement (member)",
        "path": "/strategy/partners/broxbourne-borough-council/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
    {"name": "endorsement tracker (manager)", "path": "/manage/strategy/", "login_as": MANAGER, "kind": "manager"},
    # The delivery plan (issue 10).
    {"name": "projects", "path": "/projects/", "kind": "public", "optional": True},
    {"name": "project page", "path": "/projects/town-centre-wi-fi/", "kind": "public", "optional": True},
    {"name": "projects open data", "path": "/open-data/projects.json", "kind": "public", "optional": True},
    {"name": "roadmap", "path": "/projects/roadmap/", "kind": "public", "optional": True},
    {
        "name": "portfolio (member)",
        "path": "/projects/portfolio/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
    {
        "name": "ideas ranked (member)",
        "path": "/projects/ideas/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
    {
        "name": "project planning (manager)",
        "path": "/manage/strategy/projects/town-centre-wi-fi/edit/",
        "login_as": MANAGER,
        "kind": "manager",
        "optional": True,
    },
    # The public site (issue 12).
    {"name": "about", "path": "/about/", "kind": "public", "optional": True},
    {"name": "news", "path": "/news/", "kind": "public", "optional": True},
    {"name": "news item", "path": "/news/{latest_news}/", "kind": "public", "optional": True},
    {"name": "news feed (Atom)", "path": "/news/feed.atom", "kind": "public", "optional": True},
    {"name": "newsletter", "path": "/newsletter/", "kind": "public", "optional": True},
    # `uncached`: every request carries a different extra parameter, so no page cache answers it.
    {"name": "search (public)", "path": "/search/?q=digital+skills", "kind": "search", "uncached": True},
    {
        "name": "search (member)",
        "path": "/search/?q=digital+skills",
        "login_as": MEMBER,
        "kind": "search",
        "uncached": True,
    },
    # Dashboards and reports (issue 13); the member's dashboard and the management index are above.
    {
        "name": "dashboard (partner officer)",
        "path": "/dashboard/",
        "login_as": "partner.officer@example.org",
        "kind": "member",
    },
    {"name": "Board reports (member)", "path": "/reports/board/", "login_as": MEMBER, "kind": "member"},
    # Funding (issue 11).
    {"name": "funding secured", "path": "/funding/", "kind": "public", "optional": True},
    {"name": "360Giving open data", "path": "/open-data/360giving.json", "kind": "public", "optional": True},
    {
        "name": "funding pipeline (manager)",
        "path": "/funding/pipeline/",
        "login_as": MANAGER,
        "kind": "manager",
        "optional": True,
    },
    {
        "name": "funding figures (member)",
        "path": "/funding/figures/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
    {"name": "bids table (member)", "path": "/funding/bids/", "login_as": MEMBER, "kind": "member", "optional": True},
    {
        "name": "award page (member)",
        "path": "/funding/awards/{funding_award}/",
        "login_as": MEMBER,
        "kind": "member",
        "optional": True,
    },
]
# Later issues add their pages here with the same kinds (`"optional": True` while a page may be
# missing: it is reported as not available instead of failing).

# Facts the targets' paths may use, each a Python expression evaluated in `manage.py shell`.
FACTS: dict[str, str] = {
    # The demo's published award (the LFFN one).
    "funding_award": "Award.objects.published().order_by('pk').values_list('pk', flat=True).first()",
    "busiest_body": (
        "GoverningBody.objects.annotate("
        "n=Count('memberships', filter=Q(memberships__in=Membership.objects.current()))"
        ").order_by('-n', 'display_order', 'name').values_list('slug', flat=True).first()"
    ),
    # The demo Board's next meeting: published, with papers and a restricted item.
    "next_board_meeting": (
        "Meeting.objects.published().upcoming().filter(body__slug='board').values_list('pk', flat=True).first()"
    ),
    "last_board_meeting": (
        "Meeting.objects.past().filter(body__slug='board').order_by('-starts_at').values_list('pk', flat=True).first()"
    ),
    "a_partner": "Organisation.objects.listed().order_by('name').values_list('slug', flat=True).first()",
}
FACTS["latest_news"] = "NewsItem.objects.live().order_by('-published_at').values_list('slug', flat=True).first()"
FACTS["latest_seminar"] = "Seminar.objects.live().order_by('-held_on').values_list('slug', flat=True).first()"
FACTS_PRELUDE = (
    "from django.db.models import Count, Q\n"
    "from funding.models import Award\n"
    "from meetings.models import Meeting, Seminar\n"
    "from news.models import NewsItem\n"
    "from partners.models import GoverningBody, Membership, Organisation\n"
)

# The quarterly highlight report: ready this many seconds after the request (issue 13): 10 s at
# the demo's size (scale 1), 30 s at scale 10.
REPORT_TARGET_SECONDS = {1: 10.0, 10: 30.0}

# The board pack: built by a worker in under this many seconds (DESIGN.md, quality bars), using at
# most this much of the worker's CPU time (median of the runs; issue 8).
PACK_TARGET_SECONDS = 5.0
PACK_CPU_TARGET_S = 2.0
PACK_ITEMS = 20
PACK_PAPER_PAGES = 5

WRK_LUA = r"""
local threads_made = 0
setup = function(thread)
  threads_made = threads_made + 1
  thread:set("tid", threads_made)
end
counter = 0
request = function()
  if uncached then
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "&bench=" .. tid .. "-" .. counter)
  end
  return wrk.format(nil, wrk.path)
end
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


# The demo programme manager signs in as a person does (password, then the authenticator's code):
# a programme manager's powers need a second factor used in the session.
DEMO_PM_EMAIL = "programme.manager@example.org"
DEMO_PASSWORD = "diz-demo-password"
DEMO_PM_TOTP_SECRET = "DIZDEMOTOTPSECRETONLYFORDEMOX234"


def session_cookie(env: dict[str, str], email: str, sessions: dict[str, str]) -> str:
    """One session per person for the whole run (an authenticator's code is accepted once)."""
    if email not in sessions:
        args = ["bench_session", email]
        if email == DEMO_PM_EMAIL:
            args += ["--password", DEMO_PASSWORD, "--totp-secret", DEMO_PM_TOTP_SECRET]
        sessions[email] = manage(env, *args, capture=True).stdout.strip().splitlines()[-1]
    return sessions[email]


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
    headers = ["page", "path", "requests/s", "p50 ms", "p95 ms", "rps vs bare", "target", "met", "errors"]
    table = [
        [
            row["name"],
            row["path"],
            f"{row['rps']:.1f}",
            f"{row['p50_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            f"{row['rps_ratio']:.2f}x",
            row["target"],
            "yes" if row["met"] else "NO",
            str(row["non_2xx"] + sum(row["socket_errors"].values())),
        ]
        for row in rows
    ]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    left = {0, 1, 6, 7}

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
    result["cpu_median_s"] = round(statistics.median(r["worker_cpu_s"] for r in runs), 3)
    result["passed"] = result["seconds"] < PACK_TARGET_SECONDS and result["cpu_median_s"] <= PACK_CPU_TARGET_S
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


def build_once(
    env: dict[str, str],
    proc: subprocess.Popen,
    document_id: int,
    worker_log: Path,
    timeout: float,
    command: str = "bench_pack_meeting",
):
    """Queue the build (with `manage.py <command> --enqueue`) and poll the database until the
    document is ready (or failed)."""
    before = document_state(document_id)
    if before is None or before["status"] == "ready":
        raise BenchError(f"the document {document_id} is {before and before['status']}, not queued")
    cpu_before = cpu_seconds(proc.pid)
    enqueued = manage(env, command, "--enqueue", str(document_id), capture=True)
    enqueued_at = json.loads(enqueued.stdout.strip().splitlines()[-1])["enqueued_at"]
    while True:
        state = document_state(document_id)
        now = time.time()
        if state["status"] == "ready" and state["version"] > before["version"]:
            break
        if state["status"] == "failed" or now > enqueued_at + timeout:
            return {"error": f"it is {state['status']} after {now - enqueued_at:.0f}s: {state['error']}"}
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
    print(
        "  the worker's CPU time for each: "
        + ", ".join(f"{r['worker_cpu_s']:.2f} s" for r in runs)
        + f" (median {pack['cpu_median_s']:.2f} s, target <= {PACK_CPU_TARGET_S:.0f} s)"
    )
    print(f"  median {pack['median_s']:.2f} s enqueue to ready: {verdict} (target under {pack['target_s']:.0f} s)")
    size = f"{pack['bytes'] / 1_000_000:.2f} MB" if pack["bytes"] is not None else "unknown size"
    print(f"  pack: {pack['pages']} pages, {size}")
    print(
        f"  worker peak memory (VmHWM): {pack['worker_peak_kb'] / 1024:.0f} MB "
        f"(after start-up, before the first build: {pack['worker_idle_kb'] / 1024:.0f} MB)"
    )


# --- The quarterly highlight report on a worker ------------------------------------------------


def time_highlight_report(env: dict[str, str], scale: int, timeout: float = 120) -> dict:
    """Ask for the Board's highlight report (`manage.py bench_report`) and time request → ready on
    a fresh worker, with the worker's CPU time and peak memory."""
    target = REPORT_TARGET_SECONDS.get(scale, REPORT_TARGET_SECONDS[10] if scale > 1 else REPORT_TARGET_SECONDS[1])
    result: dict = {"scale": scale, "target_s": target}
    worker_log = RESULTS_DIR / "report-worker.log"
    proc = None
    try:
        made = json.loads(manage(env, "bench_report", capture=True).stdout.strip().splitlines()[-1])
        purge_queue(env)
        result |= made
        log(f"timing the highlight report for {made['period']} on a worker (log: {worker_log.relative_to(ROOT)})")
        proc = start_worker(env, worker_log)
        wait_for_worker(proc, worker_log)
        run = build_once(env, proc, made["document"], worker_log, timeout, command="bench_report")
        result["worker_peak_kb"] = vm_hwm_kb(proc.pid)
    except BenchError as error:
        result["error"] = str(error)
        return result
    finally:
        if proc is not None:
            stop_worker(proc)
    if run.get("error"):
        result["error"] = run["error"]
        return result
    result |= run
    result["passed"] = run["seconds"] <= target
    return result


def print_report(report: dict) -> None:
    print(f"Quarterly highlight report on a worker (scale {report['scale']})")
    if report.get("error"):
        print(f"  FAIL: {report['error']}")
        return
    verdict = "PASS" if report["passed"] else "FAIL"
    print(
        f"  ready {report['seconds']:.2f} s after the request (the worker's own build {report['worker_build_s']:.2f} s,"
        f" CPU {report['worker_cpu_s']:.2f} s): {verdict} (target {report['target_s']:.0f} s)"
    )
    print(f"  {report['pages']} pages; worker peak memory (VmHWM) {report['worker_peak_kb'] / 1024:.0f} MB")


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
    parser.add_argument(
        "--growth-scale", type=int, default=100, help="re-measure paginated pages at this scale (0: skip; default 100)"
    )
    parser.add_argument("--only", nargs="*", help="measure only pages whose name contains one of these words")
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


def prepare_targets(env: dict[str, str], only: list[str] | None) -> list[dict]:
    facts = look_up_facts(env)
    log(f"facts: {facts}")
    targets = []
    sessions: dict[str, str] = {}
    for target in TARGETS:
        if only and target["kind"] != "bare" and not any(word in target["name"] for word in only):
            continue
        path = target["path"].format(**facts)
        if "None" in path:
            raise BenchError(f"{target['name']}: a fact its path needs is missing ({path}).")
        cookie = session_cookie(env, target["login_as"], sessions) if target.get("login_as") else None
        targets.append({**target, "path": path, "cookie": cookie})
    return targets


def worker_memory_kb(master_pid: int) -> list[int]:
    """Resident memory (VmRSS, kB) of each process whose parent is `master_pid`."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip() or 0) == master_pid and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]))
    return sorted(sizes)


def measure(env: dict[str, str], args, wrk: str, targets: list[dict]) -> dict:
    """Serve with gunicorn and load each target; the rows, what was missing, errors and memory."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_log = RESULTS_DIR / "gunicorn.log"
    log(f"starting gunicorn on {base} with {args.workers} workers (log: {gunicorn_log.relative_to(ROOT)})")
    proc = start_gunicorn(env, port, args.workers, gunicorn_log)
    rows, failures, not_available, memory = [], [], [], []
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

        luas = {}
        for uncached in (False, True):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua_file:
                lua_file.write(f"uncached = {'true' if uncached else 'false'}\n" + WRK_LUA)
            luas[uncached] = Path(lua_file.name)
        try:
            for target in targets:
                if target.get("missing"):
                    continue
                url = base + target["path"]
                log(f"loading {target['name']} ({target['path']}, {target['bytes']} bytes) for {args.duration}s")
                warm_up(wrk, url, target["cookie"], args.warmup, args.connections)
                result = run_wrk(wrk, url, luas[bool(target.get("uncached"))], target["cookie"], args)
                rows.append(
                    {
                        "name": target["name"],
                        "path": target["path"],
                        "kind": target["kind"],
                        "growth": bool(target.get("growth")),
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
            for lua in luas.values():
                lua.unlink(missing_ok=True)
        memory = worker_memory_kb(proc.pid)
    finally:
        stop_gunicorn(proc)
    bare = rows[0]
    for row in rows:
        row["rps_ratio"] = row["rps"] / bare["rps"] if bare["rps"] else 0.0
        row["p50_ratio"] = row["p50_ms"] / bare["p50_ms"] if bare["p50_ms"] else 0.0
        row["p95_ratio"] = row["p95_ms"] / bare["p95_ms"] if bare["p95_ms"] else 0.0
        row["target"], row["met"] = judge(row)
        if not row["met"]:
            failures.append(f"{row['name']}: {row['target']} not met")
    return {"rows": rows, "not_available": not_available, "failures": failures, "gunicorn_rss_kb": memory}


def judge(row: dict) -> tuple[str, bool]:
    """The row's target in words, and whether it is met."""
    rule = KINDS[row["kind"]]
    words, met = [], True
    if "min_ratio" in rule:
        words.append(f">= {rule['min_ratio']:.2f}x")
        met &= row["rps_ratio"] >= rule["min_ratio"]
    if "max_p95_ms" in rule:
        words.append(f"p95 <= {rule['max_p95_ms']} ms")
        met &= row["p95_ms"] <= rule["max_p95_ms"]
    return (", ".join(words) or "yardstick"), met


def seed(env: dict[str, str], scale: int) -> None:
    """Synthetic data `scale` times the DIZ's size, replacing an earlier seeding. Funding's bench rows
    hang off the bench organisations (protected keys), so they go first and come back last."""
    funding = has_command(env, "seed_bench_funding")
    if funding:
        manage(env, "seed_bench_funding", "--scale", "0")
    manage(env, "seed_bench", "--scale", str(scale))
    if funding:
        manage(env, "seed_bench_funding", "--scale", str(scale))


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
    seed(env, args.scale)
    targets = prepare_targets(env, args.only)
    first = measure(env, args, wrk, targets)
    rows, failures = first["rows"], list(first["failures"])

    growth_rows: list[dict] = []
    if args.growth_scale and any(t.get("growth") for t in targets):
        log(f"seeding bench data at scale {args.growth_scale} for the paginated pages")
        seed(env, args.growth_scale)
        grown = [t for t in prepare_targets(env, args.only) if t["kind"] == "bare" or t.get("growth")]
        second = measure(env, args, wrk, grown)
        failures += [f for f in second["failures"] if "not met" not in f]
        small = {row["name"]: row for row in rows}
        for row in second["rows"][1:]:
            before = small.get(row["name"])
            if before is None:
                continue
            slower = before["rps"] / row["rps"] if row["rps"] else float("inf")
            growth_rows.append(
                {
                    "name": row["name"],
                    "rps_small": before["rps"],
                    "rps_large": row["rps"],
                    "p95_small": before["p95_ms"],
                    "p95_large": row["p95_ms"],
                    "slower": slower,
                    "met": slower <= GROWTH_LIMIT,
                }
            )
            if slower > GROWTH_LIMIT:
                failures.append(
                    f"{row['name']}: {slower:.2f}x slower at scale {args.growth_scale} (limit {GROWTH_LIMIT}x)"
                )

    pack = time_board_pack(env, media_root, runs_wanted=args.pack_runs) if args.pack_runs else {"skipped": True}
    if pack.get("error"):
        failures.append(f"board pack: {pack['error']}")
    elif not pack.get("skipped") and not pack["passed"]:
        failures.append(
            f"board pack: the worker's median CPU time {pack['cpu_median_s']:.2f} s, over the {PACK_CPU_TARGET_S:.0f} s target"
        )

    highlight = time_highlight_report(env, args.scale)
    if highlight.get("error"):
        failures.append(f"highlight report: {highlight['error']}")
    elif not highlight["passed"]:
        failures.append(
            f"highlight report: {highlight['seconds']:.2f} s, over the {highlight['target_s']:.0f}-second target"
        )

    print()
    print_table(rows, first["not_available"])
    if growth_rows:
        print()
        print(f"Growth, scale {args.scale} -> {args.growth_scale} (limit {GROWTH_LIMIT}x slower):")
        for g in growth_rows:
            print(
                f"  {g['name']:<32} {g['rps_small']:8.1f} -> {g['rps_large']:8.1f} requests/s, "
                f"p95 {g['p95_small']:.1f} -> {g['p95_large']:.1f} ms: {g['slower']:.2f}x {'ok' if g['met'] else 'MISSED'}"
            )
    print()
    memory = first["gunicorn_rss_kb"]
    print(
        "Memory: gunicorn workers' resident memory after the run: " + ", ".join(f"{kb / 1024:.0f} MB" for kb in memory)
    )
    if not pack.get("skipped"):
        print()
        print_pack(pack)
    print()
    print_report(highlight)
    print()
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
        "growth_scale": args.growth_scale,
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "timeout_s": args.timeout,
        },
        "gunicorn_workers": args.workers,
        "gunicorn_rss_kb": memory,
        "baseline": rows[0]["name"],
        "results": [{k: v for k, v in row.items() if k != "wrk_output"} for row in rows],
        "growth": growth_rows,
        "not_available": first["not_available"],
        "board_pack": pack,
        "highlight_report": highlight,
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
