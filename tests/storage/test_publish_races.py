"""Publishing, rolling back and importing are never fooled by a save that lands in between
(SQLite and PostgreSQL). The interleaving is forced: a second connection acts at the exact
moment the first has read the row, inside its transaction.

On PostgreSQL the first transaction holds the row (SELECT ... FOR UPDATE), so the second
waits for it and then finds the draft gone; on SQLite the second goes first and the first
finds the row changed when it writes. Either way, no unreviewed text is ever published."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from riskcheck.storage import versions as versions_module
from riskcheck.storage.store import Store
from riskcheck.storage.versions import Conflict, VersionError

MOOD = (Path(__file__).resolve().parents[1] / "data" / "mood.yaml").read_text()
REVIEWED = MOOD + "# reviewed\n"
CHANGED = MOOD + "# changed after review\n"


@pytest.fixture
def other(database_url: str):  # noqa: ANN201
    """A second connection to the same database: another clinician's request."""
    second = Store.connect(database_url, upgrade=False)
    yield second
    second.engine.dispose()


@pytest.fixture
def people(store: Store) -> tuple[int, int, int]:
    """Three clinicians: two editors and a publisher."""
    return tuple(  # type: ignore[return-value]
        store.accounts.create(f"{name}@example.org", role)[0].id
        for name, role in (("ed", "editor"), ("eve", "editor"), ("pat", "publisher"))
    )


