"""Fixtures for the web layer: an app serving tests/data/mood.yaml, and a client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def questionnaire_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(DATA / "mood.yaml", folder / "mood.yaml")
    return folder


@pytest.fixture
def app(questionnaire_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("RISKCHECK_ENV", "testing")
    monkeypatch.setenv("RISKCHECK_QUESTIONNAIRES", str(questionnaire_dir))
    database = questionnaire_dir.parent / "riskcheck.sqlite"
    monkeypatch.setenv("RISKCHECK_DATABASE_URL", f"sqlite:///{database}")
    from riskcheck import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    yield app
    app.extensions["riskcheck_store"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Patient:
    """Patient actions on the mood questionnaire through the test client."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def start(self) -> None:
        response = self.client.post("/q/mood/start", data={"action": "start"})
        assert response.status_code == 302

    def answer(self, section: str, action: str = "next", **answers: object):  # noqa: ANN201
        return self.client.post(f"/q/mood/p/{section}", data={**answers, "action": action})

    def finish_low_mood(self) -> None:
        self.start()
        self.answer("about_you", age="40", smoker="never")
        self.answer("feelings", q1="0", q2="1")
        response = self.client.post("/q/mood/review")
        assert response.headers["Location"].endswith("/q/mood/result")


@pytest.fixture
def patient(client: FlaskClient) -> Patient:
    return Patient(client)
