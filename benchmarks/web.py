"""Web benchmarks: PDF summary render time, and HTTP throughput and latency under gunicorn.

Run from the repository root (``make bench-web`` installs gunicorn first)::

    python -m benchmarks.web            # about 85 s
    python -m benchmarks.web --quick    # about 25 s: 3 s of wrk per route, 50 renders
    python -m benchmarks.web --profile  # then: where the page view's and the PDF's time goes

1. PDF: the median of 200 renders of the symptom-check summary (the colorectal FIT 38
   example), against a plain ReportLab Platypus document holding the same text without
   our layout (no tables, QR code, embedded font or page furniture), renders interleaved.
2. HTTP: gunicorn on 127.0.0.1 (2 sync workers, then 2 gthread workers; the repository's
   gunicorn.conf.py but with no worker recycling), driven by wrk with 2 threads and 32
   connections: GET and POST of a generated 30-question page, and a bare ``/hello`` route
   of the same app served the same way (``benchmarks.web_app``) as the baseline. The POST
   sends valid answers with the session cookie and CSRF token of a questionnaire started
   once beforehand, and gets a redirect to the next page. Each route gets 10 s in two
   interleaved runs; "other CPU" says how busy the machine was with anything else.

Needs ``pip install gunicorn`` and ``apt-get install -y wrk`` for part 2 (the script says
so and skips it when either is missing). Every figure comes with a same-run baseline and
the ratio to it. It always exits 0: these are figures, not assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import gc
import http.client
import importlib
import importlib.metadata
import inspect
import io
import json
import os
import pstats
import re
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from riskcheck.report.content import Report
    from riskcheck.result import Result

ROOT = Path(__file__).resolve().parent.parent
SYMPTOM_CHECK = ROOT / "questionnaires" / "symptom-check.yaml"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
PDF_EXAMPLE = ROOT / "tests" / "data" / "examples" / "symptom-check-colorectal-fit-38.json"
REFERENCE = "7KQ2M9XD0000111122223333AB"
CREATED = datetime.datetime(2026, 11, 25, 9, 30)

#: Targets.
TARGET_PDF_MS = 25.0
TARGET_PAGE_SHARE = 0.20  # page requests/s as a share of /hello requests/s
TARGET_P99_MS = 50.0

#: The generated questionnaire served over HTTP.
QID = "bench-web"
QUESTIONS = 30
PAGE_PATH = f"/q/{QID}/p/main"
NEXT_PATH = f"/q/{QID}/p/last"

WRK_THREADS = 2
WRK_CONNECTIONS = 32
WORKERS = 2
GTHREAD_THREADS = 4


# -- helpers -------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``fn`` over ``runs`` calls, in milliseconds (after one warm-up)."""
    return interleaved_medians_ms({"fn": fn}, runs)["fn"]


def interleaved_medians_ms(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    """Median wall time of each function in ms, calling them in turn ``runs`` times, so that
    a burst of other work on the machine slows them alike (after one warm-up each)."""
    for fn in fns.values():
        fn()
    gc.collect()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(found) * 1000 for name, found in times.items()}


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


# -- 1. PDF ----------------------------------------------------------------------------------------


def example_report() -> tuple[Result, Report]:
    """The Report of the symptom-check colorectal FIT 38 example, as the web layer builds it."""
    from riskcheck.loader import load_questionnaire
    from riskcheck.report.content import build_report
    from riskcheck.scoring import score

    q = load_questionnaire(SYMPTOM_CHECK)
    answers = json.loads(PDF_EXAMPLE.read_text("utf-8"))
    result = score(q, answers, today=CREATED.date())
    return result, build_report(result, reference=REFERENCE, created=CREATED)


