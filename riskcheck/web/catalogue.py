"""The questionnaires the web app serves, loaded once at start-up."""

from __future__ import annotations

import logging
from pathlib import Path

from riskcheck.errors import DefinitionError
from riskcheck.loader import load_questionnaire, shipped_paths
from riskcheck.questionnaire import Questionnaire

log = logging.getLogger(__name__)


class Catalogue:
    """Valid questionnaires by id; invalid files are logged and left out, never served."""

    def __init__(self, folder: Path) -> None:
        self.questionnaires: dict[str, Questionnaire] = {}
        for path in shipped_paths(folder):
            try:
                questionnaire = load_questionnaire(path)
            except DefinitionError as exc:
                log.error(
                    "not serving %s: %d problem(s), first: %s",
                    path.name,
                    len(exc.problems),
                    exc.problems[0],
                )
                continue
            self.questionnaires[questionnaire.id] = questionnaire

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        """The questionnaire with this id, if it is served."""
        return self.questionnaires.get(questionnaire_id)

    def all(self) -> list[Questionnaire]:
        """Every served questionnaire, by title."""
        return sorted(self.questionnaires.values(), key=lambda q: q.title)
