"""``make scan``: serve riskcheck on loopback and scan it with wapiti, anonymous and signed in.

What it does, start to finish (nothing leaves 127.0.0.1):

1. a temp folder with a SQLite database, the shipped questionnaires and a clinician (admin)
   account with a random password, created through ``Store.accounts.create``;
2. the app in production mode (``RISKCHECK_ENV=production``, a generated secret key) served
   by werkzeug on a free loopback port over HTTPS, with a throw-away self-signed certificate
   (``openssl``). So the production cookie defaults are what gets scanned: ``Secure``
   cookies (``RISKCHECK_SECURE_COOKIES`` is left unset, so it is on) and HSTS. Without
   ``openssl`` (or with ``--http``) it falls back to plain http with
   ``RISKCHECK_SECURE_COOKIES=0`` and ignores exactly one finding, "Secure flag is not set",
   saying so;
   Rate limits are off (``RATELIMIT_ENABLED``), or most attacks on sign-in and look-up
   would only meet 429;
3. wapiti (its own venv, see the Makefile) twice with the same modules, bounded in time
   and offline (``--dns-endpoint``/``--endpoint`` on loopback, ``--no-bugreport``):
   - not signed in, from ``/``, carrying the session of a patient who finished ``esas``
     here with a free-text answer (so the review and result pages and the PDF form are
     in reach, with stored answers to look for injected payloads in);
   - signed in, from ``/clinician/``, with the session cookie of a sign-in done here like
     a browser would (CSRF token, same-origin Referer, and the same User-Agent as wapiti:
     Flask-Login's strong session protection ties the session to it); the sign-out URL
     is excluded so the session survives the crawl;
4. the findings per category for each run (reports in ``.scan/wapiti-*.json``), the flags
   of the session cookie a real sign-in gets, the production default of
   ``RISKCHECK_SECURE_COOKIES``, and any traceback or 500 in the server log.

Exit status 0 only when every vulnerability and anomaly category of both runs is empty,
the signed-in run stayed signed in (admin pages crawled, the sign-in page never requested,
the session still valid afterwards), the cookie carries its flags and the server logged no
error.

    .venv/bin/python scripts/scan.py --wapiti .scan/venv/bin/wapiti [--http] [--keep]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".scan"
MODULES = "xss,permanentxss,sql,timesql,csrf,redirect,http_headers,cookieflags,csp"
#: The same User-Agent for our sign-in and for wapiti: Flask-Login's "strong" session
#: protection drops a session whose remote address or User-Agent changes.
AGENT = "riskcheck-scan/1 (wapiti)"
EMAIL = "scanner@example.org"
#: The one finding ignored, and only when serving plain http (see the module docstring).
HTTP_ONLY_IGNORED = "Secure flag is not set in the cookie"
#: The patient journey finished before the anonymous run: a free-text answer included.
PATIENT_JOURNEY = ("esas", ROOT / "tests" / "data" / "examples" / "esas-severe-pain-distress.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wapiti", default=str(OUT / "venv" / "bin" / "wapiti"))
    parser.add_argument("--http", action="store_true", help="plain http instead of https")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--max-scan-time", type=int, default=120)
    parser.add_argument("--max-attack-time", type=int, default=30)
    args = parser.parse_args(argv)
    if not Path(args.wapiti).is_file():
        print(f"scan: wapiti not found at {args.wapiti} (make scan installs it)", file=sys.stderr)
        return 2
    use_https = not args.http and shutil.which("openssl") is not None
    if not args.http and not use_https:
        print("scan: openssl not found: falling back to plain http", file=sys.stderr)
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="riskcheck-scan-"))
    problems: list[str] = []
    try:
        problems += run(args, work, use_https)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    if problems:
        print(f"SCAN FAILED: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("SCAN PASSED: no vulnerability found, cookies and server log clean")
    return 0


def run(args: argparse.Namespace, work: Path, use_https: bool) -> list[str]:
    problems: list[str] = []
    port = free_port()
    scheme = "https" if use_https else "http"
    base = f"{scheme}://127.0.0.1:{port}"
    database = f"sqlite:///{work / 'riskcheck.db'}"
    password = secrets.token_urlsafe(18)
    env = {
        **os.environ,
        "RISKCHECK_ENV": "production",
        "RISKCHECK_SECRET_KEY": secrets.token_hex(32),
        "RISKCHECK_DATABASE_URL": database,
        "RISKCHECK_QUESTIONNAIRES": str(ROOT / "questionnaires"),
        "RISKCHECK_BASE_URL": base,
    }
    env.pop("RISKCHECK_SECURE_COOKIES", None)
    if not use_https:
        env["RISKCHECK_SECURE_COOKIES"] = "0"
    problems += check_production_default()
    create_account(database, password)
    context = None
    serve = [sys.executable, __file__, "_serve", str(port)]
    if use_https:
        cert, key = make_certificate(work)
        serve += [str(cert), str(key)]
        context = ssl.create_default_context(cafile=str(cert))
    log_path = work / "server.log"
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and this file
            serve, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT
        )
        try:
            wait_until_up(f"{base}/healthz", context, server)
            print(f"riskcheck (production settings, rate limits off) at {base}, {database}")
            if not use_https:
                print(
                    "NOTE: plain http with RISKCHECK_SECURE_COOKIES=0: the finding "
                    f"{HTTP_ONLY_IGNORED!r} is ignored for this local scan only; production "
                    "sets Secure (checked above)."
                )
            patient = Browser(base, context)
            starts = finish_journey(patient, *PATIENT_JOURNEY)
            patient_cookies = write_cookies("patient", patient.cookie())
            clinician = Browser(base, context)
            cookie = sign_in(clinician, password)
            problems += check_cookie_flags(cookie, use_https)
            clinician_cookies = write_cookies("clinician", cookie)
            runs = [
                # Not signed in: a patient from the landing page, carrying a finished journey
                # so the review and result pages (stored answers, the PDF form) are in reach.
                ("anonymous", f"{base}/", ["-c", patient_cookies]),
                ("clinician", f"{base}/clinician/", ["-c", clinician_cookies]),
            ]
            for path in starts:
                runs[0][2].extend(["-s", base + path])
            runs[1][2].extend(["-x", f"{base}/clinician/logout"])  # keep the session
            for name, url, extra in runs:
                served_before = log_path.stat().st_size
                report = scan(args, name, url, base, extra)
                problems += findings(name, report, use_https)
            problems += check_signed_in_crawl(report, base, log_path, served_before)
            problems += still_signed_in(clinician)
        finally:
            server.terminate()
            server.wait(timeout=10)
    problems += server_errors(log_path)
    return problems


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def check_production_default() -> list[str]:
    """RISKCHECK_SECURE_COOKIES is on by default in production (the http scan turns it off)."""
    from riskcheck.web.config import Settings

    settings = Settings.from_env({"RISKCHECK_ENV": "production", "RISKCHECK_SECRET_KEY": "x" * 32})
    print(f"production default of RISKCHECK_SECURE_COOKIES: {settings.secure_cookies}")
    if not settings.secure_cookies:
        return ["production does not default to Secure cookies"]
    return []


def create_account(database: str, password: str) -> None:
    """The clinician account wapiti signs in as (before the server starts)."""
    from riskcheck.storage.store import Store

    store = Store.connect(database)
    store.accounts.create(EMAIL, "admin", password=password)
    store.accounts.create("colleague@example.org", "editor")  # a row for the account forms
    store.engine.dispose()


def make_certificate(work: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid one day, for this scan only."""
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - openssl from PATH, checked by the caller
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def serve(port: int, cert: str | None, key: str | None) -> None:
    """Run in the server subprocess: the app on loopback, werkzeug's threaded server."""
    from werkzeug.serving import run_simple

    from riskcheck import create_app

    # Rate limits off, or wapiti's attacks on sign-in and look-up mostly meet 429 (the
    # limits themselves are tested in tests/web).
    app = create_app({"RATELIMIT_ENABLED": False})
    context = (cert, key) if cert and key else None
    run_simple("127.0.0.1", port, app, threaded=True, ssl_context=context)


