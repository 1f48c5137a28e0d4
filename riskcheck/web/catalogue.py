"""The questionnaires patients get: the published versions in the database, compiled once.

Every request asks the database which version is published (a small query), so a
version published on one instance is what patients get on every instance at once; the
compiled Questionnaire is cached per process by the text's hash.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app

from riskcheck.errors import DefinitionError
from riskcheck.loader import load_text
from riskcheck.questionnaire import Questionnaire
from riskcheck.storage.store import Store
from riskcheck.storage.tables import QuestionnaireVersion

log = logging.getLogger(__name__)
CACHE_SIZE = 64


@dataclass(frozen=True)
class Served:
    """A questionnaire version as served: the compiled questionnaire and its database row."""

    questionnaire: Questionnaire
    row_id: int
    version: int


class Catalogue:
    """Published questionnaires, and any version by row (responses are pinned to one)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._compiled: OrderedDict[tuple[str, int], Questionnaire] = OrderedDict()
        self._rows: dict[int, Served] = {}
        self._lock = threading.Lock()

    def published(self, questionnaire_id: str) -> Served | None:
        """The version patients get now, or None."""
        row = self.store.versions.published(questionnaire_id)
        return self.serve(row) if row is not None else None

    def by_row(self, row_id: int) -> Served | None:
        """A version by its row id, whatever its status. Published and retired texts never
        change, so they are served from memory (journeys in progress ask no database);
        a draft's text may change, so a draft is read again."""
        with self._lock:
            served = self._rows.get(row_id)
        if served is not None:
            return served
        row = self.store.versions.by_row(row_id)
        served = self.serve(row) if row is not None else None
        if served is not None and row is not None and row.status != "draft":
            with self._lock:
                if len(self._rows) >= CACHE_SIZE * 4:
                    self._rows.clear()
                self._rows[row_id] = served
        return served

    def all(self) -> list[Served]:
        """Every published questionnaire, by title."""
        served = [s for row in self.store.versions.all_published() if (s := self.serve(row))]
        return sorted(served, key=lambda s: s.questionnaire.title)

    def serve(self, row: QuestionnaireVersion) -> Served | None:
        """The compiled questionnaire of ``row`` (its version number is the row's), or None
        if the text does not load (never served)."""
        key = (row.sha256, row.version)
        with self._lock:
            questionnaire = self._compiled.get(key)
            if questionnaire is not None:
                self._compiled.move_to_end(key)
        if questionnaire is None:
            questionnaire = compile_version(row)
            if questionnaire is None:
                return None
            with self._lock:
                self._compiled[key] = questionnaire
                while len(self._compiled) > CACHE_SIZE:
                    self._compiled.popitem(last=False)
        return Served(questionnaire, row.id, row.version)


def compile_version(row: QuestionnaireVersion) -> Questionnaire | None:
    """Load a stored text; the database's version number replaces the file's ``version:``."""
    try:
        questionnaire = load_text(row.text, f"{row.questionnaire_id} v{row.version}")
    except DefinitionError as exc:
        log.error(
            "not serving %s version %d: %s", row.questionnaire_id, row.version, exc.problems[0]
        )
        return None
    definition = questionnaire.definition.model_copy(update={"version": row.version})
    # Serving needs neither the raw YAML data nor the line of every key (those are for
    # validation messages): let that memory be reused (about 1 MB for symptom-check).
    document = dataclasses.replace(questionnaire.document, data=None, lines={})
    return dataclasses.replace(questionnaire, definition=definition, document=document, caches={})


def current_catalogue() -> Catalogue:
    """The questionnaires the running app serves."""
    found: Catalogue = current_app.extensions["riskcheck_catalogue"]
    return found


def current_store() -> Store:
    """The running app's database."""
    found: Store = current_app.extensions["riskcheck_store"]
    return found