def plain_platypus(report: Report, *, font: str | None = None) -> bytes:
    """The baseline: the summary's text as plain Platypus paragraphs in the sample styles.

    Same words (headings, recommendations, reasons, scores, every answer, sources, the
    disclaimer), none of our layout: no tables, boxes, QR code, page numbering or footer.
    With ``font`` (a registered TrueType font) the text uses it, as our layout does.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus.flowables import Flowable

    sample = getSampleStyleSheet()
    styles = {name: sample[name] for name in ("Title", "Heading2", "Heading3", "BodyText")}
    if font:
        styles = {
            name: ParagraphStyle(f"{name}-{font}", parent=style, fontName=font)
            for name, style in styles.items()
        }
    esc = _xml_escape
    title, h2, h3, body = (styles[n] for n in ("Title", "Heading2", "Heading3", "BodyText"))
    story: list[Flowable] = [
        Paragraph(esc(report.heading), title),
        Paragraph(esc(f"{report.questionnaire} (version {report.version})"), h3),
        Paragraph(esc(f"Created {report.created}"), body),
        Paragraph(esc(f"Reference code {report.reference}"), body),
        Paragraph(esc("How soon to act"), h2),
        Paragraph(esc(f"{report.urgency_label.upper()}: {report.urgency_action}"), h3),
        Paragraph(esc("What to do next"), h2),
    ]
    for number, rec in enumerate(report.recommendations, 1):
        story.append(Paragraph(esc(f"{number}. {rec.title} — {rec.urgency_label}"), h3))
        story.append(Paragraph(esc(rec.text), body))
        for reason, answers in rec.reasons:
            story.append(Paragraph(esc(f"Why: {reason}"), body))
            story += [Paragraph(esc(f"• {line}"), body) for line in answers]
        if rec.citations:
            story.append(Paragraph(esc("Source: " + "; ".join(rec.citations)), body))
    if report.no_findings:
        story.append(Paragraph(esc(report.no_findings), body))
    if report.scales:
        story.append(Paragraph(esc("Your scores"), h2))
        story += [Paragraph(esc(f"{s.title}: {s.value} {s.meaning}"), body) for s in report.scales]
    if report.ask_your_doctor:
        story.append(Paragraph(esc("Questions to ask your doctor"), h2))
        story += [Paragraph(esc(f"• {item}"), body) for item in report.ask_your_doctor]
    story.append(Paragraph(esc("Your answers"), h2))
    story += [Paragraph(esc(f"{a.question} {a.answer}"), body) for a in report.answers]
    story.append(Paragraph(esc("Where this advice comes from"), h2))
    story += [Paragraph(esc(f"• {source}"), body) for source in report.sources]
    story.append(Paragraph(esc("Please note"), h2))
    story.append(Paragraph(esc(report.disclaimer), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=True).build(story)
    return buffer.getvalue()


def _xml_escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def pdf_figures(runs: int) -> dict[str, Any]:
    from riskcheck.report.content import build_report
    from riskcheck.report.pdf import FONT, _register_fonts, render_pdf

    result, report = example_report()
    _register_fonts()  # once per process, as in the app
    ours = render_pdf(report)
    plain = plain_platypus(report)
    plain_font = plain_platypus(report, font=FONT)
    medians = interleaved_medians_ms(
        {
            "render": lambda: render_pdf(report),
            "plain": lambda: plain_platypus(report),
            "plain_font": lambda: plain_platypus(report, font=FONT),
        },
        runs,
    )
    return {
        **medians,
        "runs": runs,
        "answers": len(report.answers),
        "recommendations": len(report.recommendations),
        "report": median_ms(
            lambda: build_report(result, reference=REFERENCE, created=CREATED), runs
        ),
        "pages": (pdf_pages(ours), pdf_pages(plain), pdf_pages(plain_font)),
        "kb": (len(ours) / 1000, len(plain) / 1000, len(plain_font) / 1000),
    }


def print_pdf(f: dict[str, Any]) -> None:
    print(
        f"== PDF summary: symptom-check, colorectal FIT 38 example ({f['answers']} answers, "
        f"{f['recommendations']} recommendation(s)); median of {f['runs']} renders =="
    )
    print(f"{'document':<46} {'ms':>8} {'pages':>6} {'kB':>7} {'vs plain':>9}")
    rows = [
        ("riskcheck render_pdf(report)", f["render"], 0),
        ("baseline: plain Platypus, same text", f["plain"], 1),
        ("  the same in our embedded DejaVu font", f["plain_font"], 2),
    ]
    for name, value, index in rows:
        print(
            f"{name:<46} {value:>8.2f} {f['pages'][index]:>6} {f['kb'][index]:>7.1f} "
            f"{value / f['plain']:>8.2f}x"
        )
    print(f"(build_report, not included above: {f['report']:.3f} ms; renders interleaved)")


# -- 2. HTTP ---------------------------------------------------------------------------------------


def questionnaire_yaml(questions: int = QUESTIONS) -> str:
    """A valid definition: one section of ``questions`` single-choice radio questions, then one
    tiny section, so that a valid POST of the first page redirects to the second."""
    options = [
        {"value": "0", "label": "Not at all", "points": 0},
        {"value": "1", "label": "Several days", "points": 1},
        {"value": "2", "label": "More than half the days", "points": 2},
        {"value": "3", "label": "Nearly every day", "points": 3},
    ]
    ids = [f"q{i:02d}" for i in range(1, questions + 1)]
    definition = {
        "id": QID,
        "title": "Web benchmark",
        "description": "Generated by benchmarks.web: one long page of radio questions.",
        "version": 1,
        "disclaimer": "This check does not diagnose anything.",
        "sources": {"guide": {"title": "Some published guidance"}},
        "sections": [
            {
                "id": "main",
                "title": f"{questions} questions",
                "intro": "Over the last two weeks, how often have you been bothered by these?",
                "questions": [
                    {
                        "id": qid,
                        "type": "single",
                        "text": f"Over the last two weeks, how often have you had symptom {n}?",
                        "options": options,
                    }
                    for n, qid in enumerate(ids, 1)
                ],
            },
            {
                "id": "last",
                "title": "One more",
                "questions": [{"id": "done", "type": "yesno", "text": "Is that everything?"}],
            },
        ],
        "scales": [
            {
                "id": "total",
                "title": "Symptom score",
                "sum": ids,
                "missing": "zero",
                "source": "guide",
                "bands": [
                    {"id": "low", "max": questions - 1, "label": "Low", "urgency": "routine"},
                    {"id": "high", "min": questions, "label": "High", "urgency": "soon"},
                ],
            }
        ],
        "rules": [
            {"id": "more", "when": "not done", "recommend": ["talk"], "source": "guide"},
        ],
        "recommendations": {
            "talk": {"title": "Talk to your doctor", "text": "Mention this.", "urgency": "routine"}
        },
        "tests": [
            {
                "name": "low",
                "answers": {**dict.fromkeys(ids, "0"), "done": True},
                "expect": {"urgency": "routine", "bands": {"total": "low"}},
            },
            {
                "name": "high",
                "answers": {**dict.fromkeys(ids, "1"), "done": False},
                "expect": {
                    "urgency": "soon",
                    "bands": {"total": "high"},
                    "recommendations": ["talk"],
                },
            },
        ],
    }
    return yaml.safe_dump(definition, sort_keys=False)


def page_answers(csrf_token: str) -> dict[str, str]:
    """A valid POST of the 30-question page: every question answered, then Next."""
    answers = {f"q{i:02d}": str(i % 4) for i in range(1, QUESTIONS + 1)}
    return {**answers, "csrf_token": csrf_token, "action": "next"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Session:
    cookie: str  # "session=..."
    csrf_token: str


class Client:
    """Plain HTTP/1.1 requests to the benchmark server, one connection each (setup only)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(
        self, method: str, path: str, *, cookie: str = "", form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            found: dict[str, str] = {}
            for key, value in response.getheaders():  # several Set-Cookie: one per line
                key = key.lower()
                found[key] = f"{found[key]}\n{value}" if key in found else value
            return response.status, found, text
        finally:
            conn.close()


def _session_cookie(headers: dict[str, str], fallback: str) -> str:
    found = re.search(r"(?:^|\n)\s*(session=[^;]*)", headers.get("set-cookie", ""))
    return found.group(1) if found else fallback


def start_questionnaire(client: Client) -> Session:
    """Start the questionnaire as a browser would; the session cookie and the CSRF token."""
    status, headers, text = client.request("GET", f"/q/{QID}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', text)
    if status != 200 or token is None:
        raise RuntimeError(f"start page: HTTP {status}, CSRF token found: {token is not None}")
    cookie = _session_cookie(headers, "")
    form = {"csrf_token": token.group(1), "action": "start"}
    status, headers, _ = client.request("POST", f"/q/{QID}/start", cookie=cookie, form=form)
    if status != 302 or not headers.get("location", "").endswith(PAGE_PATH):
        raise RuntimeError(f"start: HTTP {status} to {headers.get('location')}")
    return Session(_session_cookie(headers, cookie), token.group(1))


def check_routes(client: Client, session: Session) -> str:
    """The requests wrk will repeat give what they should; returns a description of the page."""
    status, headers, text = client.request("GET", PAGE_PATH, cookie=session.cookie)
    resets = "session=" in headers.get("set-cookie", "")
    fieldsets = text.count("<fieldset")
    if status != 200 or fieldsets != QUESTIONS:
        raise RuntimeError(f"GET {PAGE_PATH}: HTTP {status}, {fieldsets} questions")
    radios = text.count('type="radio"')
    form = page_answers(session.csrf_token)
    status, headers, _ = client.request("POST", PAGE_PATH, cookie=session.cookie, form=form)
    if status != 302 or not headers.get("location", "").endswith(NEXT_PATH):
        raise RuntimeError(f"POST {PAGE_PATH}: HTTP {status} to {headers.get('location')}")
    size = len(text.encode())
    status, _, text = client.request("GET", "/hello")
    if status != 200 or "Hello" not in text:
        raise RuntimeError(f"GET /hello: HTTP {status}")
    return (
        f"{fieldsets} questions, {radios} radio inputs, {size / 1000:.1f} kB of HTML; "
        f"GET {'re-sends' if resets else 'leaves'} the session cookie"
    )


def prepare(env: dict[str, str]) -> None:
    """Build the app once in a separate process, so that work done at the first start
    (creating the database, importing the questionnaire) is done before the workers race."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "from benchmarks.web_app import make_app; make_app()"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the app does not start: {done.stderr.strip()[-800:]}")


@contextlib.contextmanager
def gunicorn(
    worker_class: str,
    env: dict[str, str],
    workdir: Path,
    threads: int,
    recycle_workers: bool = False,
) -> Iterator[tuple[Client, str, int]]:
    """A gunicorn serving ``benchmarks.web_app`` on a free loopback port, until the block ends."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        worker_class,
        "--chdir",
        str(ROOT),
        "--graceful-timeout",
        "3",
        "--no-control-socket",  # gunicorn >= 25: one path per user, shared by other instances
    ]
    if GUNICORN_CONF.exists():  # as deployed (logs, limits), but see recycle_workers
        args += ["--config", str(GUNICORN_CONF)]
        if not recycle_workers:
            args += ["--max-requests", "0"]
    if worker_class == "gthread":
        args += ["--threads", str(threads)]
    args.append("benchmarks.web_app:make_app()")
    log = workdir / f"gunicorn-{worker_class}.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT
        )
    client = Client(port)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-800:]}")
            try:
                if client.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 20 s")
            time.sleep(0.1)
        yield client, f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class WrkRun:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    kb_per_response: float
    bad_status: int
    socket_errors: int
    #: CPUs used by processes other than the server and wrk during the run (noise)
    other_cpus: float = 0.0
    #: (max - min) / mean of requests/s over the interleaved rounds
    spread: float = 0.0


