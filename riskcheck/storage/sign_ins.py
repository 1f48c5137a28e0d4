"""A short back-off per email address after repeated failed sign-ins, kept in the database so
that every instance and worker sees the same count.

The per-address pause is deliberately short and capped (MAX_PAUSE): it slows password
guessing at one account from many addresses, which the per-IP limit cannot, while an
attacker who knows an address can keep its owner out for at most a few minutes at a time.
Failures are counted for any address typed, with an account or not, so the pause reveals
nothing about which accounts exist; only a hash of the address is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Callable

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from riskcheck.storage.tables import SignInFailure, utcnow

#: Failures allowed before the first pause.
FREE_FAILURES = 5
#: The first pause; each further failure doubles it, up to MAX_PAUSE.
FIRST_PAUSE = datetime.timedelta(seconds=30)
MAX_PAUSE = datetime.timedelta(minutes=5)
#: Failures are forgotten this long after the last one.
FORGET_AFTER = datetime.timedelta(hours=1)


def pause_after(failures: int) -> datetime.timedelta:
    """How long sign-ins for an address pause after its ``failures``-th failure in a row."""
    if failures < FREE_FAILURES:
        return datetime.timedelta(0)
    doublings = min(failures - FREE_FAILURES, 16)  # 2**16 x 30 s is far past the cap
    return min(FIRST_PAUSE * 2**doublings, MAX_PAUSE)


def _key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """SQLite keeps no time zone: its datetimes are stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class SignInFailures:
    """Failed sign-ins per normalised email address, and the pause they earn."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], datetime.datetime] = utcnow
    ) -> None:
        self.sessions = sessions
        #: the current time (tests move it)
        self.clock = clock

    def paused_for(self, email: str) -> int:
        """Seconds before sign-ins for ``email`` are checked again; 0 when they are now."""
        with self.sessions() as s:
            until = s.scalar(
                select(SignInFailure.blocked_until).where(SignInFailure.key == _key(email))
            )
        if until is None:
            return 0
        return max(0, math.ceil((_aware(until) - self.clock()).total_seconds()))

    def record_failure(self, email: str) -> int:
        """Count a failed sign-in for ``email``; the seconds of pause it earns (often 0)."""
        now = self.clock()
        try:
            pause, first = self._count(_key(email), now)
        except IntegrityError:  # another worker added the row first: count on it
            pause, first = self._count(_key(email), now)
        if first:
            self._forget_old(now)
        return pause

    def _count(self, key: str, now: datetime.datetime) -> tuple[int, bool]:
        """Add one failure; the pause in seconds, and whether the row is new."""
        with self.sessions.begin() as s:
            # One UPDATE, so that failures at the same moment on several workers each count:
            # it holds the row (PostgreSQL) or the database (SQLite) until the commit.
            failures = s.scalar(
                update(SignInFailure)
                .where(SignInFailure.key == key)
                .values(
                    failures=case(
                        (SignInFailure.last_failure_at < now - FORGET_AFTER, 1),
                        else_=SignInFailure.failures + 1,
                    ),
                    last_failure_at=now,
                )
                .returning(SignInFailure.failures)
            )
            first = failures is None
            if failures is None:
                failures = 1
                s.add(SignInFailure(key=key, failures=1, last_failure_at=now))
            pause = pause_after(failures)
            s.execute(
                update(SignInFailure)
                .where(SignInFailure.key == key)
                .values(blocked_until=now + pause if pause else None)
            )
        return math.ceil(pause.total_seconds()), first

    def _forget_old(self, now: datetime.datetime) -> None:
        """Delete the counts nobody has added to for a day (apart from any count, so that
        two workers never wait on each other's rows)."""
        with self.sessions.begin() as s:
            s.execute(
                delete(SignInFailure).where(
                    SignInFailure.last_failure_at < now - datetime.timedelta(days=1)
                )
            )

    def clear(self, email: str) -> None:
        """A successful sign-in: the address starts afresh."""
        with self.sessions.begin() as s:
            s.execute(delete(SignInFailure).where(SignInFailure.key == _key(email)))