def wait_until_up(url: str, context: ssl.SSLContext | None, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"scan: the server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"scan: {url} did not answer within 60 s")


class Browser:
    """Just enough of a browser: cookies, our User-Agent, CSRF tokens and a same-origin
    Referer on form posts (Flask-WTF wants one over HTTPS; Referrer-Policy allows it)."""

    def __init__(self, base: str, context: ssl.SSLContext | None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=context),
        )
        self.opener.addheaders = [("User-Agent", AGENT)]
        self.url, self.page = "", ""

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def submit(self, path: str, fields: list[tuple[str, str]]) -> str:
        """Post a form from the current page, with the page's CSRF token."""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.page)
        if token is None:
            raise SystemExit(f"scan: no CSRF token on {self.url}")
        data = urllib.parse.urlencode([*fields, ("csrf_token", token.group(1))]).encode()
        headers = {"Referer": self.url}
        return self._open(urllib.request.Request(self.base + path, data, headers))  # noqa: S310

    def _open(self, request: urllib.request.Request) -> str:
        with self.opener.open(request, timeout=30) as response:
            self.url, self.page = response.geturl(), response.read().decode(errors="replace")
        return self.page

    def cookie(self) -> http.cookiejar.Cookie:
        found = next((c for c in self.jar if c.name == "session"), None)
        if found is None:
            raise SystemExit("scan: no session cookie")
        return found