def combine(rounds: list[WrkRun]) -> WrkRun:
    """Rounds of one route as one figure: mean requests/s, median percentiles, summed errors."""
    rates = [r.rps for r in rounds]
    mean = statistics.fmean(rates)
    return WrkRun(
        rps=mean,
        p50_ms=statistics.median(r.p50_ms for r in rounds),
        p99_ms=statistics.median(r.p99_ms for r in rounds),
        requests=sum(r.requests for r in rounds),
        kb_per_response=statistics.fmean(r.kb_per_response for r in rounds),
        bad_status=sum(r.bad_status for r in rounds),
        socket_errors=sum(r.socket_errors for r in rounds),
        other_cpus=max(r.other_cpus for r in rounds),
        spread=(max(rates) - min(rates)) / mean if mean else 0.0,
    )


class CpuMeter:
    """CPU time used on the machine by anything but the server's processes and wrk.

    Other processes (a test suite, a build) on the same cores lower every figure; this
    says by how much they were present. Linux /proc only; elsewhere it reports 0.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _busy(self) -> int:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()[1:]
        user, nice, system = (int(x) for x in fields[:3])
        return user + nice + system

    def _server(self) -> int:
        total = 0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if entry.name == str(self.server_pid) or fields[1] == str(self.server_pid):
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total

    def __enter__(self) -> CpuMeter:
        self.other_cpus = 0.0
        try:
            self._start = (self._busy(), self._server(), _children_cpu(), time.monotonic())
        except (OSError, ValueError, IndexError):
            self._start = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._start is None:
            return
        busy0, server0, children0, t0 = self._start
        try:
            busy, server = self._busy() - busy0, self._server() - server0
        except (OSError, ValueError, IndexError):
            return
        wrk_seconds = _children_cpu() - children0
        other = busy / self.tick - server / self.tick - wrk_seconds
        self.other_cpus = max(0.0, other / max(time.monotonic() - t0, 1e-9))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def parse_wrk(output: str) -> WrkRun:
    """Requests/s, latency percentiles and errors from ``wrk --latency`` output."""

    def percentile(p: str) -> float:
        found = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
        if not found:
            raise ValueError(f"no {p}% latency in wrk output")
        return float(found.group(1)) * _TIME_UNITS[found.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB|TB) read", output)
    if not rps or not total:
        raise ValueError("no Requests/sec or request count in wrk output")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    requests = int(total.group(1))
    read = float(total.group(2)) * _SIZE_UNITS[total.group(3)]
    return WrkRun(
        rps=float(rps.group(1)),
        p50_ms=percentile("50"),
        p99_ms=percentile("99"),
        requests=requests,
        kb_per_response=read / max(requests, 1) / 1000,
        bad_status=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(g) for g in sockets.groups()) if sockets else 0,
    )


def wrk(url: str, seconds: float, *, script: Path | None = None, cookie: str = "") -> WrkRun:
    args = [
        "wrk",
        f"--threads={WRK_THREADS}",
        f"--connections={WRK_CONNECTIONS}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=5s",
        "--latency",
    ]
    if cookie:
        args += ["--header", f"Cookie: {cookie}"]
    if script:
        args += ["--script", str(script)]
    args.append(url)
    done = subprocess.run(  # noqa: S603 - wrk with our own arguments, loopback URL
        args, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return parse_wrk(done.stdout)


def post_script(path: Path, session: Session) -> Path:
    """A wrk Lua script that POSTs the page's valid answers with the session's cookie and token."""
    body = urllib.parse.urlencode(page_answers(session.csrf_token))
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{body}]==]\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = [==[{session.cookie}]==]\n',
        "utf-8",
    )
    return path


def http_figures(
    worker_class: str,
    seconds: float,
    rounds: int,
    env: dict[str, str],
    workdir: Path,
    threads: int,
    recycle_workers: bool = False,
) -> dict:
    """Hello, page GET and page POST under one gunicorn worker class.

    Each route gets ``seconds`` in all, in ``rounds`` interleaved runs (hello, GET, POST,
    hello, ...), so that a burst of other work on the machine hits every route alike.
    """
    with gunicorn(worker_class, env, workdir, threads, recycle_workers) as (client, base, pid):
        session = start_questionnaire(client)
        described = check_routes(client, session)
        script = post_script(workdir / "post.lua", session)
        wrk(base + PAGE_PATH, 1, cookie=session.cookie)  # warm up both workers
        routes: dict[str, dict[str, Any]] = {
            "hello": {"url": base + "/hello"},
            "get": {"url": base + PAGE_PATH, "cookie": session.cookie},
            "post": {"url": base + PAGE_PATH, "script": script},
        }
        collected: dict[str, list[WrkRun]] = {key: [] for key in routes}
        for _ in range(rounds):
            for key, how in routes.items():
                with CpuMeter(pid) as meter:
                    run = wrk(
                        how["url"],
                        seconds / rounds,
                        cookie=how.get("cookie", ""),
                        script=how.get("script"),
                    )
                run.other_cpus = meter.other_cpus
                collected[key].append(run)
        check_routes(client, session)  # still the same answers after the runs
    runs = {key: combine(found) for key, found in collected.items()}
    return {"described": described, "runs": runs, "threads": threads}


def print_http(worker_class: str, f: dict) -> None:
    threads = f", {f['threads']} threads each" if worker_class == "gthread" else ""
    print(f"-- gunicorn, {WORKERS} {worker_class} workers{threads} (page: {f['described']}) --")
    print(
        f"{'route':<34} {'req/s':>9} {'spread':>7} {'p50 ms':>8} {'p99 ms':>8} {'kB/resp':>8} "
        f"{'vs hello':>9} {'errors':>7} {'other CPU':>10}"
    )
    hello = f["runs"]["hello"].rps
    names = {
        "hello": "GET /hello (baseline)",
        "get": f"GET {QUESTIONS}-question page",
        "post": f"POST {QUESTIONS}-question page (302)",
    }
    for key, name in names.items():
        run: WrkRun = f["runs"][key]
        errors = run.bad_status + run.socket_errors
        print(
            f"{name:<34} {run.rps:>9,.0f} {run.spread:>7.0%} {run.p50_ms:>8.2f} "
            f"{run.p99_ms:>8.2f} {run.kb_per_response:>8.1f} {run.rps / hello:>8.1%} "
            f"{errors:>7} {run.other_cpus:>10.2f}"
        )


def http_targets(worker_class: str, f: dict) -> list[str]:
    runs = f["runs"]
    hello = runs["hello"].rps
    lines = []
    for key, name in (("get", "GET"), ("post", "POST")):
        share = runs[key].rps / hello
        lines.append(
            f"{worker_class:<7} {QUESTIONS}-question {name:<4} >= {TARGET_PAGE_SHARE:.0%} "
            f"of hello: {share:.1%} ({runs[key].rps:,.0f} vs {hello:,.0f} req/s)  "
            f"{verdict(share >= TARGET_PAGE_SHARE)}"
        )
    for key, name in (("get", "GET"), ("post", "POST")):
        p99 = runs[key].p99_ms
        lines.append(
            f"{worker_class:<7} {QUESTIONS}-question {name:<4} p99 <= {TARGET_P99_MS:.0f} ms at "
            f"{WRK_CONNECTIONS} connections: {p99:.1f} ms  {verdict(p99 <= TARGET_P99_MS)}"
        )
    return lines


def wrk_version() -> str:
    if shutil.which("wrk") is None:
        return "wrk missing"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["wrk", "--version"],  # noqa: S607 - found on PATH just above
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    found = re.search(r"wrk\s+(\S+)", done.stdout + done.stderr)
    return f"wrk {found.group(1)}" if found else "wrk"


def http_missing_tools() -> list[str]:
    problems = []
    if shutil.which("wrk") is None:
        problems.append("wrk is not installed: apt-get install -y wrk (Debian), then run again")
    if version_of("gunicorn") == "missing":
        problems.append(f"gunicorn is not installed: {sys.executable} -m pip install gunicorn")
    return problems


def server_env(folder: Path) -> dict[str, str]:
    """The server's environment: production settings, the generated questionnaire, and a
    throw-away database next to it (for versions of the app that keep one)."""
    env = dict(os.environ)
    env.update(
        RISKCHECK_ENV="production",  # as deployed (Secure cookies: set by hand here)
        RISKCHECK_SECRET_KEY=secrets.token_hex(32),  # shared by the workers
        RISKCHECK_QUESTIONNAIRES=str(folder),
        RISKCHECK_DATABASE_URL=f"sqlite:///{folder.parent / 'bench-web.sqlite3'}",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    return env


# -- profiling (--profile) -------------------------------------------------------------------------

Components = list[tuple[str, tuple[str, ...]]]

#: Exclusive time of the page view by component; the first pattern in a function's file wins.
PAGE_COMPONENTS: Components = [
    ("test client (not part of a real server)", ("werkzeug/test.py", "flask/testing.py")),
    ("Jinja templates, macros, escaping", (".html", "/jinja2/", "/markupsafe/")),
    ("WTForms form construction/processing", ("/wtforms/", "flask_wtf/form.py")),
    ("CSRF token (flask_wtf.csrf)", ("flask_wtf/csrf.py",)),
    (
        "session cookie + token signing",
        ("flask/sessions.py", "flask/json/tag.py", "/itsdangerous/", "/hmac.py", "/json/"),
    ),
    ("i18n (flask_babel, babel)", ("/flask_babel/", "/babel/")),
    (
        "database: catalogue look-ups (SQLAlchemy, sqlite3)",
        ("/sqlalchemy/", "/sqlite3/", "riskcheck/storage/", "riskcheck/web/catalogue.py"),
    ),
    ("flask_limiter, flask_login hooks", ("/flask_limiter/", "/limits/", "/flask_login/")),
    (
        "riskcheck journey/answers/questions/expressions",
        (
            "riskcheck/journey.py",
            "riskcheck/answers.py",
            "riskcheck/questions.py",
            "riskcheck/expressions/",
        ),
    ),
    ("riskcheck web views/forms/progress", ("riskcheck/web/",)),
    ("form body: test client encodes, app parses", ("/urllib/parse.py",)),
    ("Flask/Werkzeug request handling", ("/flask/", "/werkzeug/")),
]

#: The same for the PDF.
PDF_COMPONENTS: Components = [
    ("QR code encoding (reportlab qrencoder)", ("reportlab/graphics/barcode/",)),
    ("Paragraph markup parsing", ("platypus/paraparser.py", "/html/parser.py", "/html/")),
    ("Paragraph line breaking + drawing", ("platypus/paragraph.py", "lib/textsplit.py")),
    ("Table sizing, splitting, drawing", ("platypus/tables.py",)),
    ("TrueType metrics + subsetting", ("pdfbase/ttfonts.py", "pdfbase/pdfmetrics.py")),
    ("PDF objects + compression (pdfdoc, zlib)", ("pdfbase/pdfdoc.py",)),
    ("canvas drawing (pdfgen)", ("reportlab/pdfgen/",)),
    ("other Platypus (frames, doctemplate, flowables)", ("reportlab/platypus/",)),
    ("riskcheck report/ (story, text, fonts)", ("riskcheck/report/",)),
    ("other ReportLab (lib: styles, colours, attrs)", ("reportlab/",)),
    ("copy module (style clones)", ("/copy.py",)),
]
_OTHER = "other"


def _component(filename: str, components: Components) -> str:
    path = filename.replace(os.sep, "/")
    for name, patterns in components:
        if any(p in path for p in patterns):
            return name
    return _OTHER


def exclusive_by_component(stats: pstats.Stats, components: Components) -> dict[str, float]:
    """Exclusive (self) time per component; C built-ins count for the component that calls them."""
    out: dict[str, float] = defaultdict(float)
    raw: dict = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, self_time, _, callers) in raw.items():
        if filename != "~":
            out[_component(filename, components)] += self_time
            continue
        by_caller = {k: v[2] for k, v in callers.items() if k[0] != "~"}
        total = sum(by_caller.values())
        if total == 0:
            out[_OTHER] += self_time
            continue
        for (caller_file, _, _), caller_time in by_caller.items():
            out[_component(caller_file, components)] += self_time * caller_time / total
    return dict(out)


def _code_key(module: str, qualname: str) -> tuple[str, int, str] | None:
    """cProfile's key (file, first line, name) for a function, or None if it is not there."""
    try:
        obj: Any = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        obj = getattr(obj, "fget", None) or getattr(obj, "func", None) or obj  # properties
        code = inspect.unwrap(obj).__code__
    except (ImportError, AttributeError):
        return None
    return code.co_filename, code.co_firstlineno, code.co_name


