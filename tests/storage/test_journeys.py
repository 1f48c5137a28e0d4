"""Answers in progress: kept, replaced and forgotten by token, on SQLite and PostgreSQL; the
relaxed durability of their writes never reaches the writes of anything else."""

from __future__ import annotations

import datetime

from sqlalchemy import text

from riskcheck.storage.store import Store


def test_progress_is_kept_replaced_and_forgotten_by_token(store: Store) -> None:
    journeys = store.journeys
    journeys.put("a" * 43, '{"step": 1}')
    journeys.put("b" * 43, '{"step": 5}')
    journeys.put("a" * 43, '{"step": 2}')  # the same token again replaces, never duplicates
    assert journeys.get("a" * 43) == '{"step": 2}'
    assert journeys.get("b" * 43) == '{"step": 5}'
    journeys.delete("a" * 43)
    assert journeys.get("a" * 43) is None
    assert journeys.get("b" * 43) == '{"step": 5}'
    assert journeys.get("never kept") is None


def test_only_journeys_left_idle_are_purged(store: Store) -> None:
    store.journeys.put("a" * 43, "{}")
    assert store.journeys.purge() == 0
    assert store.journeys.purge(older_than=datetime.timedelta(seconds=-1)) == 1
    assert store.journeys.get("a" * 43) is None


def test_every_other_write_still_waits_for_the_disk(store: Store) -> None:
    """A journey's write does not wait for the disk; the connection it used goes back to the
    pool waiting for it again, so a stored response or a published definition never loses
    its durability. (Used one at a time, the pool hands back the same connection.)"""
    store.journeys.put("a" * 43, "{}")
    store.journeys.delete("a" * 43)
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        else:
            assert connection.execute(text("SHOW synchronous_commit")).scalar() == "on"
