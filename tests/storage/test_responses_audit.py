"""Responses (pinned, found by exact code, purged by age) and the audit log."""

from __future__ import annotations

import datetime
from pathlib import Path

from riskcheck.storage.store import Store
from riskcheck.storage.tables import Response

MOOD = Path(__file__).resolve().parents[1] / "data" / "mood.yaml"


def add(store: Store, reference: str, row_id: int) -> bool:
    return store.responses.add(
        reference=reference,
        version_row_id=row_id,
        questionnaire_id="mood",
        version=1,
        answers={"age": 40},
        result={"urgency": "soon"},
    )


def test_store_find_and_no_duplicates(store: Store) -> None:
    store.versions.import_shipped([MOOD])
    row = store.versions.published("mood")
    assert add(store, "A" * 26, row.id)
    assert not add(store, "A" * 26, row.id)  # the same reference twice is stored once
    found = store.responses.find("A" * 26)
    assert (found.version_row_id, found.urgency) == (row.id, "soon")
    assert store.responses.find("A" * 25) is None
    assert store.responses.count(row.id) == 1


def test_purge_deletes_exactly_the_old_responses(store: Store) -> None:
    store.versions.import_shipped([MOOD])
    row = store.versions.published("mood")
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    ages = {"OLD91": 91, "OLD90A": 90, "NEW89": 89, "NEW0": 0}
    for reference, days in ages.items():
        add(store, reference, row.id)
        with store.responses.sessions.begin() as s:
            response = s.query(Response).filter_by(reference=reference).one()
            response.created_at = now - datetime.timedelta(days=days, seconds=1)
    deleted = store.responses.purge(datetime.timedelta(days=90), now=now)
    assert deleted == 2
    left = {r.reference for r in store.responses.for_version(row.id)}
    assert left == {"NEW89", "NEW0"}


def test_audit_log_records_and_lists_newest_first(store: Store) -> None:
    store.audit.record("ann@example.org", "sign_in")
    store.audit.record("ann@example.org", "publish", "mood v2", version=2)
    entries = store.audit.entries()
    assert [e.action for e in entries] == ["publish", "sign_in"]
    assert entries[0].detail == '{"version": 2}'


def test_readiness(store: Store) -> None:
    assert store.is_ready()
