"""Gunicorn settings for riskcheck in production (docs/deploy.md explains each).

    gunicorn -c gunicorn.conf.py wsgi:app

Read from the environment: RISKCHECK_BIND (default 127.0.0.1:8000; several addresses
separated by commas), WEB_CONCURRENCY (worker processes, default 2), FORWARDED_ALLOW_IPS
(the reverse proxy's addresses, default 127.0.0.1,::1) and RISKCHECK_GUNICORN_CONTROL_SOCKET
(gunicorn's control socket, off unless set). Anything else can be overridden on the
command line or in GUNICORN_CMD_ARGS, e.g. GUNICORN_CMD_ARGS="--timeout 60".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import re
import sys
from typing import Any
from urllib.parse import urlsplit

from gunicorn.glogging import Logger

# -- where and how many --------------------------------------------------------------------

bind = [part.strip() for part in os.environ.get("RISKCHECK_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Sync workers: one request per process at a time. riskcheck's slow requests (scoring and
# ReportLab PDFs, tens of milliseconds) use the CPU, which threads cannot share under the
# GIL, so gthread would add concurrency only for the short database waits while adding
# shared state (ReportLab is not documented as thread-safe). Slow clients are the reverse
# proxy's job: nginx buffers whole requests and responses, so a sync worker is never held
# by a slow connection. Scale with WEB_CONCURRENCY (about 2 x CPU cores) and instances.
worker_class = "sync"

# Never load the app in the master (preload_app): create_app opens database connections,
# and a pool forked into every worker would share sockets between processes.
preload_app = False

# -- time limits ---------------------------------------------------------------------------

timeout = 30  # a worker silent this long is killed and replaced (a PDF takes well under 1 s)
graceful_timeout = 30  # on restart/stop, requests in flight get this long to finish
keepalive = 5  # seconds; used only by threaded/async workers, kept for a switch to gthread

# -- memory hygiene ------------------------------------------------------------------------

# Replace each worker after about 10,000 requests (a restart costs about 0.6 s of start-up;
# measured: every 1000 halved a busy worker's throughput); the jitter spreads the restarts
# so that the workers never all restart at once.
max_requests = 10000
max_requests_jitter = 1000

# After a PDF, hand the memory ReportLab freed back to the system: glibc's allocator keeps it
# otherwise, and a worker's resident memory crept up by about 2 MB over a few hundred
# summaries (malloc_trim takes microseconds; skipped where the C library has none).
try:
    _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):
    _malloc_trim = None


def post_request(worker: Any, req: Any, environ: dict[str, Any], resp: Any) -> None:
    """Trim the allocator's free memory after each PDF response."""
    if _malloc_trim is not None and req.path.endswith(".pdf"):
        _malloc_trim(0)


# The heartbeat file on tmpfs: a slow or full disk must not get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs

# -- requests ------------------------------------------------------------------------------

limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Who may set X-Forwarded-Proto (the scheme gunicorn reports): only the reverse proxy.
# The client address (X-Forwarded-For) is the app's business: RISKCHECK_PROXY_HOPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn >= 25 opens a control socket at one fixed path per user by default: two
# instances on one machine would take it from each other. Off unless a path is given.
_control_socket = os.environ.get("RISKCHECK_GUNICORN_CONTROL_SOCKET", "")
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

proc_name = "riskcheck"

# -- logs ----------------------------------------------------------------------------------

# Access log: method, path, status, bytes and duration only. Never the query string, the
# referrer, the user agent or the client address: health data and one-time links can hide
# in URLs, and the reverse proxy's log already has the address if you need it.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'

#: Path segments that are secrets: one-time setup links and response reference codes.
SECRET_PATHS = re.compile(r"^(/clinician/(?:setup|first-admin|responses)/)[^/]+")


def redact(path: str) -> str:
    """``path`` with any one-time token or reference code replaced by ``***``."""
    return SECRET_PATHS.sub(r"\1***", path)


def _without_query(value: object) -> object:
    """A request URI among log arguments: its path only, redacted."""
    if isinstance(value, str) and value.startswith(("/", "http://", "https://")):
        return redact(urlsplit(value).path)
    return value


class RedactingLogger(Logger):
    """gunicorn's logger, without query strings or secret path segments: in the access
    log, and in "Error handling request <uri>" lines of the error log."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms.get("U") or "")
        atoms["r"] = atoms["q"] = atoms["f"] = "-"
        return atoms

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().exception(msg, *map(_without_query, args), **kwargs)


logger_class = RedactingLogger


def on_starting(server: Any) -> None:
    """riskcheck's own log lines (start-up imports, failed sign-ins, errors) go to stderr
    beside gunicorn's, at INFO."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "[%Y-%m-%d %H:%M:%S %z]",
        )
    )
    app_log = logging.getLogger("riskcheck")
    app_log.addHandler(handler)
    app_log.setLevel(logging.INFO)
    app_log.propagate = False
    _migrate_in_master()


def _migrate_in_master() -> None:
    """Bring the schema up to date once, before any worker starts, so that workers never
    import Alembic (about 9 MB each). If the database is not reachable yet, the workers do
    it themselves under their start-up lock."""
    flag = os.environ.get("RISKCHECK_AUTO_MIGRATE", "1").strip().lower()
    if flag in ("0", "false", "no", "off"):
        return
    from riskcheck.storage.database import default_database_url, make_engine, migrate

    engine = make_engine(os.environ.get("RISKCHECK_DATABASE_URL") or default_database_url())
    try:
        migrate(engine)
    except Exception as exc:  # noqa: BLE001 - the workers will try again and report it
        logging.getLogger("riskcheck").warning(
            "schema not migrated before start: %s", type(exc).__name__
        )
    finally:
        engine.dispose()  # no connection may be inherited by the forked workers