def _print_profile(
    title: str, stats: pstats.Stats, calls: int, steps: list[tuple[str, str, str]], components
) -> None:
    raw: dict = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{title}: {calls} calls, {total / calls * 1000:.2f} ms each under cProfile")
    print("  exclusive time by component (built-ins charged to their caller):")
    shares = exclusive_by_component(stats, components)
    for name, seconds in sorted(shares.items(), key=lambda x: -x[1]):
        print(f"    {name:<48} {seconds / total:>6.1%}")
    print("  inclusive time of named functions (nested; ms per call under the profiler):")
    for label, module, qualname in steps:
        key = _code_key(module, qualname)
        if key is None:
            print(f"    {label:<48}   (not found: {module}.{qualname})")
            continue
        entry = raw.get(key)
        seconds, count = (entry[3], entry[1]) if entry else (0.0, 0)
        print(
            f"    {label:<48} {seconds / total:>6.1%}  {seconds / calls * 1000:>6.2f} ms  "
            f"{count / calls:>6.0f} calls each"
        )
    print("  top functions by self time:")
    top = sorted(raw.items(), key=lambda item: -item[1][2])[:10]
    for (filename, line, name), value in top:
        short = filename.replace(os.sep, "/").split("site-packages/")[-1]
        short = short.replace(str(ROOT) + "/", "")
        print(
            f"    {value[2] / total:>6.1%}  {value[1] / calls:>8.0f}/call  {short}:{line}({name})"
        )


