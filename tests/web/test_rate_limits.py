"""Limits: sign-in failures counted per address and per account (never successes), and
still counted in the process when Redis is unreachable; look-ups by code, page or PDF."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from riskcheck.storage.sign_ins import MAX_PAUSE
from riskcheck.storage.tables import utcnow
from tests.web.conftest import Patient
from tests.web.test_access import PASSWORD, sign_in

MakeApp = Callable[[str], Flask]


@pytest.fixture
def limited_app(questionnaire_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeApp]:
    """An app with its limits on, counting in the given storage."""
    apps: list[Flask] = []

    def make(storage: str = "memory://") -> Flask:
        monkeypatch.setenv("RISKCHECK_ENV", "testing")
        monkeypatch.setenv("RISKCHECK_QUESTIONNAIRES", str(questionnaire_dir))
        monkeypatch.setenv(
            "RISKCHECK_DATABASE_URL", f"sqlite:///{questionnaire_dir.parent / 'r.sqlite'}"
        )
        monkeypatch.setenv("RISKCHECK_RATELIMIT_STORAGE", storage)
        from riskcheck import create_app

        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
        app.extensions["riskcheck_store"].accounts.create(
            "a@example.org", "admin", password=PASSWORD
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["riskcheck_store"].engine.dispose()


StopClock = Callable[[float], None]


@pytest.fixture
def ann(app: Flask, monkeypatch: pytest.MonkeyPatch) -> StopClock:
    """Ann's editor account, with the sign-in failure clock stopped now: call the result with
    a number of seconds to move it on."""
    store = app.extensions["riskcheck_store"]
    store.accounts.create("ann@example.org", "editor", password=PASSWORD)
    now = utcnow()

    def at(seconds: float) -> None:
        later = now + datetime.timedelta(seconds=seconds)
        monkeypatch.setattr(store.accounts.sign_ins, "clock", lambda: later)

    at(0)
    return at


def wrong(n: int) -> dict[str, str]:
    """A wrong password for a different address each time (the per-account pause aside)."""
    return {"email": f"someone{n}@example.org", "password": "not the password"}


RIGHT = {"email": "a@example.org", "password": PASSWORD}


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:1/0"])
def test_sign_in_is_limited_even_without_its_shared_storage(
    storage: str, limited_app: MakeApp
) -> None:
    client = limited_app(storage).test_client()
    codes = [client.post("/clinician/login", data=wrong(n)).status_code for n in range(11)]
    assert codes == [400] * 10 + [429]
    assert client.post("/clinician/login", data=RIGHT).status_code == 429


def test_successful_sign_ins_are_not_counted(limited_app: MakeApp) -> None:
    # Given a clinician who signs in a dozen times in a minute (tabs, devices, sign-outs)
    client = limited_app().test_client()
    codes = [client.post("/clinician/login", data=RIGHT).status_code for _ in range(12)]
    # Then every sign-in works, and the failures still have their full allowance
    assert codes == [302] * 12
    failures = [client.post("/clinician/login", data=wrong(n)).status_code for n in range(10)]
    assert failures == [400] * 10


def test_an_incomplete_form_is_not_counted(limited_app: MakeApp) -> None:
    client = limited_app().test_client()
    for _ in range(11):
        assert client.post("/clinician/login", data={"email": "a@example.org"}).status_code == 200
    assert client.post("/clinician/login", data=RIGHT).status_code == 302


def test_repeated_failures_pause_one_account_briefly_without_checking_the_password(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch, ann: StopClock
) -> None:  # noqa: ANN001
    store = app.extensions["riskcheck_store"]
    bad = {"email": "Ann@Example.org", "password": "not the password"}
    good = {"email": "ann@example.org", "password": PASSWORD}
    # When someone fails five times for one address (from anywhere)
    pages = [client.post("/clinician/login", data=bad) for _ in range(5)]
    assert [p.status_code for p in pages] == [400] * 5
    assert "paused" not in pages[3].get_data(as_text=True)
    assert "Try again in 30 seconds" in pages[4].get_data(as_text=True)
    # Then even the right password is refused, unchecked, with a clear message
    checked: list[str] = []
    monkeypatch.setattr(
        store.accounts, "authenticate", lambda *args: checked.append("checked") or None
    )
    refused = client.post("/clinician/login", data=good)
    assert refused.status_code == 429
    assert "paused" in refused.get_data(as_text=True)
    assert checked == []
    assert client.get("/clinician/").status_code == 302
    monkeypatch.undo()
    # And half a minute later the owner signs in, which starts the count afresh
    ann(31)
    assert client.post("/clinician/login", data=good).status_code == 302
    assert store.accounts.sign_ins.paused_for("ann@example.org") == 0
    actions = [e.action for e in store.audit.entries()]
    assert actions.count("sign_in_failed") == 5
    assert actions.count("sign_in_paused") == 1


def test_the_pause_is_the_same_for_an_address_without_an_account(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "admin")
    client.post("/clinician/logout")
    for email in ("admin@example.org", "nobody@example.org"):
        for _ in range(5):
            client.post("/clinician/login", data={"email": email, "password": "wrong password"})
        page = client.post("/clinician/login", data={"email": email, "password": PASSWORD})
        assert page.status_code == 429
        assert "Try again in 30 seconds" in page.get_data(as_text=True)


def test_an_attacker_cannot_pause_an_account_for_long(app: Flask, ann: StopClock) -> None:
    store = app.extensions["riskcheck_store"]
    for _ in range(40):
        store.accounts.sign_ins.record_failure("ann@example.org")
    assert store.accounts.sign_ins.paused_for("ann@example.org") <= MAX_PAUSE.total_seconds()
    assert datetime.timedelta(minutes=5) >= MAX_PAUSE


def finished_response(client) -> str:  # noqa: ANN001
    Patient(client).finish_low_mood()
    page = client.get("/q/mood/result").get_data(as_text=True)
    return re.search(r"<code>([0-9A-Z-]{30,})</code>", page).group(1).replace("-", "")


def test_the_response_pdf_shares_the_look_up_limit(limited_app: MakeApp) -> None:
    app = limited_app()
    client = app.test_client()
    code = finished_response(client)
    client.post("/clinician/login", data=RIGHT)
    # Given 29 look-ups of codes that do not exist
    for _ in range(29):
        assert client.post("/clinician/lookup", data={"reference": "0" * 26}).status_code == 404
    # Then the 30th try, by PDF, is the last one allowed, whichever way comes next
    assert client.post(f"/clinician/responses/{code}.pdf").status_code == 200
    assert client.post(f"/clinician/responses/{code}.pdf").status_code == 429
    assert client.post("/clinician/lookup", data={"reference": code}).status_code == 429


def test_guessing_codes_by_pdf_alone_is_limited(limited_app: MakeApp) -> None:
    client = limited_app().test_client()
    client.post("/clinician/login", data=RIGHT)
    codes = [client.post(f"/clinician/responses/{'0' * 26}.pdf").status_code for _ in range(31)]
    assert codes == [404] * 30 + [429]


def test_every_pdf_attempt_is_audited_as_a_look_up_is(app: Flask, client) -> None:  # noqa: ANN001
    code = finished_response(client)
    sign_in(app, client, "editor")
    assert client.post(f"/clinician/responses/{'0' * 26}.pdf").status_code == 404
    assert client.post("/clinician/responses/not-a-code.pdf").status_code == 404
    assert client.post(f"/clinician/responses/{code}.pdf").status_code == 200
    entries = app.extensions["riskcheck_store"].audit.entries()
    pdfs = [(e.target, e.detail) for e in reversed(entries) if e.action == "response_pdf"]
    assert len(pdfs) == 3
    assert ["false" in pdfs[0][1], pdfs[1][0], "true" in pdfs[2][1]] == [True, "(not a code)", True]


# -- found by mutation testing -------------------------------------------------------------------


def pause_message(wait: str) -> str:
    return (
        "There have been several failed sign-ins for this email address, so sign-in for it "
        f"is paused. Try again in {wait}."
    )


def test_a_longer_pause_is_given_in_minutes(client, ann: StopClock) -> None:  # noqa: ANN001
    bad = {"email": "ann@example.org", "password": "not the password"}

    def at(seconds: int):  # noqa: ANN202
        ann(seconds)
        return client.post("/clinician/login", data=bad)

    for _ in range(4):
        at(0)
    assert pause_message("30 seconds") in at(0).get_data(as_text=True)  # the 5th failure
    assert pause_message("60 seconds") in at(31).get_data(as_text=True)  # after the pause
    assert pause_message("2 minutes") in at(92).get_data(as_text=True)  # 120 s
    # 90 s still to wait (a minute and a half) is said in minutes, rounded
    refused = at(122)
    assert refused.status_code == 429
    assert pause_message("2 minutes") in refused.get_data(as_text=True)


def password_errors(page: str) -> list[str]:
    found = re.findall(
        r'<p class="field-error" id="password-error"><span class="visually-hidden">Error:</span>'
        r" (.*?)</p>",
        page,
    )
    return [html.unescape(error) for error in found]


def test_a_failed_sign_in_says_so_and_then_that_sign_in_is_paused(
    app: Flask, client, ann: StopClock
) -> None:  # noqa: ANN001
    store = app.extensions["riskcheck_store"]
    bad = {"email": "ann@example.org", "password": "not the password"}
    pages = [client.post("/clinician/login", data=bad) for _ in range(5)]
    assert [p.status_code for p in pages] == [400] * 5
    wrong = "The email address or password is not right."
    assert password_errors(pages[3].get_data(as_text=True)) == [wrong]
    assert password_errors(pages[4].get_data(as_text=True)) == [
        wrong,
        pause_message("30 seconds"),
    ]
    paused = client.post("/clinician/login", data=bad)
    assert paused.status_code == 429
    assert password_errors(paused.get_data(as_text=True)) == [pause_message("30 seconds")]
    failed = store.audit.entries(action="sign_in_failed")
    assert [(e.actor, e.target) for e in failed] == [("ann@example.org", "")] * 5


def test_a_sign_in_forgets_the_failures_before_it(app: Flask, client, ann: StopClock) -> None:  # noqa: ANN001
    store = app.extensions["riskcheck_store"]
    bad = {"email": "ann@example.org", "password": "not the password"}
    for _ in range(4):
        assert client.post("/clinician/login", data=bad).status_code == 400
    good = {"email": "ann@example.org", "password": PASSWORD}
    assert client.post("/clinician/login", data=good).status_code == 302
    client.post("/clinician/logout")
    # One more failure is the first of a new count, not the fifth: no pause
    assert password_errors(client.post("/clinician/login", data=bad).get_data(as_text=True)) == [
        "The email address or password is not right."
    ]
    assert store.accounts.sign_ins.paused_for("ann@example.org") == 0


def test_refusals_while_paused_count_towards_the_sign_in_limit(limited_app: MakeApp) -> None:
    client = limited_app().test_client()
    bad = {"email": "a@example.org", "password": "not the password"}
    codes = [client.post("/clinician/login", data=bad).status_code for _ in range(10)]
    assert codes == [400] * 5 + [429] * 5  # five failures, then paused
    response = client.post("/clinician/login", data=wrong(1))
    assert response.status_code == 429  # the address has used its ten tries a minute
    assert "paused" not in response.get_data(as_text=True)  # refused by the limit, not the pause


@pytest.mark.parametrize("link", ["/clinician/first-admin/{}", "/clinician/setup/{}"])
def test_guessing_one_time_links_is_limited(limited_app: MakeApp, link: str) -> None:
    client = limited_app().test_client()
    data = {"email": "b@example.org", "password": PASSWORD, "confirm": PASSWORD}
    codes = [client.post(link.format("0" * 40 + str(n)), data=data).status_code for n in range(11)]
    assert codes[-1] == 429
    assert 429 not in codes[:10]


def test_a_sign_in_without_an_email_address_pauses_nothing(app: Flask, client) -> None:  # noqa: ANN001
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    response = client.post("/clinician/login", data={"email": "Secret Pass 123", "password": "x"})
    assert response.status_code == 400
    errors = password_errors(response.get_data(as_text=True))
    assert errors == ["The email address or password is not right."]
