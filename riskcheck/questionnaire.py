"""A loaded questionnaire: the validated definition plus everything compiled from it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from riskcheck.expressions import Expression
from riskcheck.expressions.types import Type
from riskcheck.model import (
    AnswerCheck,
    Computed,
    Definition,
    Eligibility,
    Question,
    Recommendation,
    Rule,
    Scale,
    Section,
    Source,
)
from riskcheck.questions import QuestionKind
from riskcheck.yamlsource import Document


@dataclass(frozen=True)
class QuestionEntry:
    """A question with where it sits and its compiled condition."""

    question: Question
    section: Section
    #: 0-based position among all questions of the questionnaire
    position: int
    kind: QuestionKind
    show_if: Expression | None


@dataclass(frozen=True)
class Questionnaire:
    """An immutable, validated questionnaire ready to score answers.

    Build one with ``riskcheck.loader.load_questionnaire`` or ``load_text``.
    """

    definition: Definition
    document: Document = field(repr=False, compare=False)
    #: question id -> entry, in the order questions are asked
    questions: dict[str, QuestionEntry] = field(repr=False)
    #: section id -> compiled show_if (sections without one are absent)
    section_show_if: dict[str, Expression] = field(repr=False)
    computed: tuple[tuple[Computed, Expression], ...] = field(repr=False)
    eligibility: tuple[tuple[Eligibility, Expression], ...] = field(repr=False)
    rules: tuple[tuple[Rule, Expression], ...] = field(repr=False)
    #: every id usable in expressions (questions, computed values, scales) with its type
    types: dict[str, Type] = field(repr=False)
    #: checks across answers, with their compiled conditions
    checks: tuple[tuple[AnswerCheck, Expression], ...] = field(default=(), repr=False)
    #: plans and display lines worked out on first use (never anything a patient typed)
    caches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> int:
        return self.definition.version

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def text(self) -> str:
        """The definition exactly as written."""
        return self.document.text

    @property
    def sha256(self) -> str:
        """Hash of the definition text, to pin results to the exact definition."""
        return hashlib.sha256(self.document.text.encode("utf-8")).hexdigest()

    @property
    def sections(self) -> list[Section]:
        return self.definition.sections

    @property
    def scales(self) -> list[Scale]:
        return self.definition.scales

    @property
    def recommendations(self) -> dict[str, Recommendation]:
        return self.definition.recommendations

    @property
    def sources(self) -> dict[str, Source]:
        return self.definition.sources

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if there is none)."""
        return self.questions[question_id].question