#: (label, module, qualified name): the named functions in the page view's profile.
PAGE_STEPS = [
    ("answer_page view", "riskcheck.web.patient.steps", "answer_page"),
    ("  Catalogue.published (database)", "riskcheck.web.catalogue", "Catalogue.published"),
    ("  Catalogue.by_row (database)", "riskcheck.web.catalogue", "Catalogue.by_row"),
    ("  render_template(patient/page.html)", "flask.templating", "render_template"),
    ("    Jinja macro calls (Macro.__call__)", "jinja2.runtime", "Macro.__call__"),
    ("    markupsafe.escape", "markupsafe", "escape"),
    ("    csrf_token() -> generate_csrf", "flask_wtf.csrf", "generate_csrf"),
    ("    context processors", "flask.app", "Flask.update_template_context"),
    ("  page_form (WTForms form construction)", "riskcheck.web.patient.forms", "page_form"),
    ("  form_data", "riskcheck.web.patient.forms", "form_data"),
    ("  journey.pages", "riskcheck.journey", "pages"),
    ("    journey.current_answers", "riskcheck.journey", "current_answers"),
    ("    journey.follow_up_level", "riskcheck.journey", "follow_up_level"),
    ("  answers.resolve (all callers)", "riskcheck.answers", "resolve"),
    ("  validate_on_submit (POST: CSRF check)", "flask_wtf.form", "FlaskForm.validate_on_submit"),
    ("  journey.save_page (POST)", "riskcheck.journey", "save_page"),
    ("  _go_on (POST: what comes next)", "riskcheck.web.patient.steps", "_go_on"),
    ("request.form (POST body parsing)", "werkzeug.wrappers.request", "Request.form"),
    (
        "session open (verify + decode cookie)",
        "flask.sessions",
        "SecureCookieSessionInterface.open_session",
    ),
    (
        "session save (encode + sign cookie)",
        "flask.sessions",
        "SecureCookieSessionInterface.save_session",
    ),
    ("babel locale selection", "riskcheck.web.i18n", "select_locale"),
    ("security_headers", "riskcheck.web.security", "security_headers"),
]