def in_between(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> list[object]:
    """Run ``action`` on another thread the moment the store validates the row it read
    (inside its transaction); wait for it unless it blocks on the row lock. Returns what
    the action gave or raised, once it has finished."""
    outcome: list[object] = []
    real = versions_module._is_valid

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcome.append(exc)

    thread = threading.Thread(target=run)

    def validate_then_interleave(text: str) -> bool:
        if thread.ident is None:  # the first validation only
            thread.start()
            thread.join(timeout=1.0)  # PostgreSQL: still waiting for our row lock
        return real(text)

    monkeypatch.setattr(versions_module, "_is_valid", validate_then_interleave)
    outcome.append(thread)
    return outcome


def finish(outcome: list[object]) -> object:
    thread = outcome[0]
    assert isinstance(thread, threading.Thread)
    thread.join(timeout=30)
    assert not thread.is_alive()
    return outcome[1]


def test_a_save_between_review_and_publish_is_never_published(
    store: Store, other: Store, people: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed, eve, pat = people
    store.versions.save_draft("mood", MOOD, user_id=None, valid=True, base_lock=None, origin="x")
    store.versions.publish(
        "mood", 1, base_lock=store.versions.get("mood", 1).lock_version, user_id=None
    )
    draft = store.versions.save_draft("mood", REVIEWED, user_id=ed, valid=True, base_lock=None)
    # Given a publisher who reviewed draft version 2, and an editor who saves it again just
    # as the publisher presses Publish
    outcome = in_between(
        monkeypatch,
        lambda: other.versions.save_draft(
            "mood", CHANGED, user_id=eve, valid=True, base_lock=draft.lock_version
        ),
    )
    try:
        published = store.versions.publish(
            "mood", draft.version, base_lock=draft.lock_version, user_id=pat
        )
    except Conflict:
        published = None
    saved = finish(outcome)
    # Then the text patients get is the one reviewed, or nothing was published
    now = store.versions.published("mood")
    assert CHANGED not in now.text
    if published is not None:  # PostgreSQL: the publish won the lock; the save was refused
        assert now.text == REVIEWED
        assert isinstance(saved, Conflict)
    else:  # SQLite: the save landed first; the publish was refused
        assert now.version == 1
        assert store.versions.draft("mood").text == CHANGED


def test_the_two_person_rule_is_checked_on_the_row_published(
    store: Store, people: tuple[int, int, int]
) -> None:
    ed, _, pat = people
    store.versions.save_draft("mood", MOOD, user_id=pat, valid=True, base_lock=None)
    row = store.versions.get("mood", 1)
    with pytest.raises(VersionError, match="two-person rule"):
        store.versions.publish(
            "mood", 1, base_lock=row.lock_version, user_id=pat, two_person_rule=True
        )
    store.versions.publish("mood", 1, base_lock=row.lock_version, user_id=ed, two_person_rule=True)


def test_publishing_twice_publishes_once(store: Store) -> None:
    draft = store.versions.save_draft("mood", MOOD, user_id=None, valid=True, base_lock=None)
    store.versions.publish("mood", 1, base_lock=draft.lock_version, user_id=None)
    with pytest.raises(Conflict):  # the second press of the button
        store.versions.publish("mood", 1, base_lock=draft.lock_version, user_id=None)
    assert [v.status for v in store.versions.history("mood")] == ["published"]


def test_a_roll_back_sent_twice_runs_once(store: Store) -> None:
    for text in (MOOD, MOOD + "# 2\n"):
        draft = store.versions.save_draft("mood", text, user_id=None, valid=True, base_lock=None)
        store.versions.publish("mood", draft.version, base_lock=draft.lock_version, user_id=None)
    store.versions.roll_back("mood", 1, published_version=2, user_id=None)
    with pytest.raises(VersionError, match="nothing was done"):
        store.versions.roll_back("mood", 1, published_version=2, user_id=None)
    assert [v.version for v in store.versions.history("mood")] == [3, 2, 1]


def test_a_roll_back_racing_another_runs_once(
    store: Store, other: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for text in (MOOD, MOOD + "# 2\n"):
        draft = store.versions.save_draft("mood", text, user_id=None, valid=True, base_lock=None)
        store.versions.publish("mood", draft.version, base_lock=draft.lock_version, user_id=None)
    # The other request rolls back at the moment ours has read the published row
    real = versions_module._one
    fired: list[object] = []

    def one_then_interleave(s, questionnaire_id, status, *, lock=False):  # noqa: ANN001, ANN202
        row = real(s, questionnaire_id, status, lock=lock)
        if status == "published" and not fired:
            fired.append(None)
            thread = threading.Thread(target=lambda: fired.append(_try(other, published_version=2)))
            thread.start()
            thread.join(timeout=1.0)
            fired.append(thread)
        return row

    monkeypatch.setattr(versions_module, "_one", one_then_interleave)
    mine = _try(store, published_version=2)
    for item in fired:
        if isinstance(item, threading.Thread):
            item.join(timeout=30)
    monkeypatch.setattr(versions_module, "_one", real)
    results = [mine, *(x for x in fired if x is not None and not isinstance(x, threading.Thread))]
    assert sum(isinstance(r, VersionError) for r in results) == 1
    assert [v.version for v in store.versions.history("mood")] == [3, 2, 1]


def _try(store: Store, *, published_version: int) -> object:
    try:
        return store.versions.roll_back(
            "mood", 1, published_version=published_version, user_id=None
        )
    except VersionError as exc:
        return exc


def test_an_import_racing_a_new_draft_never_replaces_it(
    store: Store, other: Store, people: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed, _, pat = people
    draft = store.versions.save_draft("mood", MOOD, user_id=None, valid=True, base_lock=None)
    store.versions.publish("mood", 1, base_lock=draft.lock_version, user_id=None)
    # An editor saves a new draft at the moment the import has found there is none
    real = versions_module._one
    fired: list[object] = []

    def one_then_interleave(s, questionnaire_id, status, *, lock=False):  # noqa: ANN001, ANN202
        row = real(s, questionnaire_id, status, lock=lock)
        if status == "draft" and not fired:
            thread = threading.Thread(
                target=lambda: fired.append(
                    other.versions.save_draft(
                        "mood", CHANGED, user_id=ed, valid=True, base_lock=None
                    )
                )
            )
            fired.append(thread)
            thread.start()
            thread.join(timeout=30)
        return row

    monkeypatch.setattr(versions_module, "_one", one_then_interleave)
    with pytest.raises(Conflict) as refused:
        store.versions.save_draft(
            "mood", REVIEWED, user_id=pat, valid=True, base_lock=None, origin="import"
        )
    monkeypatch.setattr(versions_module, "_one", real)
    # Then the editor's draft is kept, and the import is told about it
    assert store.versions.draft("mood").text == CHANGED
    assert refused.value.current.text == CHANGED
    assert [v.status for v in store.versions.history("mood")] == ["draft", "published"]
