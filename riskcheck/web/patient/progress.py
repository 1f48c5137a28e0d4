"""Answers in progress, kept server-side under a random token that only the patient's
session cookie holds (riskcheck.storage.journeys).

Nothing readable about a patient's answers reaches the browser, which may be shared (a
signed cookie is readable by anyone at the computer), and a long free-text answer never
meets a cookie's size limit (2,000 Chinese characters are over 7 kB once signed, and a
browser silently drops a cookie that large). A journey is deleted when the patient starts
again or after a day left idle.
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import session

from riskcheck.questionnaire import Questionnaire
from riskcheck.web.catalogue import current_store

_KEY = "journey"


@dataclass
class Progress:
    """One questionnaire in progress: answers in the JSON answer format."""

    questionnaire: str
    #: the version row answered: results and PDFs always use this version
    row: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    #: set when the patient finishes: the reference code and the day assessed
    reference: str | None = None
    day: str | None = None
    #: a clinician previewing a draft: nothing is stored
    preview: bool = False
    #: the reference code the next confirmation is stored under, chosen when the review
    #: page is shown and dropped when an answer changes: a confirmation sent twice (a
    #: retry after a 503 or a dropped connection) is then stored once, not twice
    pending: str | None = None
    #: the interruptions (rule ids) the patient chose to continue past
    acknowledged: list[str] = field(default_factory=list)
    #: the step to go on to after an interruption
    resume: str | None = None
    #: the patient stopped at an interruption to get help: the result holds what was answered
    ended: bool = False
    #: a step posted with problems, shown again after a redirect (Post/Redirect/Get): its id,
    #: the message per question and what was typed, so nothing typed is lost
    errors_page: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    #: the random token the journey is kept under (the cookie's only link to it)
    token: str | None = None

    @property
    def today(self) -> datetime.date:
        return datetime.date.fromisoformat(self.day) if self.day else datetime.date.today()

    def known_answers(self, questionnaire: Questionnaire) -> dict[str, Any]:
        """The answers to questions the questionnaire has (others are left behind)."""
        return {k: v for k, v in self.answers.items() if k in questionnaire.questions}

    def answers_changed(self) -> None:
        """An answer changed: the result must be worked out again, and stored anew."""
        self.reference = None
        self.pending = None
        self.ended = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "q": self.questionnaire,
            "row": self.row,
            "a": self.answers,
            "ref": self.reference,
            "day": self.day,
            "pv": self.preview,
            "pref": self.pending,
        }
        optional = {
            "ack": self.acknowledged,
            "resume": self.resume,
            "end": self.ended,
            "ep": self.errors_page,
            "err": self.errors,
            "typed": self.typed,
        }
        data.update({key: value for key, value in optional.items() if value})
        return data


def _from_dict(data: dict[str, Any], token: str | None) -> Progress:
    answers, row = data.get("a"), data.get("row")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def mapping(key: str) -> dict[str, Any]:
        value = data.get(key)
        return value if isinstance(value, dict) else {}

    acknowledged = data.get("ack")
    return Progress(
        str(data.get("q")),
        row=row if isinstance(row, int) else None,
        answers=answers if isinstance(answers, dict) else {},
        reference=text("ref"),
        day=text("day"),
        preview=data.get("pv") is True,
        pending=text("pref"),
        acknowledged=[a for a in acknowledged if isinstance(a, str)]
        if isinstance(acknowledged, list)
        else [],
        resume=text("resume"),
        ended=data.get("end") is True,
        errors_page=text("ep"),
        errors=mapping("err"),
        typed=mapping("typed"),
        token=token,
    )


def load(questionnaire: Questionnaire | str) -> Progress | None:
    """The progress in ``questionnaire`` (or its id), or None (not started, or expired)."""
    questionnaire_id = questionnaire if isinstance(questionnaire, str) else questionnaire.id
    data = session.get(_KEY)
    if not isinstance(data, dict) or data.get("q") != questionnaire_id:
        return None
    token = data.get("t")
    kept = current_store().journeys.get(token) if isinstance(token, str) else None
    if kept is None:
        return None  # never kept, started again elsewhere, or left for more than a day
    found = json.loads(kept)
    if not isinstance(found, dict) or found.get("q") != questionnaire_id:
        return None
    return _from_dict(found, token)


def save(progress: Progress) -> None:
    """Keep ``progress`` server-side (replacing any other questionnaire's journey in this
    browser); the cookie holds only the questionnaire id and the random token."""
    previous = session.get(_KEY)
    if progress.token is None and isinstance(previous, dict) and isinstance(previous.get("t"), str):
        current_store().journeys.delete(previous["t"])  # another questionnaire's, replaced
    progress.token = progress.token or secrets.token_urlsafe(32)
    current_store().journeys.put(progress.token, json.dumps(progress.to_dict()))
    cookie: dict[str, object] = {"q": progress.questionnaire, "t": progress.token}
    if progress.preview:  # the pages say they are a preview (nothing about answers)
        cookie["pv"] = True
    if session.get(_KEY) != cookie:  # unchanged: no new cookie to sign and send
        session[_KEY] = cookie


def clear() -> None:
    """Forget the answers in progress."""
    data = session.pop(_KEY, None)
    if isinstance(data, dict) and isinstance(data.get("t"), str):
        current_store().journeys.delete(data["t"])
