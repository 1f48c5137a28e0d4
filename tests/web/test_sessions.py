"""Clinician sessions end server-side: a copied session cookie stops working at sign-out,
deactivation and a new password, and at the latest SESSION_MAX_SECONDS after signing in;
sign-in only ever sends the browser on to a safe path."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from riskcheck.web.clinician.auth import SESSION_MAX_SECONDS
from tests.web.conftest import Patient
from tests.web.test_access import PASSWORD, sign_in


def copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def response_code(client: FlaskClient) -> str:
    Patient(client).finish_low_mood()
    page = client.get("/q/mood/result").get_data(as_text=True)
    return re.search(r"<code>([0-9A-Z-]{30,})</code>", page).group(1).replace("-", "")


def assert_signed_out(app: Flask, client: FlaskClient, code: str) -> None:
    """Every way in is refused, and nothing is looked up."""
    store = app.extensions["riskcheck_store"]
    before = len(store.audit.entries())
    for response in (
        client.get("/clinician/"),
        client.post("/clinician/lookup", data={"reference": code}),
        client.post(f"/clinician/responses/{code}.pdf"),
    ):
        assert response.status_code == 302
        assert "/clinician/login" in response.headers["Location"]
        assert "40 years" not in response.get_data(as_text=True)
    assert len(store.audit.entries()) == before


def test_a_copied_session_stops_working_when_its_clinician_signs_out(
    app: Flask, client: FlaskClient
) -> None:
    code = response_code(app.test_client())
    # Given a clinician signed in, and a copy of their session cookie elsewhere
    sign_in(app, client, "editor")
    thief = copy_of_session(app, client)
    assert thief.post("/clinician/lookup", data={"reference": code}).status_code == 200
    # When the clinician signs out
    client.post("/clinician/logout")
    # Then the copy opens nothing and looks nothing up
    assert_signed_out(app, thief, code)
    assert_signed_out(app, client, code)
    # And signing in again works as before
    sign_in(app, client, "editor")
    assert client.get("/clinician/").status_code == 200


def test_a_copied_session_stops_working_when_the_account_is_deactivated(
    app: Flask, client: FlaskClient
) -> None:
    code = response_code(app.test_client())
    editor = app.test_client()
    sign_in(app, editor, "editor")
    thief = copy_of_session(app, editor)
    sign_in(app, client, "admin")
    user = app.extensions["riskcheck_store"].accounts.by_email("editor@example.org")
    answer = client.post(f"/clinician/accounts/{user.id}", data={"role": "editor", "active": "no"})
    assert answer.status_code == 302
    assert_signed_out(app, thief, code)
    assert_signed_out(app, editor, code)


def test_a_copied_session_stops_working_when_a_new_password_is_set(
    app: Flask, client: FlaskClient
) -> None:
    code = response_code(app.test_client())
    editor = app.test_client()
    sign_in(app, editor, "editor")
    thief = copy_of_session(app, editor)
    # When an admin gives out a new setup link and the clinician sets a new password with it
    sign_in(app, client, "admin")
    user = app.extensions["riskcheck_store"].accounts.by_email("editor@example.org")
    page = client.post(f"/clinician/accounts/{user.id}/setup-link").get_data(as_text=True)
    link = re.search(r"(/clinician/setup/[^<\s]+)</code>", page).group(1)
    new = PASSWORD + " again"
    assert app.test_client().post(link, data={"password": new, "confirm": new}).status_code == 302
    # Then the sessions from before the change end
    assert_signed_out(app, thief, code)
    assert_signed_out(app, editor, code)


def test_a_session_in_use_ends_at_its_absolute_limit(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "editor")
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - SESSION_MAX_SECONDS + 60
    # Busy a minute before the limit: still signed in (each request keeps it from idling out)
    assert client.get("/clinician/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - SESSION_MAX_SECONDS - 1
    # Past it: signed out however recently it was used
    response = client.get("/clinician/")
    assert response.status_code == 302
    assert "/clinician/login" in response.headers["Location"]


def test_a_session_without_its_sign_in_time_is_not_accepted(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client, "editor")
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert client.get("/clinician/").status_code == 302


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}},
        {"headers": {"User-Agent": "Mozilla/5.0 (another browser)"}},
    ],
)
def test_a_copied_session_does_not_work_from_another_address_or_browser(
    app: Flask, client: FlaskClient, elsewhere: dict[str, dict[str, str]]
) -> None:
    code = response_code(app.test_client())
    sign_in(app, client, "editor")
    thief = copy_of_session(app, client)
    assert thief.get("/clinician/").status_code == 200
    response = thief.post("/clinician/lookup", data={"reference": code}, **elsewhere)
    assert response.status_code == 302
    assert "/clinician/login" in response.headers["Location"]
    # The clinician's own session goes on
    assert client.get("/clinician/").status_code == 200


def test_the_absolute_limit_is_at_most_a_working_day() -> None:
    assert SESSION_MAX_SECONDS <= 12 * 3600


def sign_in_with_next(app: Flask, client: FlaskClient, next_url: str):  # noqa: ANN201
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    return client.post(
        f"/clinician/login?next={next_url}",
        data={"email": "ann@example.org", "password": PASSWORD},
    )


@pytest.mark.parametrize(
    "next_url",
    [
        "/clinician/%0D%0ASet-Cookie:%20x%3D1",
        "/clinician/q/mood?page=%0D%0ALocation:%20https://evil.example",
        "/clinician/%09x",
        "/clinician/%00",
        "/clinician/%E2%80%AEx",
        "//evil.example/clinician/",
        "https://evil.example/clinician/",
        "/clinician/..%2F..%2Fq%2Fmood",
        "/clinician/%2e%2e/q/mood",
        "/clinician/./",
        "/clinician\\..\\evil",
        "/clinician/%5C%5Cevil.example",
        "/clinicianx",
        "/q/mood/",
    ],
)
def test_sign_in_sends_an_unsafe_next_to_the_dashboard(
    app: Flask, client: FlaskClient, next_url: str
) -> None:
    response = sign_in_with_next(app, client, next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/clinician/"
    assert all("x=1" not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert client.get("/clinician/").status_code == 200


@pytest.mark.parametrize(
    "next_url", ["/clinician/q/mood/edit", "/clinician/audit?page=2", "/clinician/lookup"]
)
def test_sign_in_sends_a_safe_next_on(app: Flask, client: FlaskClient, next_url: str) -> None:
    response = sign_in_with_next(app, client, next_url.replace("?", "%3F"))
    assert response.headers["Location"] == next_url


def test_a_page_asked_for_before_signing_in_opens_after(app: Flask, client: FlaskClient) -> None:
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    login = client.get("/clinician/q/mood/edit").headers["Location"]
    response = client.post(login, data={"email": "ann@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/clinician/q/mood/edit"


# -- account emails ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("\u0430dmin2@example.org", "mixes letters of different alphabets"),
        ("admin2\u202e@example.org", "invisible, space or direction-changing"),
        ("ad\u200bmin2@example.org", "invisible, space or direction-changing"),
    ],
)
def test_an_account_whose_email_could_look_like_another_is_refused(
    app: Flask, client: FlaskClient, email: str, message: str
) -> None:
    sign_in(app, client, "admin")
    page = client.post("/clinician/accounts", data={"email": email, "role": "editor"})
    assert message in page.get_data(as_text=True)
    assert "/clinician/setup/" not in page.get_data(as_text=True)
    store = app.extensions["riskcheck_store"]
    assert [user.email for user in store.accounts.all()] == ["admin@example.org"]
    assert "account_create" not in [e.action for e in store.audit.entries()]


def test_the_first_admin_cannot_have_such_an_email(app: Flask, client: FlaskClient) -> None:
    from riskcheck.web.clinician.auth import first_admin_token_for

    link = f"/clinician/first-admin/{first_admin_token_for(app.config['SECRET_KEY'])}"
    data = {"email": "\u0430dmin@example.org", "password": PASSWORD, "confirm": PASSWORD}
    page = client.post(link, data=data)
    assert "mixes letters of different alphabets" in page.get_data(as_text=True)
    assert app.extensions["riskcheck_store"].accounts.count() == 0


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("ＡＮＮ@Example.ORG", "ann@example.org"),
        (" Ann@example.org", "ann@example.org"),
        ("ann\u202e@example.org", "(not an email address)"),
        ("\u0430nn@example.org", "(not an email address)"),
        ("ann\n@example.org", "(not an email address)"),
    ],
)
def test_a_failed_sign_in_records_the_normalised_address_never_what_was_typed(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture, typed: str, recorded: str
) -> None:
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    response = client.post("/clinician/login", data={"email": typed, "password": "wrong one!"})
    assert response.status_code == 400
    entries = app.extensions["riskcheck_store"].audit.entries()
    assert (entries[0].action, entries[0].actor) == ("sign_in_failed", recorded)
    assert f"failed sign-in for {recorded} from" in caplog.text
    if typed.strip() != recorded:
        assert typed.strip() not in caplog.text


# -- found by mutation testing -------------------------------------------------------------------


def test_each_request_restarts_the_inactivity_timeout(app: Flask, client: FlaskClient) -> None:
    import email.utils

    sign_in(app, client, "editor")
    response = client.get("/clinician/")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    expires = re.search(r"Expires=([^;]+)", cookie)
    assert expires, "the session cookie must expire after the inactivity timeout"
    left = email.utils.parsedate_to_datetime(expires.group(1)).timestamp() - time.time()
    assert 29 * 60 < left <= 30 * 60


@pytest.mark.parametrize("value", ["{id}", "{id}:", "{id}:x", "x:{epoch}", ":{epoch}"])
def test_a_session_whose_account_id_is_not_as_written_at_sign_in_is_signed_out(
    app: Flask, client: FlaskClient, value: str
) -> None:
    # e.g. written by a release from before sessions carried the account's session epoch
    sign_in(app, client, "editor")
    user = app.extensions["riskcheck_store"].accounts.by_email("editor@example.org")
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{user.id}:{user.session_epoch}"
        session["_user_id"] = value.format(id=user.id, epoch=user.session_epoch)
    response = client.get("/clinician/")
    assert response.status_code == 302
    assert "/clinician/login" in response.headers["Location"]


def test_an_account_stopped_in_the_database_by_hand_is_signed_out(
    app: Flask, client: FlaskClient
) -> None:
    # An operator stopping an account with SQL does not know about session epochs: the
    # account's sessions must end all the same.
    from sqlalchemy import text

    code = response_code(app.test_client())
    sign_in(app, client, "editor")
    with app.extensions["riskcheck_store"].engine.begin() as connection:
        connection.execute(text("UPDATE users SET active = 0 WHERE email = 'editor@example.org'"))
    assert_signed_out(app, client, code)


def test_signing_out_leaves_nothing_of_the_session_in_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client, "editor")
    response = client.post("/clinician/logout")
    assert response.headers["Location"] == "/clinician/login"
    with client.session_transaction() as session:
        assert set(session) == {"_flashes"}  # "You have signed out.", shown on the next page
    page = client.get("/clinician/login").get_data(as_text=True)
    assert '<div class="flash flash-info" role="status">You have signed out.</div>' in page
    [entry] = app.extensions["riskcheck_store"].audit.entries(action="sign_out")
    assert (entry.actor, entry.target) == ("editor@example.org", "")


def test_setting_a_password_with_a_setup_link_is_audited(app: Flask, client: FlaskClient) -> None:
    store = app.extensions["riskcheck_store"]
    store.accounts.create("admin@example.org", "admin", password=PASSWORD)
    _, token = store.accounts.create("new@example.org", "editor")
    response = client.post(
        f"/clinician/setup/{token}", data={"password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.headers["Location"] == "/clinician/login"
    [entry] = store.audit.entries(action="password_set")
    assert (entry.actor, entry.target) == ("new@example.org", "new@example.org")


def test_the_session_cookie_set_at_sign_in_expires_after_the_inactivity_timeout(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    response = client.post(
        "/clinician/login", data={"email": "ann@example.org", "password": PASSWORD}
    )
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Expires=" in cookie


def test_the_absolute_limit_counts_from_the_second_of_signing_in(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskcheck.web.clinician import auth

    now = float(int(time.time()))  # a clock that reads a whole second
    monkeypatch.setattr(auth.time, "time", lambda: now)
    sign_in(app, client, "editor")
    assert client.get("/clinician/").status_code == 200  # in the very second of signing in
    for age, code in ((SESSION_MAX_SECONDS - 1, 200), (SESSION_MAX_SECONDS, 302)):
        with client.session_transaction() as session:
            session["signed_in_at"] = int(now) - age
        assert client.get("/clinician/").status_code == code  # exactly the limit: over


@pytest.mark.parametrize(
    "next_url",
    ["/clinician/../q/mood/", "/clinician/q/..", "/clinician/.?page=2", "/clinician/q/..?x=1"],
)
def test_sign_in_never_sends_on_to_a_dot_segment_even_before_a_query(
    app: Flask, client: FlaskClient, next_url: str
) -> None:
    response = sign_in_with_next(app, client, next_url.replace("?", "%3F"))
    assert response.headers["Location"] == "/clinician/"
