"""Locust users for riskcheck: a whole patient journey, and /healthz as the baseline.

Run through ``make load`` / ``make faults`` (loadtest/run.py starts the servers and reads
the results). By hand, against servers you started on loopback::

    LOAD_HOSTS=http://127.0.0.1:8101,http://127.0.0.1:8102 \\
      locust -f loadtest/locustfile.py PatientUser --headless -u 32 -r 8 -t 60s \\
      --host http://127.0.0.1:8101 --stop-timeout 40 --csv .load/run

``PatientUser`` (one task, one whole journey): the landing page, the questionnaire's start
page, Start, every page of questions (answers chosen at random from the options on the
page; the csrf_token of each form is sent back), the review page, confirm (the response is
stored), the result (its reference code is read) and the PDF summary. Each step has its own
name in the statistics. A patient pauses LOAD_THINK seconds (default "0.5,1.5") between
steps; the questionnaire is drawn from LOAD_QUESTIONNAIRES (default symptom-check, the
eight-page general check, and phq9 and gad7).

``HelloUser``: GET /healthz at the same pace (the process answers, no database): the cost
of locust, gunicorn and loopback alone on this machine, to compare with.

Users are spread round-robin over LOAD_HOSTS. With LOAD_RETRY=1 (the fault run), a 503
page or a dropped connection is retried after a second (at most LOAD_RETRY_LIMIT times),
as a patient pressing the button again would; otherwise any failure ends that journey.
At exit, the counts and the reference code of every completed journey are written as JSON
to LOAD_OUT, for run.py to compare with what the database stored.
"""

# Answers and pauses are drawn with random, which is right for a simulation (S311).
# ruff: noqa: S311

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task

HOSTS = [h.strip().rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",") if h.strip()]
QUESTIONNAIRES = [
    q.strip()
    for q in os.environ.get("LOAD_QUESTIONNAIRES", "symptom-check,phq9,gad7").split(",")
    if q.strip()
]
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "0.5,1.5").split(","))
RETRY = os.environ.get("LOAD_RETRY") == "1"
RETRY_LIMIT = int(os.environ.get("LOAD_RETRY_LIMIT", "60"))
OUT = os.environ.get("LOAD_OUT", "")
MAX_PAGES = 30  # a journey longer than this is a bug (a page that never moves on)

REFERENCE = re.compile(r'<p class="reference"><code>([0-9A-Z-]+)</code>')
CALM_503 = "temporarily unavailable"

_next_host = itertools.count()
_lock = threading.Lock()
TALLY: dict[str, Any] = {
    "journeys_started": 0,
    "journeys_completed": 0,
    "journeys_failed": 0,
    "not_eligible": 0,
    "interruptions": 0,  # journeys stopped by an emergency or crisis answer, then continued
    "references": [],
    "completed_at": [],  # unix times, to see journeys complete after a fault
    "status": {},  # every status code seen (0: no response), per code
    "calm_503": 0,  # 503 answers that were the calm page or the JSON error
    "other_503": 0,
    "server_errors": 0,  # 500 and other 5xx except 503
    "tracebacks": 0,  # a response body showing a Python traceback
    "connection_errors": 0,
    "retries": 0,
    "confirm_retries": 0,
}


def count(key: str, n: int = 1) -> None:
    with _lock:
        TALLY[key] += n


class JourneyFailed(Exception):  # noqa: N818 - reads better in the task
    """A step failed in a way a patient could not get past."""


