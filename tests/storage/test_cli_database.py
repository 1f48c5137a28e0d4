"""The operator commands: create-user, purge, migrate (SQLite; the store tests cover PostgreSQL)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from click.testing import CliRunner

from riskcheck.cli import main
from riskcheck.storage.store import Store
from riskcheck.storage.tables import Response

MOOD = Path(__file__).resolve().parents[1] / "data" / "mood.yaml"


def test_create_user_prints_a_setup_link_that_works(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    run = CliRunner().invoke(
        main,
        [
            "create-user",
            "--role",
            "admin",
            "Ann@Example.org",
            "--database-url",
            url,
            "--base-url",
            "https://rc.example",
        ],
    )
    assert run.exit_code == 0, run.output
    token = re.search(r"https://rc.example/clinician/setup/(\S+)", run.output).group(1)
    store = Store.connect(url)
    assert store.accounts.by_setup_token(token).email == "ann@example.org"
    again = CliRunner().invoke(
        main, ["create-user", "--role", "admin", "ann@example.org", "--database-url", url]
    )
    assert again.exit_code == 1
    assert "already an account" in again.output


def test_purge_deletes_only_old_responses_and_is_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = Store.connect(url)
    store.versions.import_shipped([MOOD])
    row = store.versions.published("mood")
    now = datetime.datetime.now(datetime.UTC)
    for reference, days in (("OLD", 100), ("EDGE", 89), ("NEW", 1)):
        store.responses.add(
            reference=reference,
            version_row_id=row.id,
            questionnaire_id="mood",
            version=1,
            answers={},
            result={"urgency": None},
        )
        with store.responses.sessions.begin() as s:
            s.query(Response).filter_by(reference=reference).one().created_at = (
                now - datetime.timedelta(days=days)
            )
    run = CliRunner().invoke(main, ["purge", "--older-than", "90d", "--database-url", url])
    assert run.exit_code == 0, run.output
    assert "Deleted 1 response(s) older than 90 days." in run.output
    assert store.responses.find("OLD") is None
    assert store.responses.find("EDGE") is not None
    assert store.audit.entries()[0].action == "purge"


def test_purge_refuses_a_bad_age(tmp_path: Path) -> None:
    run = CliRunner().invoke(
        main,
        [
            "purge",
            "--older-than",
            "ninety",
            "--database-url",
            f"sqlite:///{tmp_path / 'db.sqlite'}",
        ],
    )
    assert run.exit_code == 1
    assert "number of days" in run.output


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    run = CliRunner().invoke(main, ["migrate", "--database-url", url])
    assert run.exit_code == 0
    assert Store(Store.connect(url, upgrade=False).engine).accounts.count() == 0
