"""The per-address sign-in pause: counted in the database (SQLite and PostgreSQL), short,
capped, forgotten, and holding no address."""

from __future__ import annotations

import datetime
import threading

import pytest
from sqlalchemy import select

from riskcheck.storage.sign_ins import (
    FORGET_AFTER,
    FREE_FAILURES,
    MAX_PAUSE,
    SignInFailures,
    pause_after,
)
from riskcheck.storage.store import Store
from riskcheck.storage.tables import SignInFailure, utcnow

ANN = "ann@example.org"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(store: Store, monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(store.accounts.sign_ins, "clock", moved)
    return moved


def test_the_pause_starts_short_doubles_and_is_capped() -> None:
    seconds = [pause_after(n).total_seconds() for n in range(1, 12)]
    assert seconds == [0, 0, 0, 0, 30, 60, 120, 240, 300, 300, 300]
    assert pause_after(10**9) == MAX_PAUSE <= datetime.timedelta(minutes=5)


def test_failures_earn_a_pause_that_runs_out(store: Store, clock: Clock) -> None:
    sign_ins = store.accounts.sign_ins
    pauses = [sign_ins.record_failure(ANN) for _ in range(FREE_FAILURES + 1)]
    assert pauses == [0] * (FREE_FAILURES - 1) + [30, 60]
    assert sign_ins.paused_for(ANN) == 60
    assert sign_ins.paused_for("bob@example.org") == 0
    clock.advance(seconds=45)
    assert sign_ins.paused_for(ANN) == 15
    clock.advance(seconds=15)
    assert sign_ins.paused_for(ANN) == 0


def test_a_success_starts_afresh(store: Store, clock: Clock) -> None:
    sign_ins = store.accounts.sign_ins
    for _ in range(FREE_FAILURES):
        sign_ins.record_failure(ANN)
    sign_ins.clear(ANN)
    assert sign_ins.paused_for(ANN) == 0
    assert sign_ins.record_failure(ANN) == 0


def test_failures_are_forgotten_an_hour_after_the_last(store: Store, clock: Clock) -> None:
    sign_ins = store.accounts.sign_ins
    for _ in range(FREE_FAILURES - 1):
        sign_ins.record_failure(ANN)
    clock.advance(seconds=FORGET_AFTER.total_seconds() + 1)
    assert sign_ins.record_failure(ANN) == 0  # the first failure again, not the fifth
    for _ in range(FREE_FAILURES - 2):
        sign_ins.record_failure(ANN)
    assert sign_ins.record_failure(ANN) == 30


def test_no_address_is_stored_and_old_counts_are_deleted(store: Store, clock: Clock) -> None:
    sign_ins = store.accounts.sign_ins
    sign_ins.record_failure(ANN)
    clock.advance(days=1, seconds=1)
    sign_ins.record_failure("bob@example.org")
    with store.engine.connect() as connection:
        rows = connection.execute(select(SignInFailure.__table__)).all()
    assert len(rows) == 1  # ann's day-old count went when bob's began
    assert "bob" not in str(rows)
    assert "example" not in str(rows)


def test_failures_at_the_same_moment_all_count(store: Store, database_url: str) -> None:
    # Given two workers, each with its own connections to the same database
    other = Store.connect(database_url)
    workers = [store.accounts.sign_ins, other.accounts.sign_ins]
    start = threading.Barrier(len(workers) * 4)
    errors: list[BaseException] = []

    def fail_twice(sign_ins: SignInFailures) -> None:
        try:
            start.wait()
            sign_ins.record_failure(ANN)
            sign_ins.record_failure(ANN)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=fail_twice, args=(worker,)) for worker in workers for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Then all sixteen failures counted: the pause is the sixteenth failure's (the cap)
    with store.accounts.sessions() as s:
        assert s.scalar(select(SignInFailure.failures)) == 16
    assert store.accounts.sign_ins.paused_for(ANN) > MAX_PAUSE.total_seconds() - 60
    other.engine.dispose()