def _app_for_profile(folder: Path) -> Any:
    settings = {k: v for k, v in server_env(folder).items() if k.startswith("RISKCHECK_")}
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        from benchmarks.web_app import make_app

        with contextlib.redirect_stderr(io.StringIO()):  # the app's "first admin" notice
            return make_app({"SESSION_COOKIE_SECURE": False})  # the test client speaks http
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def profile_page(calls: int) -> None:
    """Where the time of the 30-question page view goes (Flask test client, no server)."""
    with tempfile.TemporaryDirectory(prefix="riskcheck-bench-web-") as tmp:
        folder = Path(tmp) / "questionnaires"
        folder.mkdir()
        (folder / f"{QID}.yaml").write_text(questionnaire_yaml(), "utf-8")
        app = _app_for_profile(folder)
        client = app.test_client()
        text = client.get(f"/q/{QID}/").get_data(as_text=True)
        token_match = re.search(r'name="csrf_token" value="([^"]+)"', text)
        assert token_match is not None, "no CSRF token on the start page"
        token = token_match.group(1)
        client.post(f"/q/{QID}/start", data={"csrf_token": token, "action": "start"})
        assert client.get(PAGE_PATH).status_code == 200
        form = page_answers(token)
        response = client.post(PAGE_PATH, data=form)
        assert response.status_code == 302, response.status_code

        def per_call_ms(fn: Callable[[], Any]) -> float:
            for _ in range(20):
                fn()
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            return (time.perf_counter() - t0) / calls * 1000

        hello = per_call_ms(lambda: client.get("/hello"))
        get = per_call_ms(lambda: client.get(PAGE_PATH))
        post = per_call_ms(lambda: client.post(PAGE_PATH, data=form))
        print(f"== profile: {QUESTIONS}-question page, Flask test client, {calls} calls each ==")
        print(
            f"no profiler: GET /hello {hello:.2f} ms; GET page {get:.2f} ms "
            f"({hello / get:.1%} of hello's rate); POST page {post:.2f} ms ({hello / post:.1%})"
        )
        try:
            _direct_steps(app, client, calls)
        except Exception as exc:  # noqa: BLE001 - internal API changed: the profile still runs
            print(f"(steps alone skipped: {type(exc).__name__}: {exc})")
        for method, fn in (
            ("GET", lambda: client.get(PAGE_PATH)),
            ("POST", lambda: client.post(PAGE_PATH, data=form)),
        ):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(calls):
                fn()
            profiler.disable()
            print()
            _print_profile(
                f"{method} {PAGE_PATH}",
                pstats.Stats(profiler),
                calls,
                PAGE_STEPS,
                PAGE_COMPONENTS,
            )