class Forms(HTMLParser):
    """The forms of a page: action, method, fields (name, type, value, checked) and buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append(
                {
                    "name": a.get("name", ""),
                    "type": a.get("type", "text").lower(),
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                    "inputmode": a.get("inputmode", ""),
                }
            )
        elif tag == "textarea":
            self._form["fields"].append({"name": a.get("name", ""), "type": "textarea"})
        elif tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and self._select is not None:
            self._form["fields"].append(
                {"name": self._select, "type": "option", "value": a.get("value", "")}
            )
        elif tag == "button":
            self._form["buttons"].append({"name": a.get("name", ""), "value": a.get("value", "")})

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def csrf_of(form: dict[str, Any]) -> str:
    for field in form["fields"]:
        if field["name"] == "csrf_token":
            return str(field["value"])
    raise JourneyFailed("no csrf_token in the form")


def post_form(html: str, action_suffix: str | None = None) -> dict[str, Any]:
    """The page's POST form (the one whose action ends with ``action_suffix``, if given)."""
    for form in forms_of(html):
        if form["method"] != "post":
            continue
        if action_suffix is None or form["action"].endswith(action_suffix):
            return form
    raise JourneyFailed(f"no POST form {action_suffix or ''} on the page")


def answers_for(form: dict[str, Any]) -> dict[str, Any]:
    """Answers a patient might give: a random option of each radio group, a few boxes
    ticked, an age of 18-85; optional numbers and free text left empty."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for field in form["fields"]:
        if field["name"]:
            groups.setdefault(field["name"], []).append(field)
    data: dict[str, Any] = {}
    for name, fields in groups.items():
        kind = fields[0]["type"]
        values = [f.get("value", "") for f in fields]
        if kind == "hidden":
            data[name] = values[0]
        elif kind == "radio":
            if set(values) == {"yes", "no"}:  # mostly "no", as most people answer
                data[name] = "yes" if random.random() < 0.15 else "no"
            else:
                data[name] = random.choice(values)
        elif kind == "checkbox":
            if len(fields) == 1:  # one box of a checklist: ticked means yes
                if random.random() < 0.15:
                    data[name] = values[0]
            elif random.random() < 0.5:  # a multiple-choice question: one option
                data[name] = random.choice(values)
        elif kind == "option":
            data[name] = next((v for v in values if v), "")
        elif name == "age" or name.endswith("_age"):
            data[name] = str(random.randint(18, 85))
    data["action"] = "next"
    return data


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class PatientUser(HttpUser):
    """One whole patient journey per task; a pause before the next patient arrives."""

    wait_time = between(1.0, 3.0)
    host = HOSTS[0] if HOSTS else None

    def on_start(self) -> None:
        if HOSTS:  # spread users over the instances, round-robin
            self.client.base_url = HOSTS[next(_next_host) % len(HOSTS)]

    def think(self) -> None:
        # gevent.sleep, not self.wait(): a graceful stop (--stop-timeout) lets the journey
        # finish instead of abandoning it halfway (the counts must match the database).
        gevent.sleep(random.uniform(*THINK))

    def step(
        self,
        method: str,
        path: str,
        name: str,
        *,
        expect: int,
        data: dict[str, Any] | None = None,
        check: str | None = None,
    ) -> Any:
        """One request; a failure raises JourneyFailed, after retries in the fault run."""
        for attempt in range(RETRY_LIMIT + 1):
            with self.client.request(
                method, path, name=name, data=data, allow_redirects=False, catch_response=True
            ) as response:
                status = response.status_code or 0
                body = (response.text or "") if status != 200 else ""  # never a PDF
                with _lock:
                    TALLY["status"][str(status)] = TALLY["status"].get(str(status), 0) + 1
                if "Traceback (most recent call last)" in body:
                    count("tracebacks")
                if status == expect and (check is None or check in (response.text or "")):
                    response.success()
                    return response
                retryable = False
                if status == 503:
                    calm = CALM_503 in body or '"unavailable"' in body
                    count("calm_503" if calm else "other_503")
                    retryable = calm
                    response.failure("503 unavailable (calm page)" if calm else "503 other")
                elif status == 0:
                    count("connection_errors")
                    retryable = True
                    response.failure(f"no response: {type(response.error).__name__}")
                else:
                    if status >= 500:
                        count("server_errors")
                    response.failure(f"expected {expect}, got {status}")
            if not (RETRY and retryable) or attempt == RETRY_LIMIT:
                raise JourneyFailed(f"{name}: {status}")
            count("retries")
            if name.endswith("(confirm)"):
                count("confirm_retries")
            gevent.sleep(1.0)
        raise JourneyFailed(name)  # not reached

    @task
    def journey(self) -> None:
        count("journeys_started")
        try:
            self._journey(random.choice(QUESTIONNAIRES))
        except JourneyFailed:
            count("journeys_failed")

    def _journey(self, qid: str) -> None:
        self.client.cookies.clear()  # a new patient
        self.step("GET", "/", "GET / (landing)", expect=200)
        self.think()
        start = self.step("GET", f"/q/{qid}/", "GET /q/[id]/ (start page)", expect=200)
        form = post_form(start.text, "/start")
        self.think()
        response = self.step(
            "POST",
            f"/q/{qid}/start",
            "POST /q/[id]/start",
            expect=302,
            data={"csrf_token": csrf_of(form), "action": "start"},
        )
        location = path_of(response.headers["Location"])
        for _page in range(MAX_PAGES):
            if location.endswith("/help-now"):  # an interruption: read it, then continue
                count("interruptions")
                stop = self.step("GET", location, "GET /q/[id]/help-now", expect=200)
                self.think()
                response = self.step(
                    "POST",
                    location,
                    "POST /q/[id]/help-now (continue)",
                    expect=302,
                    data={"csrf_token": csrf_of(post_form(stop.text)), "action": "continue"},
                )
                location = path_of(response.headers["Location"])
                continue
            if "/p/" not in location:
                break
            page = self.step("GET", location, "GET /q/[id]/p/[page]", expect=200)
            answers = answers_for(post_form(page.text))
            self.think()
            response = self.step(
                "POST", location, "POST /q/[id]/p/[page]", expect=302, data=answers
            )
            location = path_of(response.headers["Location"])
        else:
            raise JourneyFailed("too many pages")
        if "not-for-you" in location:
            count("not_eligible")
            return
        if not location.endswith("/review"):
            raise JourneyFailed(f"unexpected redirect to {location}")
        review = self.step("GET", location, "GET /q/[id]/review", expect=200)
        confirm = post_form(review.text)
        self.think()
        response = self.step(
            "POST",
            location,
            "POST /q/[id]/review (confirm)",
            expect=302,
            data={"csrf_token": csrf_of(confirm)},
        )
        result_path = path_of(response.headers["Location"])
        if not result_path.endswith("/result"):
            raise JourneyFailed(f"confirm went to {result_path}")
        result = self.step("GET", result_path, "GET /q/[id]/result", expect=200)
        found = REFERENCE.search(result.text)
        if not found:
            raise JourneyFailed("no reference code on the result page")
        reference = found.group(1).replace("-", "")
        with _lock:  # confirmed and shown: this response must be in the database
            TALLY["journeys_completed"] += 1
            TALLY["references"].append(reference)
            TALLY["completed_at"].append(time.time())
        pdf_form = post_form(result.text, "/summary.pdf")
        self.think()
        pdf = self.step(
            "POST",
            f"/q/{qid}/summary.pdf",
            "POST /q/[id]/summary.pdf",
            expect=200,
            data={"csrf_token": csrf_of(pdf_form), "name": "", "birth_date": ""},
        )
        if not pdf.content.startswith(b"%PDF"):
            raise JourneyFailed("the summary is not a PDF")


class HelloUser(HttpUser):
    """The baseline: the liveness probe, at the pace of a patient's steps."""

    wait_time = between(*THINK)
    host = HOSTS[0] if HOSTS else None

    def on_start(self) -> None:
        if HOSTS:
            self.client.base_url = HOSTS[next(_next_host) % len(HOSTS)]

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="GET /healthz")


@events.quitting.add_listener
def _write_tally(**_kwargs: Any) -> None:
    if OUT:
        with _lock, open(OUT, "w", encoding="utf-8") as handle:
            json.dump(TALLY, handle)
