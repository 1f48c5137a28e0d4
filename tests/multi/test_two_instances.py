"""Two instances on one database and one Redis behave as one app (docs/deploy.md).

A patient may be sent to either instance on every request, a version published on one is
what the other serves at once, and the sign-in limit is counted once for both.
"""

from __future__ import annotations

import io
import re

import pytest
import redis
from pypdf import PdfReader

from riskcheck.storage.store import Store
from tests.multi.conftest import Browser, Instance

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password
MOOD_TITLE = "title: Mood check\n"

Pair = tuple[Instance, Instance]


@pytest.fixture(scope="module")
def publisher(store: Store) -> str:
    email = "publisher@example.org"
    store.accounts.create(email, "publisher", password=PASSWORD)
    return email


def sign_in(browser: Browser, instance: Instance, email: str, password: str) -> int:
    form = browser.get(instance, "/clinician/login")
    assert form.status == 200, form.status
    reply = browser.post(
        instance,
        "/clinician/login",
        {"csrf_token": form.csrf(), "email": email, "password": password},
    )
    return reply.status


def test_both_start_together_on_an_empty_database(instances: Pair, store: Store) -> None:
    """Four processes migrated and imported at once: each did it once, none failed."""
    a, b = instances
    assert "Worker failed to boot" not in a.output() + b.output()
    assert [v.version for v in store.versions.history("mood")] == [1]
    imports = store.audit.entries(action="import_shipped")
    assert [entry.target for entry in imports] == ["mood.yaml"]


def test_a_patient_starts_on_one_instance_and_finishes_on_the_other(
    instances: Pair, store: Store
) -> None:
    a, b = instances
    patient = Browser()
    start = patient.get(a, "/q/mood/")
    assert start.status == 200
    begun = patient.post(a, "/q/mood/start", {"csrf_token": start.csrf(), "action": "start"})
    assert (begun.status, begun.location) == (302, "/q/mood/p/about_you")

    page = patient.get(b, "/q/mood/p/about_you")  # B reads the session A wrote
    assert page.status == 200, page.text[:500]
    moved = patient.post(
        b,
        "/q/mood/p/about_you",
        {"csrf_token": page.csrf(), "age": "40", "smoker": "never", "action": "next"},
    )
    assert (moved.status, moved.location) == (302, "/q/mood/p/feelings")
    page = patient.get(a, "/q/mood/p/feelings")
    moved = patient.post(
        a,
        "/q/mood/p/feelings",
        {"csrf_token": page.csrf(), "q1": "0", "q2": "1", "action": "next"},
    )
    assert (moved.status, moved.location) == (302, "/q/mood/review")

    review = patient.get(b, "/q/mood/review")
    assert "40" in review.text  # the answer given on B, kept through A
    confirmed = patient.post(b, "/q/mood/review", {"csrf_token": review.csrf()})
    assert (confirmed.status, confirmed.location) == (302, "/q/mood/result")
    result = patient.get(b, "/q/mood/result")
    assert result.status == 200
    printed = re.search(r"<code>([0-9A-Z-]{30,})</code>", result.text).group(1)
    reference = printed.replace("-", "")

    # A second confirmation (a double click landing on the other instance) stores nothing.
    again = patient.post(a, "/q/mood/review", {"csrf_token": review.csrf()})
    assert again.status == 302

    pdf = patient.post(a, "/q/mood/summary.pdf", {"csrf_token": result.csrf()})
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert printed in text

    stored = store.responses.find(reference)
    assert stored is not None
    assert stored.questionnaire_id == "mood"
    assert store.responses.count() == 1


def test_a_version_published_on_one_instance_is_served_by_the_other_at_once(
    instances: Pair, store: Store, publisher: str, redis_client: redis.Redis
) -> None:
    a, b = instances
    redis_client.flushdb()  # no sign-in attempts counted from other tests
    patient = Browser()
    before = patient.get(b, "/q/mood/")  # B has compiled and cached version 1
    assert "Mood check" in before.text
    assert "Mood check, shared" not in before.text

    clinician = Browser()
    assert sign_in(clinician, a, publisher, PASSWORD) == 302
    assert clinician.get(b, "/clinician/").status == 200  # the sign-in holds on B too
    text = store.versions.published("mood").text
    assert MOOD_TITLE in text
    editor = clinician.get(a, "/clinician/q/mood/edit")
    saved = clinician.post(
        a,
        "/clinician/q/mood/edit",
        {
            "csrf_token": editor.csrf(),
            "base_lock": "",
            "text": text.replace(MOOD_TITLE, "title: Mood check, shared\n"),
        },
    )
    assert saved.status == 302, saved.text[:1000]
    draft = store.versions.draft("mood")
    assert draft is not None
    assert draft.valid
    editor = clinician.get(a, "/clinician/q/mood/edit")
    published = clinician.post(
        a,
        "/clinician/q/mood/publish",
        {"csrf_token": editor.csrf(), "base_lock": str(draft.lock_version)},
    )
    assert published.status == 302
    assert store.versions.published("mood").version == draft.version

    after = patient.get(b, "/q/mood/")
    assert "Mood check, shared" in after.text
    assert "Mood check, shared" in patient.get(a, "/q/mood/").text


def test_the_sign_in_limit_is_counted_across_both(
    instances: Pair, publisher: str, redis_client: redis.Redis
) -> None:
    a, b = instances
    redis_client.flushdb()
    attacker = Browser()
    try:
        for attempt in range(10):
            instance = (a, b)[attempt % 2]
            # a different address each time: the per-account pause is the next test's
            email = f"someone{attempt}@example.org"
            status = sign_in(attacker, instance, email, f"wrong password {attempt}")
            assert status == 400, (instance.name, attempt, status)
        assert sign_in(attacker, a, publisher, PASSWORD) == 429
        assert sign_in(attacker, b, publisher, PASSWORD) == 429
    finally:
        redis_client.flushdb()  # unblock 127.0.0.1 for anything after this


def test_the_per_account_pause_is_counted_across_both(
    instances: Pair, redis_client: redis.Redis, store: Store
) -> None:
    a, b = instances
    redis_client.flushdb()
    attacker = Browser()
    email = "nobody@example.org"  # paused like an account's address, none needed
    try:
        for attempt in range(5):
            instance = (a, b)[attempt % 2]
            status = sign_in(attacker, instance, email, f"wrong password {attempt}")
            assert status == 400, (instance.name, attempt, status)
        assert sign_in(attacker, b, email, PASSWORD) == 429  # the fifth failure was on A
        assert store.accounts.sign_ins.paused_for(email) > 0
    finally:
        redis_client.flushdb()
        store.accounts.sign_ins.clear(email)


def test_the_access_log_keeps_no_query_string_and_no_secret_link(instances: Pair) -> None:
    a, _ = instances
    browser = Browser()
    browser.get(a, "/q/mood/?name=Jane+Doe")
    browser.get(a, "/clinician/setup/a-secret-setup-token")
    log = a.output_with('"GET /clinician/setup/***" 404')  # logged just after the response
    assert '"GET /q/mood/" 200' in log
    assert "Jane" not in log
    assert "a-secret-setup-token" not in log