def _direct_steps(app: Any, client: Any, calls: int) -> None:
    """Each step of the GET view timed alone (no profiler) inside one request context."""
    from flask import render_template, request

    from riskcheck import journey
    from riskcheck.web.patient import progress
    from riskcheck.web.patient.forms import form_data, page_form

    cookie = client.get_cookie("session")
    assert cookie is not None
    headers = {"Cookie": f"session={cookie.value}"}
    with app.test_request_context(PAGE_PATH, headers=headers):
        found = app.extensions["riskcheck_catalogue"]
        if hasattr(found, "published"):  # questionnaires in the database
            q = found.published(QID).questionnaire
            look_up = ("catalogue.published (database)", lambda: found.published(QID))
        else:  # questionnaires loaded from files at start-up
            q = found.get(QID)
            look_up = ("catalogue.get", lambda: found.get(QID))
        state = progress.load(q) or progress.load(QID)
        assert state is not None
        today = state.today
        pages = journey.pages(q, state.answers, today)
        page = journey.find_page(pages, "main")
        assert page is not None
        form = page_form(q.sha256, page, data=form_data(page, state.answers))

        def render() -> str:
            return render_template(
                "patient/page.html", q=q, page=page, form=form, errors={}, answers=state.answers
            )

        steps = [
            (
                "session open (verify + decode cookie)",
                lambda: app.session_interface.open_session(app, request),
            ),
            look_up,
            ("journey.pages", lambda: journey.pages(q, state.answers, today)),
            (
                f"form_data + page_form ({QUESTIONS} RadioFields)",
                lambda: page_form(q.sha256, page, data=form_data(page, state.answers)),
            ),
            ("render_template(patient/page.html)", render),
        ]
        print("each step of the GET alone, no profiler (CSRF token already made):")
        for label, fn in steps:
            for _ in range(10):
                fn()
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            print(f"  {label:<44} {(time.perf_counter() - t0) / calls * 1000:>6.3f} ms")


PDF_STEPS = [
    ("render_pdf", "riskcheck.report.pdf", "render_pdf"),
    ("  _story (build the flowables)", "riskcheck.report.pdf", "ReportRenderer._story"),
    ("    Paragraph() (markup parse)", "reportlab.platypus.paragraph", "Paragraph.__init__"),
    ("    clean (text -> markup, fonts)", "riskcheck.report.text", "clean"),
    ("    QrCode() (QR encoding, 8 mask trials)", "riskcheck.report.flowables", "QrCode.__init__"),
    ("  doc.build (layout + drawing)", "reportlab.platypus.doctemplate", "BaseDocTemplate.build"),
    ("    Paragraph.wrap (line breaking)", "reportlab.platypus.paragraph", "Paragraph.wrap"),
    ("    Paragraph.draw", "reportlab.platypus.paragraph", "Paragraph.draw"),
    ("    Table.wrap (table sizing)", "reportlab.platypus.tables", "Table.wrap"),
    ("    Table.split (across pages)", "reportlab.platypus.tables", "Table.split"),
    ("    Table.draw", "reportlab.platypus.tables", "Table.draw"),
    ("    QrCode.draw", "riskcheck.report.flowables", "QrCode.draw"),
    ("    canvas save (pages, PDF out)", "riskcheck.report.flowables", "NumberedCanvas.save"),
    ("      zlib-compress + write objects", "reportlab.pdfbase.pdfdoc", "PDFDocument.format"),
]


