"""Real Redis and a real Celery worker, for the behaviour that depends on them.

Each test gets its own redis-server on a free port (so it can be stopped to simulate an outage
without touching anyone else's Redis) and, when it asks, a `celery worker` subprocess that uses the
test database. Needs PostgreSQL (a worker in another process cannot see an in-memory SQLite
database) and the redis-server program; without them these tests skip, and CI turns skips into
failures.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from diz_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def point_celery_at(url: str, *, eager: bool):
    app.conf.broker_url = url
    app.conf.result_backend = url
    app.conf.task_always_eager = eager
    # The same reset Celery does after a fork (pooled broker connections), plus the cached result
    # backend: both still point at the previous test's Redis otherwise.
    app._after_fork()
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture(autouse=True)
def delete_rather_than_truncate(monkeypatch):
    """Empty the tables after each test with DELETE, not Django's TRUNCATE.

    These tests need committed rows (the worker is another process), so each ends with a flush of
    every table. PostgreSQL's TRUNCATE makes new files for each of the ~80 tables and their indexes
    whatever they hold: two to three seconds a test on a loaded machine, most of a short test's
    time. DELETE of the few rows a test made takes milliseconds, and foreign keys (deferred, as
    Django makes them) are checked once every table is empty. Autouse, so it is set up before the
    database fixture and still in place when that fixture flushes."""
    if connection.vendor != "postgresql":
        return
    truncate = connection.ops.sql_flush

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;", *(f"DELETE FROM {connection.ops.quote_name(t)};" for t in tables)]

    monkeypatch.setattr(connection.ops, "sql_flush", sql_flush)


@pytest.fixture
def postgres_test_database(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("Worker tests need PostgreSQL: set DATABASE_URL (CI does)")
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def redis(tmp_path, postgres_test_database, settings):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    previous = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    point_celery_at(server.url, eager=False)
    settings.REDIS_URL = server.url
    yield server
    server.stop()
    point_celery_at(previous[0], eager=previous[2])
    app.conf.result_backend = previous[1]


class Worker:
    def __init__(self, redis, database_url, email_dir):
        self.redis, self.database_url, self.email_dir = redis, database_url, email_dir
        self.process = None
        self.name = f"test-{redis.port}@{socket.gethostname()}"
        self.extra_env: dict[str, str] = {}  # e.g. a slower email backend, to be caught mid-batch

    def start(self):
        env = (
            os.environ
            | {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis.url,
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.email_dir),
                "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
                # Papers uploaded by the test and documents the worker writes live in one place.
                "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
                "SITE_URL": "http://testserver",
            }
            | self.extra_env
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "diz_portal",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "-n",
                self.name,
            ],
            cwd=ROOT,
            env=env,
        )
        # Ping this worker by name and stop waiting at its first answer: a plain ping waits out its
        # whole timeout even when the answer came at once, which cost a second or two a test.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if app.control.ping(destination=[self.name], timeout=0.2, limit=1):
                return self
            if self.process.poll() is not None:
                raise RuntimeError("The Celery worker exited at start-up")
        raise RuntimeError("The Celery worker did not answer within 30 seconds")

    def stop(self):
        """At the end of a test. Killed rather than shut down: even Celery's cold shutdown took over
        a second a test to close its connections. Nothing is lost that a later test could see:
        the test's own Redis stops with it and its rows are deleted after it."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=15)

    def kill(self):
        """As if the machine lost power: no chance to finish or hand the task back."""
        self.process.kill()
        self.process.wait(timeout=10)

    def emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.email_dir.glob("*.log"))]


@pytest.fixture
def worker_factory(redis, postgres_test_database, tmp_path):
    workers = []

    def make():
        worker = Worker(redis, postgres_test_database, tmp_path / "emails")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(worker_factory):
    return worker_factory().start()


def wait_for(predicate, timeout=20.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