def sign_in(browser: Browser, password: str) -> http.cookiejar.Cookie:
    """Sign in like a browser and return the session cookie to hand to wapiti."""
    browser.get("/clinician/login")
    body = browser.submit("/clinician/login", [("email", EMAIL), ("password", password)])
    if not browser.url.endswith("/clinician/") or "Sign out" not in body:
        raise SystemExit(f"scan: sign-in failed (landed on {browser.url})")
    # The dashboard put a CSRF token into the session: this cookie is the one to hand over.
    print(f"signed in as {EMAIL} (admin)")
    return browser.cookie()


def still_signed_in(browser: Browser) -> list[str]:
    """The sign-in cookie still works after the scan: the account's sessions were not ended."""
    if "Sign out" in browser.get("/clinician/") and browser.url.endswith("/clinician/"):
        print("clinician: still signed in after the scan (the session survived)")
        return []
    return [f"clinician: the session was ended during the scan (landed on {browser.url})"]


def finish_journey(browser: Browser, questionnaire: str, example: Path) -> list[str]:
    """A patient's whole journey with an example answer set, up to the result page; the
    start URLs wapiti gets with this session (review page, result page and PDF form)."""
    answers = json.loads(example.read_text())
    fields: list[tuple[str, str]] = []
    for qid, value in answers.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            text = ("yes" if one else "no") if isinstance(one, bool) else str(one)
            fields.append((qid, text))
    browser.get(f"/q/{questionnaire}/")
    browser.submit(f"/q/{questionnaire}/start", [("action", "start")])
    for _ in range(30):
        path = urllib.parse.urlsplit(browser.url).path
        if path.endswith("/review"):
            browser.submit(path, [])
        elif "/p/" in path:
            browser.submit(path, [*fields, ("action", "next")])
        else:
            break
    if not browser.url.endswith(f"/q/{questionnaire}/result"):
        raise SystemExit(f"scan: the {questionnaire} journey stopped at {browser.url}")
    print(f"patient: finished {questionnaire} with {example.name} (a stored response)")
    return [f"/q/{questionnaire}/review", f"/q/{questionnaire}/result"]


def check_cookie_flags(cookie: http.cookiejar.Cookie, use_https: bool) -> list[str]:
    """The session cookie of a real sign-in: HttpOnly, SameSite=Lax, and Secure over https."""
    flags = {
        "HttpOnly": cookie.has_nonstandard_attr("HttpOnly"),
        "SameSite=Lax": (cookie.get_nonstandard_attr("SameSite") or "").lower() == "lax",
        "Secure": cookie.secure,
    }
    print("session cookie after sign-in: " + ", ".join(f"{k}={v}" for k, v in flags.items()))
    if not use_https:
        flags.pop("Secure")
    return [f"the session cookie lacks {name}" for name, ok in flags.items() if not ok]


def write_cookies(name: str, cookie: http.cookiejar.Cookie) -> str:
    """wapiti's JSON cookie file: {domain: {path: {name: attributes}}}."""
    attributes = {
        "value": cookie.value,
        "expires": None,
        "secure": cookie.secure,
        "port": None,
        "version": 0,
    }
    path = OUT / f"cookies-{name}.json"
    path.write_text(json.dumps({"127.0.0.1": {"/": {cookie.name: attributes}}}, indent=2))
    return str(path)