def profile_pdf(calls: int) -> None:
    """Where the time of render_pdf goes, for the same report as the timing."""
    from riskcheck.report.pdf import render_pdf

    _, report = example_report()
    render_pdf(report)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        render_pdf(report)
    profiler.disable()
    print()
    _print_profile(
        "== profile: PDF summary, render_pdf ==",
        pstats.Stats(profiler),
        calls,
        PDF_STEPS,
        PDF_COMPONENTS,
    )


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s wrk runs, 50 renders")
    parser.add_argument(
        "--seconds", type=float, help="wrk time per route and worker class (default 10)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="interleaved wrk runs per route (default 2)"
    )
    parser.add_argument("--no-http", action="store_true", help="PDF figures only")
    parser.add_argument(
        "--threads",
        type=int,
        default=GTHREAD_THREADS,
        help=f"threads per gthread worker (default {GTHREAD_THREADS})",
    )
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread", "both"),
        default="both",
        help="gunicorn worker classes to measure (default both)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile the page view and the PDF"
    )
    parser.add_argument(
        "--recycle-workers",
        action="store_true",
        help="keep gunicorn.conf.py's max_requests (workers restart every ~1000 requests)",
    )
    args = parser.parse_args(argv)
    seconds = min(args.seconds or (3.0 if args.quick else 10.0), 30.0)
    renders = 50 if args.quick else 200
    rounds = max(1, min(args.rounds, 10))
    started = time.perf_counter()
    print(
        f"riskcheck web benchmark: Python {sys.version.split()[0]}, "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPU(s), "
        f"Flask {version_of('flask')}, ReportLab {version_of('reportlab')}, "
        f"gunicorn {version_of('gunicorn')}, {wrk_version()}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(
        f"load average at start: {load:.2f}"
        + ("  (other work is running: figures will be lower and noisier)" if load > 0.7 else "")
    )
    print()
    pdf = pdf_figures(renders)
    print_pdf(pdf)
    print()
    targets = [
        f"PDF summary render <= {TARGET_PDF_MS:.0f} ms: {pdf['render']:.1f} ms "
        f"({pdf['render'] / pdf['plain']:.1f}x plain Platypus)  "
        f"{verdict(pdf['render'] <= TARGET_PDF_MS)}"
    ]
    missing = [] if args.no_http else http_missing_tools()
    if args.no_http:
        print("(HTTP figures skipped: --no-http)")
    elif missing:
        print("== HTTP: skipped ==")
        for problem in missing:
            print(problem)
    else:
        print(
            f"== HTTP: gunicorn {version_of('gunicorn')} on 127.0.0.1; wrk {WRK_THREADS} threads, "
            f"{WRK_CONNECTIONS} connections; {seconds:.0f} s per route in {rounds} interleaved "
            f"runs; same machine =="
        )
        if GUNICORN_CONF.exists():
            recycling = (
                "as set there (other CPU then counts the restarted workers too)"
                if args.recycle_workers
                else "0: no worker restarts"
            )
            print(f"(settings: gunicorn.conf.py, with max_requests {recycling})")
        print(
            "(spread: max-min of the runs' req/s over their mean; other CPU: CPUs busy with\n"
            " processes other than gunicorn and wrk during the worst run: should be near 0)"
        )
        with tempfile.TemporaryDirectory(prefix="riskcheck-bench-web-") as tmp:
            workdir = Path(tmp)
            folder = workdir / "questionnaires"
            folder.mkdir()
            (folder / f"{QID}.yaml").write_text(questionnaire_yaml(), "utf-8")
            env = server_env(folder)
            results = {}
            try:
                prepare(env)
            except (RuntimeError, subprocess.SubprocessError) as exc:
                print(f"-- failed: {exc}")
                classes = ()
            else:
                both = ("sync", "gthread")
                classes = both if args.worker_class == "both" else (args.worker_class,)
            for worker_class in classes:
                try:
                    results[worker_class] = http_figures(
                        worker_class,
                        seconds,
                        rounds,
                        env,
                        workdir,
                        args.threads,
                        args.recycle_workers,
                    )
                except (RuntimeError, ValueError, OSError, subprocess.SubprocessError) as exc:
                    print(f"-- {worker_class}: failed: {exc}")
                    continue
                print_http(worker_class, results[worker_class])
            for worker_class, figures in results.items():
                targets += http_targets(worker_class, figures)
            noisy = max(
                (run.other_cpus for f in results.values() for run in f["runs"].values()),
                default=0.0,
            )
            if noisy > 0.25:
                print(
                    f"WARNING: other processes used up to {noisy:.2f} CPUs during a run: "
                    "the HTTP figures are disturbed; run again on a quiet machine"
                )
            if len(results) == 2:
                sync, gthread = (results[k]["runs"] for k in ("sync", "gthread"))
                print(
                    "gthread / sync requests/s: "
                    + ", ".join(
                        f"{name} {gthread[key].rps / sync[key].rps:.2f}x"
                        for key, name in (("hello", "hello"), ("get", "GET"), ("post", "POST"))
                    )
                )
    print()
    print("== targets ==")
    for line in targets:
        print(line)
    if not args.no_http and not missing:
        print(
            f"(wrk keeps {WRK_CONNECTIONS} requests in flight, so mean latency = "
            f"{WRK_CONNECTIONS} / req/s: a p99 of {TARGET_P99_MS:.0f} ms needs well over "
            f"{WRK_CONNECTIONS / TARGET_P99_MS * 1000:.0f} req/s)"
        )
    if args.profile:
        print()
        profile_page(300)
        profile_pdf(50)
    elif any(line.endswith("MISS") for line in targets):
        print("(python -m benchmarks.web --profile shows where the time goes)")
    print(f"(whole run: {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
