"""Two riskcheck instances, each its own gunicorn (gunicorn.conf.py), on one PostgreSQL
database and one Redis: what a deployment with several machines behind a load balancer does.

PostgreSQL: 127.0.0.1:5432 as in tests/storage (RISKCHECK_TEST_POSTGRES_URL); the instances
get a database of their own, ``riskcheck_multi``, created when the role may (else the test
database is used), emptied first. Redis: RISKCHECK_TEST_REDIS_URL, default database 15 of
127.0.0.1:6379, flushed first. Either missing: the tests skip, or fail on CI (CI=true).
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO
from urllib.parse import urlencode, urlsplit

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from riskcheck.storage.store import Store
from tests.storage.conftest import POSTGRES_URL, postgres_available, reset_postgres

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
REDIS_URL = os.environ.get("RISKCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASE = "riskcheck_multi"
SECRET_KEY = "multi-instance-test-key-" + "0" * 40
READY_WITHIN = 30.0  # seconds for both instances to answer /readyz


def unavailable(message: str) -> None:
    """Skip the tests here, or fail them on CI, where everything they need must be there."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# -- the shared services -------------------------------------------------------------------


def _dedicated_database(url: str) -> str:
    """``url`` pointing at a database of its own, created if missing; ``url`` itself when
    the role may not create databases."""
    target = make_url(url).set(database=DATABASE)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    except Exception:  # noqa: BLE001 - no right to create one: share the test database
        return url
    finally:
        engine.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def database_url() -> str:
    """An empty PostgreSQL database for both instances."""
    if not postgres_available():
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    url = _dedicated_database(POSTGRES_URL)
    reset_postgres(url)
    return url


@pytest.fixture(scope="module")
def redis_client() -> Iterator[redis.Redis]:
    """The Redis database both instances count rate limits in, flushed first and last."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        client.close()
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def store(instances: tuple[Instance, Instance], database_url: str) -> Iterator[Store]:
    """The database the instances share, opened directly (migrated by the instances)."""
    opened = Store.connect(database_url, upgrade=False)
    yield opened
    opened.engine.dispose()


# -- the instances -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    """One gunicorn serving riskcheck on 127.0.0.1:port."""

    name: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    def start(self, env: dict[str, str]) -> None:
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - this Python running gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: master and workers stop together
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def output_with(self, line: str, within: float = 5.0) -> str:
        """The output once ``line`` is in it (gunicorn logs a request after answering it)."""
        deadline = time.monotonic() + within
        while line not in (output := self.output()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert line in output, output[-2000:]
        return output

    def is_ready(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/readyz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()  # the master stops its workers gracefully
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
            # Any worker left behind is in the process group started here: end it too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.log is not None:
            self.log.close()
            self.log = None


def wait_until_ready(instances: tuple[Instance, ...]) -> None:
    deadline = time.monotonic() + READY_WITHIN
    waiting = list(instances)
    while waiting:
        for instance in list(waiting):
            assert instance.process is not None
            if instance.process.poll() is not None:
                pytest.fail(f"instance {instance.name} exited:\n{instance.output()[-4000:]}")
            if instance.is_ready():
                waiting.remove(instance)
        if waiting and time.monotonic() > deadline:
            logs = "\n".join(f"--- {i.name}\n{i.output()[-2000:]}" for i in waiting)
            pytest.fail(f"not ready within {READY_WITHIN:.0f} s:\n{logs}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def instances(
    database_url: str, redis_client: redis.Redis, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Instance, Instance]]:
    """Instances A and B, started at the same moment on the empty database (two workers
    each: four processes racing to migrate it and import the shipped files)."""
    if importlib.util.find_spec("gunicorn") is None:
        unavailable("gunicorn is not installed")
    folder = tmp_path_factory.mktemp("multi")
    questionnaires = folder / "questionnaires"
    questionnaires.mkdir()
    shutil.copy(DATA / "mood.yaml", questionnaires / "mood.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RISKCHECK_", "GUNICORN"))}
    env.update(
        RISKCHECK_ENV="production",
        RISKCHECK_SECRET_KEY=SECRET_KEY,
        RISKCHECK_SECURE_COOKIES="0",
        RISKCHECK_DATABASE_URL=database_url,
        RISKCHECK_RATELIMIT_STORAGE=REDIS_URL,
        RISKCHECK_QUESTIONNAIRES=str(questionnaires),
        PYTHONUNBUFFERED="1",
    )
    pair = (
        Instance("A", free_port(), folder / "a.log"),
        Instance("B", free_port(), folder / "b.log"),
    )
    try:
        for instance in pair:
            instance.start(env)
        wait_until_ready(pair)
        yield pair
    finally:
        for instance in pair:
            instance.stop()


# -- a browser that can be sent to either instance ------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path

    def csrf(self) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text)
        assert found, f"no csrf_token on the page ({self.status})"
        return found.group(1)


@dataclass
class Browser:
    """One person's browser. Its cookies go to whichever instance it talks to, as they
    would behind a load balancer (one host name, any instance behind it)."""

    cookies: dict[str, str] = field(default_factory=dict)
    user_agent: str = "riskcheck-multi-test"

    def get(self, instance: Instance, path: str) -> Reply:
        return self._request(instance, "GET", path)

    def post(self, instance: Instance, path: str, form: dict[str, str]) -> Reply:
        return self._request(instance, "POST", path, form)

    def _request(
        self, instance: Instance, method: str, path: str, form: dict[str, str] | None = None
    ) -> Reply:
        headers = {"User-Agent": self.user_agent, "Host": "riskcheck.test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        return reply

    def _remember(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
