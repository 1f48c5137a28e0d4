"""With CSRF protection on (as in production), a form without its token is refused cleanly."""

from __future__ import annotations

import re

import pytest
from flask import Flask


@pytest.fixture
def csrf_app(questionnaire_dir, monkeypatch: pytest.MonkeyPatch) -> Flask:  # noqa: ANN001
    monkeypatch.setenv("RISKCHECK_ENV", "testing")
    monkeypatch.setenv("RISKCHECK_QUESTIONNAIRES", str(questionnaire_dir))
    database = questionnaire_dir.parent / "csrf.sqlite"
    monkeypatch.setenv("RISKCHECK_DATABASE_URL", f"sqlite:///{database}")
    from riskcheck import create_app

    return create_app({"TESTING": True})


def test_post_without_token_is_a_clean_400(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post("/q/mood/start", data={"action": "start"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_post_with_the_page_token_works(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    page = client.get("/q/mood/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/q/mood/start", data={"action": "start", "csrf_token": token})
    assert response.status_code == 302


def test_post_over_https_works_with_the_referer_browsers_send(csrf_app: Flask) -> None:
    """Over HTTPS Flask-WTF also wants a same-origin Referer: the Referrer-Policy must let
    browsers send it (no-referrer made every form fail with 400 in production)."""
    client = csrf_app.test_client()
    base = "https://localhost"
    page = client.get("/q/mood/", base_url=base)
    assert page.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    data = {"action": "start", "csrf_token": token}
    start = "/q/mood/start"
    assert client.post(start, data=data, base_url=base).status_code == 400  # no Referer
    referer = {"Referer": f"{base}/q/mood/"}
    assert client.post(start, data=data, base_url=base, headers=referer).status_code == 302


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_stale_token_on_a_step_saves_nothing_and_loses_nothing_typed(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    start = client.get("/q/mood/").get_data(as_text=True)
    client.post("/q/mood/start", data={"action": "start", "csrf_token": token_of(start)})
    response = client.post(
        "/q/mood/p/about_you",
        data={"age": "47", "smoker": "never", "action": "next", "csrf_token": "stale"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert 'value="47"' in page  # what was typed is still there, with a fresh token
    fresh = token_of(page)
    response = client.post(
        "/q/mood/p/about_you",
        data={"age": "47", "smoker": "never", "action": "next", "csrf_token": fresh},
    )
    assert response.headers["Location"].endswith("/q/mood/p/feelings")


def test_a_stale_token_on_the_interruption_page_shows_it_again(csrf_app: Flask) -> None:
    """A person in crisis who waited too long before choosing never meets an error page."""
    client = csrf_app.test_client()
    token = token_of(client.get("/q/mood/").get_data(as_text=True))
    client.post("/q/mood/start", data={"action": "start", "csrf_token": token})
    for step, answers in (
        ("about_you", {"age": "40", "smoker": "never"}),
        ("feelings", {"q1": "3", "q2": "3"}),
        ("feelings-2", {"crisis": "yes"}),
    ):
        client.post(f"/q/mood/p/{step}", data={**answers, "action": "next", "csrf_token": token})
    response = client.post("/q/mood/help-now", data={"action": "stop", "csrf_token": "stale"})
    assert response.headers["Location"].endswith("/q/mood/help-now")
    page = client.get("/q/mood/help-now").get_data(as_text=True)
    assert "Please choose again" in page
    assert 'href="tel:999"' in page


def test_a_forged_start_again_forgets_nothing(csrf_app: Flask) -> None:
    # Start again forgets the answers: a forged one must forget nothing.
    client = csrf_app.test_client()
    start = client.get("/q/mood/").get_data(as_text=True)
    client.post("/q/mood/start", data={"action": "start", "csrf_token": token_of(start)})
    for token in ({}, {"csrf_token": "wapiti"}):
        assert client.post("/q/mood/restart", data=token).status_code == 400
    assert client.get("/q/mood/p/about_you").status_code == 200  # the journey is still there
    page = client.get("/q/mood/p/about_you").get_data(as_text=True)
    assert client.post("/q/mood/restart", data={"csrf_token": token_of(page)}).status_code == 302
    assert client.get("/q/mood/p/about_you").status_code == 302  # now it is gone


@pytest.mark.parametrize("path", ["/q/mood/p/about_you", "/q/mood/help-now"])
def test_a_forged_post_with_no_journey_to_show_again_is_refused(csrf_app: Flask, path) -> None:
    # A step checks its own token so that a stale one shows the page again; with no journey
    # (never started, or replaced by another questionnaire's) there is nothing to show, and
    # a forged post used to be answered exactly as a genuine one (wapiti: "csrf_token is not
    # properly checked in backend").
    client = csrf_app.test_client()
    data = {"age": "47", "smoker": "never", "action": "next"}
    forged = client.post(path, data={**data, "csrf_token": "wapiti"})
    assert forged.status_code == 400
    assert "Traceback" not in forged.get_data(as_text=True)
    token = token_of(client.get("/q/mood/").get_data(as_text=True))
    genuine = client.post(path, data={**data, "csrf_token": token})
    assert genuine.status_code == 302
    assert genuine.headers["Location"].endswith("/q/mood/")


def test_a_forged_post_to_a_step_no_longer_asked_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    start = client.get("/q/mood/").get_data(as_text=True)
    client.post("/q/mood/start", data={"action": "start", "csrf_token": token_of(start)})
    assert client.post("/q/mood/p/nothing", data={"csrf_token": "wapiti"}).status_code == 400
    page = client.get("/q/mood/p/about_you").get_data(as_text=True)
    genuine = client.post("/q/mood/p/nothing", data={"csrf_token": token_of(page)})
    assert genuine.headers["Location"].endswith("/q/mood/review")
