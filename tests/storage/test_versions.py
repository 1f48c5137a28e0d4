"""Questionnaire versions: import, drafts, locking, publish, roll back (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskcheck.storage.store import Store
from riskcheck.storage.versions import Conflict, VersionError

DATA = Path(__file__).resolve().parents[1] / "data"
MOOD = (DATA / "mood.yaml").read_text()


def publish(store: Store, version: int, **kwargs: object):  # noqa: ANN201
    """Publish the draft as reviewed now (its current lock)."""
    draft = store.versions.get("mood", version)
    assert draft is not None
    return store.versions.publish(
        "mood", version, base_lock=draft.lock_version, user_id=kwargs.pop("user_id", None), **kwargs
    )


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "shipped"
    folder.mkdir()
    (folder / "mood.yaml").write_text(MOOD)
    return folder


def test_first_start_imports_shipped_files_as_published_version_1(
    store: Store, shipped: Path
) -> None:
    said = store.versions.import_shipped(sorted(shipped.glob("*.yaml")))
    assert said == ["mood.yaml: imported as published version 1"]
    published = store.versions.published("mood")
    assert (published.version, published.status, published.origin) == (1, "published", "shipped")
    assert published.text == MOOD
    assert store.versions.import_shipped(sorted(shipped.glob("*.yaml"))) == []  # unchanged file


def test_a_changed_shipped_file_becomes_a_draft_never_published(
    store: Store, shipped: Path
) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    (shipped / "mood.yaml").write_text(MOOD.replace("title: Mood check", "title: Mood check (new)"))
    said = store.versions.import_shipped([shipped / "mood.yaml"])
    assert "imported as draft version 2" in said[0]
    assert store.versions.published("mood").version == 1
    draft = store.versions.draft("mood")
    assert draft.origin == "shipped"
    assert "Mood check (new)" in draft.text


def test_a_changed_shipped_file_never_replaces_a_clinicians_draft(
    store: Store, shipped: Path
) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    mine = store.versions.save_draft(
        "mood", MOOD + "\n# mine\n", user_id=None, valid=True, base_lock=None
    )
    (shipped / "mood.yaml").write_text(MOOD + "\n# shipped change\n")
    said = store.versions.import_shipped([shipped / "mood.yaml"])
    assert "a clinician is editing" in said[0]
    assert store.versions.draft("mood").text == mine.text


def test_save_publish_and_history(store: Store, shipped: Path) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    draft = store.versions.save_draft(
        "mood", MOOD + "# v2\n", user_id=None, valid=True, base_lock=None
    )
    assert (draft.version, draft.status) == (2, "draft")
    draft = store.versions.save_draft(
        "mood", MOOD + "# v2b\n", user_id=None, valid=True, base_lock=draft.lock_version
    )
    publish(store, 2)
    assert store.versions.published("mood").text.endswith("# v2b\n")
    assert [(v.version, v.status) for v in store.versions.history("mood")] == [
        (2, "published"),
        (1, "retired"),
    ]


def test_the_second_of_two_concurrent_saves_gets_a_conflict(store: Store, shipped: Path) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    opened = store.versions.save_draft(
        "mood", MOOD + "# a\n", user_id=None, valid=True, base_lock=None
    )
    # Two clinicians opened the same draft (same lock); the first saves.
    store.versions.save_draft(
        "mood", MOOD + "# first\n", user_id=None, valid=True, base_lock=opened.lock_version
    )
    with pytest.raises(Conflict) as caught:
        store.versions.save_draft(
            "mood", MOOD + "# second\n", user_id=None, valid=True, base_lock=opened.lock_version
        )
    assert caught.value.current.text.endswith("# first\n")
    assert store.versions.draft("mood").text.endswith("# first\n")


def test_starting_a_draft_that_someone_else_just_started_is_a_conflict(
    store: Store, shipped: Path
) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    store.versions.save_draft("mood", MOOD + "# a\n", user_id=None, valid=True, base_lock=None)
    with pytest.raises(Conflict):
        store.versions.save_draft("mood", MOOD + "# b\n", user_id=None, valid=True, base_lock=None)


def test_an_invalid_draft_can_be_saved_but_never_published(store: Store, shipped: Path) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    store.versions.save_draft(
        "mood", "id: mood\ntitle: [broken", user_id=None, valid=False, base_lock=None
    )
    with pytest.raises(VersionError):
        publish(store, 2)
    assert store.versions.published("mood").version == 1


def test_roll_back_publishes_an_old_text_as_a_new_version(store: Store, shipped: Path) -> None:
    store.versions.import_shipped([shipped / "mood.yaml"])
    store.versions.save_draft("mood", MOOD + "# v2\n", user_id=None, valid=True, base_lock=None)
    publish(store, 2)
    store.versions.save_draft(
        "mood", MOOD + "# v3 draft\n", user_id=None, valid=True, base_lock=None
    )
    row = store.versions.roll_back("mood", 1, published_version=2, user_id=None)
    assert (row.version, row.status, row.origin, row.text) == (3, "published", "rollback", MOOD)
    assert store.versions.draft("mood").version == 4  # the draft stays the newest
    statuses = [(v.version, v.status) for v in store.versions.history("mood")]
    assert statuses == [(4, "draft"), (3, "published"), (2, "retired"), (1, "retired")]


def test_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from riskcheck.storage.database import HEAD_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_the_migrations_build_the_schema_the_code_declares(store: Store) -> None:
    """A change to tables.py without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from riskcheck.storage.tables import Base

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