def scan(args: argparse.Namespace, name: str, url: str, base: str, extra: list[str]) -> dict:
    """One bounded, offline wapiti run; its JSON report."""
    report = OUT / f"wapiti-{name}.json"
    report.unlink(missing_ok=True)
    command = [
        args.wapiti, "-u", url, "-m", MODULES, "--scope", "folder",
        "--max-scan-time", str(args.max_scan_time),
        "--max-attack-time", str(args.max_attack_time),
        "--flush-session", "--store-session", str(OUT / f"session-{name}"),
        "--store-config", str(OUT / "config"),
        "--no-bugreport", "--dns-endpoint", "127.0.0.1", "--endpoint", f"{base}/",
        "-A", AGENT, "-f", "json", "-o", str(report), "-dr", "1", "-v", "1",
        *extra,
    ]  # fmt: skip
    print(f"\n=== wapiti: {name} ({url}) ===", flush=True)
    started = time.monotonic()
    log = OUT / f"wapiti-{name}.log"
    with log.open("wb") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    print(f"wapiti exit {done.returncode} after {time.monotonic() - started:.0f} s (log: {log})")
    if not report.is_file():
        raise SystemExit(f"scan: wapiti wrote no report; see {log}")
    loaded: dict = json.loads(report.read_text())
    return loaded


def findings(name: str, report: dict, use_https: bool) -> list[str]:
    """Print every category (empty ones too) and return the findings as problems."""
    problems = []
    crawled = report.get("infos", {}).get("crawled_pages_nbr", "?")
    print(f"{name}: {crawled} pages and forms crawled")
    for kind in ("vulnerabilities", "anomalies"):
        empty = []
        for category, entries in sorted(report.get(kind, {}).items()):
            kept = []
            for entry in entries:
                if not use_https and HTTP_ONLY_IGNORED in entry.get("info", ""):
                    print(f"  [ignored, plain http only] {category}: {entry['info']}")
                    continue
                kept.append(entry)
            if not kept:
                empty.append(category)
                continue
            print(f"  {kind} / {category}: {len(kept)}")
            for entry in kept:
                where = f"{entry.get('method', '')} {entry.get('path', '')}".strip()
                parameter = entry.get("parameter") or ""
                line = f"{where} [{parameter}] {entry.get('info', '')}".replace("\n", " ")
                print(f"    - {line}")
                problems.append(f"{name}: {category}: {line}")
        print(f"  {kind}, 0 found in {len(empty)} categories: " + ", ".join(empty))
    return problems


def check_signed_in_crawl(report: dict, base: str, log_path: Path, start: int) -> list[str]:
    """The signed-in run reached the admin-only pages and never fell back to the sign-in page
    (no signed-in page links to it: wapiti gets there only by losing its session)."""
    problems = []
    pages = report.get("infos", {}).get("crawled_pages", [])
    urls = {page.get("request", {}).get("url", "") for page in pages}
    for path in ("/clinician/accounts", "/clinician/audit"):
        if f"{base}{path}" not in urls:
            problems.append(f"clinician: the signed-in crawl never reached {path}")
    with log_path.open("rb") as log:
        log.seek(start)
        served = log.read().decode(errors="replace")
    for path in ("/clinician/login", "/clinician/logout"):
        count = served.count(f" {path}")
        if count:
            problems.append(f"clinician: {count} request(s) to {path}: the session was lost")
    if not problems:
        print("clinician: signed in throughout (admin pages reached, sign-in page never seen)")
    return problems


def server_errors(log_path: Path) -> list[str]:
    """Tracebacks or 500s in the server log are bugs even when wapiti files no finding."""
    text = log_path.read_text(errors="replace")
    errors = [line for line in text.splitlines() if "Traceback" in line or '" 500 ' in line]
    statuses: dict[str, int] = {}
    for status in re.findall(r'" (\d{3}) ', text):
        statuses[status] = statuses.get(status, 0) + 1
    counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
    print(f"server log: {sum(statuses.values())} requests ({counts})")
    if errors:
        kept = OUT / "server.log"
        shutil.copy(log_path, kept)
        return [f"server: {len(errors)} error line(s), e.g. {errors[0]!r}; see {kept}"]
    return []


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "_serve":
        serve(int(sys.argv[2]), *(sys.argv[3:5] or (None, None)))
    else:
        sys.exit(main())
