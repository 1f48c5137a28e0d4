"""Sign-in limits: counted, and still counted in the process when Redis is unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_access import PASSWORD


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:1/0"])
def test_sign_in_is_limited_even_without_its_shared_storage(
    storage: str, questionnaire_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKCHECK_ENV", "testing")
    monkeypatch.setenv("RISKCHECK_QUESTIONNAIRES", str(questionnaire_dir))
    monkeypatch.setenv(
        "RISKCHECK_DATABASE_URL", f"sqlite:///{questionnaire_dir.parent / 'r.sqlite'}"
    )
    monkeypatch.setenv("RISKCHECK_RATELIMIT_STORAGE", storage)
    from riskcheck import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    app.extensions["riskcheck_store"].accounts.create("a@example.org", "admin", password=PASSWORD)
    client = app.test_client()
    wrong = {"email": "a@example.org", "password": "not the password"}
    codes = [client.post("/clinician/login", data=wrong).status_code for _ in range(11)]
    assert codes == [400] * 10 + [429]
    app.extensions["riskcheck_store"].engine.dispose()
