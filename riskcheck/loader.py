"""YAML definition -> Questionnaire, reporting every problem with file, line, path and hint."""

from __future__ import annotations

import datetime
import difflib
import re
from collections import ChainMap
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from riskcheck import model
from riskcheck.errors import DefinitionError, ExpressionSyntaxError, Problem
from riskcheck.expressions import Expression, compile_expression
from riskcheck.expressions.ast import walk
from riskcheck.expressions.types import FUNCTIONS, KEYWORDS, NUMBER, Checker, Type
from riskcheck.model import QUESTION_TYPES, Definition
from riskcheck.questionnaire import QuestionEntry, Questionnaire
from riskcheck.questions import kind_of, resolve_date_bound
from riskcheck.yamlsource import Document, ascii_digits, read_yaml
from riskcheck.yamlsource import Path as DataPath

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate the definition in ``path``.

    :raises DefinitionError: listing every problem found.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError(
            [Problem(str(path), 0, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DefinitionError(
            [
                Problem(
                    str(path),
                    0,
                    "",
                    f"the file is not UTF-8 text (byte {exc.start})",
                    "save it as UTF-8",
                )
            ]
        ) from None
    return load_text(text, str(path))


def load_text(text: str, file: str = "<text>") -> Questionnaire:
    """Load and validate a definition given as text."""
    document = read_yaml(text, file)
    if not isinstance(document.data, dict):
        raise DefinitionError(
            [
                document.problem(
                    (),
                    "the file must hold a mapping of fields (id:, title:, sections: ...)",
                    "start from an example in questionnaires/",
                )
            ]
        )
    try:
        definition = Definition.model_validate(document.data)
    except ValidationError as exc:
        raise DefinitionError(_schema_problems(document, exc)) from None
    return _Builder(document, definition).build()


def shipped_paths(directory: Path = SHIPPED_DIR) -> list[Path]:
    """The definition files in ``directory``, sorted by name."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def find_questionnaire(name: str, directory: Path = SHIPPED_DIR) -> Questionnaire:
    """A questionnaire by shipped id (``phq9``) or by file path."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return load_questionnaire(candidate)
    path = directory / f"{name}.yaml"
    if not path.exists():
        known = [p.stem for p in shipped_paths(directory)]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "shipped: " + ", ".join(known)
        raise DefinitionError([Problem(name, 0, "", "no such questionnaire", hint)])
    return load_questionnaire(path)


# -- schema problems -------------------------------------------------------------------------


def _field_names() -> set[str]:
    names: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return names


_FIELDS = _field_names()


def _data_path(data: Any, loc: tuple[Any, ...]) -> DataPath:
    """The path into the data for a pydantic error location (tags and union names dropped)."""
    path: list[str | int] = []
    current = data
    tagged: dict[str, Any] | None = None  # the question whose discriminator tag was skipped
    for part in loc:
        if (
            isinstance(current, dict)
            and current is not tagged
            and part in QUESTION_TYPES
            and current.get("type") == part
        ):
            tagged = current  # the tag follows the question; for type: text it is also a key
            continue
        if isinstance(current, list) and isinstance(part, int):
            path.append(part)
            current = current[part] if part < len(current) else None
        elif isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and part in _FIELDS:
            path.append(part)  # a missing field
            current = None
        # else: a discriminator tag or a union member's name: not part of the data
    return tuple(path)


def _schema_problems(document: Document, exc: ValidationError) -> list[Problem]:
    problems: dict[DataPath, Problem] = {}
    for error in exc.errors(include_url=False):
        path = _data_path(document.data, error["loc"])
        if path in problems:
            continue
        message, hint = _describe(error, path)
        problems[path] = document.problem(path, message, hint)
    return list(problems.values())


_ABSOLUTE = re.compile(r"https?://[^/?#@]+(?:[/?#].*)?", re.IGNORECASE | re.DOTALL)
_RELATIVE = re.compile(r"(?:/(?![/\\])|\./|\.\./|[?#]).*", re.DOTALL)


def is_safe_link(url: str) -> bool:
    """Whether ``url`` is an http(s) address with a host, or a link within this site.

    Anything else could run script or show made-up content when a patient follows it
    (``javascript:``, ``data:``, ``vbscript:``). Browsers drop tabs and line breaks inside a
    URL and read a backslash as a slash, so java<tab>script: is javascript: and a slash
    then a backslash starts another site: any whitespace, control character or backslash
    is refused. A user name before the host (https://nhs.uk@example.org) is refused too.
    """
    if any(c.isspace() or not c.isprintable() or c == "\\" for c in url):
        return False
    return bool(_ABSOLUTE.fullmatch(url) or _RELATIVE.fullmatch(url))


_NUMBER_ERRORS = ("int_type", "float_type", "int_parsing", "float_parsing")


def _describe(error: Any, path: DataPath) -> tuple[str, str]:
    kind, key = error["type"], path[-1] if path else ""
    raw_input = error.get("input")
    if kind == "missing":
        return "this field is required", f"add '{key}:'"
    if kind in _NUMBER_ERRORS and isinstance(raw_input, str):
        written = ascii_digits(raw_input)
        if written is not None:  # pydantic refuses it, but say why: it looks like a number
            return (
                f"'{raw_input}' is written with digits other than 0-9",
                f"write it with the digits 0-9: {written}",
            )
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(key), _FIELDS, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "remove it (docs/definition-format.md lists the fields)"
        )
        return f"'{key}' is not a field here", hint
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return "unknown question type", "type must be one of: " + ", ".join(QUESTION_TYPES)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "today" in pattern:
            return f"'{raw_input}' is not a date", "write YYYY-MM-DD or today"
        if "A-Za-z" in pattern:
            return f"'{raw_input}' is not a language code", "write a code such as en or en-GB"
        if "0-9-]" in pattern:  # only a questionnaire id allows '-'; every other id uses '_'
            return (
                f"'{raw_input}' is not a valid questionnaire id",
                "use lower-case letters, digits and -",
            )
        return (
            f"'{raw_input}' is not a valid id",
            "use lower-case letters, digits and _, e.g. rectal_bleeding",
        )
    if kind == "string_type" and isinstance(raw_input, bool | int | float):
        seen_as = "true/false value" if isinstance(raw_input, bool) else "number"
        written = str(raw_input).lower()
        return (
            f"expected text, got {written}",
            f'YAML reads this as a {seen_as}: put it in quotes, e.g. "{written}"',
        )
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{raw_input}' is not allowed here", f"use {expected}"
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        if "min is greater" in message:
            return message, "swap min and max, or correct the one mistyped"
        return message, ""
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a block of fields (key: value lines)", "check the indentation"
    if kind == "list_type":
        return "expected a list", "write each entry on its own line starting with '- '"
    return str(error["msg"]).rstrip("."), ""


# -- cross references and expressions ----------------------------------------------------------


#: Parts (syntax nodes: names, numbers, operators) of all the expressions of one definition.
#: Parsing takes about 50 µs a part and a score up to 1 µs (explaining a rule that fired),
#: so this bounds load time and every patient's score. The shipped definitions have at most
#: 477 parts; the 5000-question benchmark definition 8,920.
MAX_PARTS = 20_000
#: Definition tests x (questions + expression parts + 100 for the fixed cost of a score):
#: validation scores each test once, so this bounds its time to about a second
#: (symptom-check.yaml: 86 tests x 628 = 54,008).
MAX_TEST_WORK = 1_000_000


#: Problems reported before checking stops. Each can cost a search of every id for a "did
#: you mean" (5,000 unknown ids took 30 s); a file with more needs fixing at the first few.
MAX_PROBLEMS = 200


class _TooManyProblems(Exception):
    """Raised by ``_Builder.fail`` once MAX_PROBLEMS are reported."""


def _expr_type(question: model.Question) -> Type:
    """The type of a question's answer in expressions; for a number with a min and a max,
    its largest magnitude (so the type checker refuses arithmetic that can pass 10^15)."""
    type_ = kind_of(question).expr_type(question)
    low, high = getattr(question, "min", None), getattr(question, "max", None)
    if type_.kind != "number" or low is None or high is None:
        return type_
    return replace(type_, bound=max(abs(low), abs(high)))


class _Builder:
    """Checks what the schema cannot (ids, references, expressions) and compiles."""

    def __init__(self, document: Document, definition: Definition) -> None:
        self.doc = document
        self.d = definition
        self.problems: list[Problem] = []
        #: parts (syntax nodes) of every expression compiled so far: scoring costs about this
        self.parts = 0
        self.types: dict[str, Type] = {}
        self.origin: dict[str, DataPath] = {}
        #: section id -> compiled show_if
        self._sections: dict[str, Expression] = {}

    def fail(self, path: DataPath, message: str, hint: str = "") -> None:
        self.problems.append(self.doc.problem(path, message, hint))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    def build(self) -> Questionnaire:
        """The questionnaire; raise DefinitionError listing the problems (at most
        MAX_PROBLEMS, then one saying the rest were not checked)."""
        try:
            return self._build()
        except _TooManyProblems:
            self.problems.append(
                self.doc.problem(
                    (),
                    f"more than {MAX_PROBLEMS} problems: the rest of the file was not checked",
                    "fix these first (often one mistake repeated), then validate again",
                )
            )
            raise DefinitionError(self.problems) from None

    def _build(self) -> Questionnaire:
        questions = self._questions()
        self._not_same_as(questions)
        computed = self._computed()
        self._scales()
        eligibility = tuple(
            (e, expr)
            for i, e in enumerate(self.d.eligibility)
            if (
                expr := self._compile(
                    e.when,
                    ("eligibility", i, "when"),
                    allowed=[*questions, *(c.id for c, _ in computed)],
                    why="eligibility is decided before scoring: it may use questions and "
                    "computed values, not scales",
                )
            )
            is not None
        )
        rules = tuple(
            (r, expr)
            for i, r in enumerate(self.d.rules)
            if (expr := self._compile(r.when, ("rules", i, "when"))) is not None
        )
        checks = self._checks(questions)
        self._references()
        self._work(len(questions))
        if self.problems:
            raise DefinitionError(self.problems)
        return Questionnaire(
            definition=self.d,
            document=self.doc,
            questions=questions,
            section_show_if=self._sections,
            computed=computed,
            eligibility=eligibility,
            rules=rules,
            types=self.types,
            checks=checks,
        )

    def _checks(
        self, questions: dict[str, QuestionEntry]
    ) -> tuple[tuple[model.AnswerCheck, Expression], ...]:
        out = []
        order = list(questions)
        for i, check in enumerate(self.d.checks):
            path: DataPath = ("checks", i)
            if check.question not in questions:
                close = difflib.get_close_matches(check.question, order, n=1)
                self.fail(
                    (*path, "question"),
                    f"'{check.question}' is not a question",
                    f"did you mean '{close[0]}'?" if close else "name the question to show it at",
                )
                continue
            expr = self._compile(
                check.when,
                (*path, "when"),
                allowed=order[: order.index(check.question) + 1],
                later=self.types,
                why="a check is made when its question is answered: it may use that question "
                "and the questions asked before it",
            )
            if expr is not None:
                out.append((check, expr))
        self._unique([c.id for c in self.d.checks], "checks", "check")
        return tuple(out)

    def _declare(self, name: str, type_: Type, path: DataPath) -> None:
        if name in KEYWORDS or name in FUNCTIONS:
            self.fail(path, f"'{name}' is a reserved word", "choose another id")
        elif name in self.origin:
            first = self.doc.line_of(self.origin[name])
            self.fail(
                path,
                f"the id '{name}' is already used (line {first})",
                "questions, computed values and scales share one set of ids",
            )
        self.types.setdefault(name, type_)
        self.origin.setdefault(name, path)

    def _compile(
        self,
        text: str,
        path: DataPath,
        *,
        allowed: Collection[str] | None = None,
        want: str | None = "bool",
        later: Mapping[str, Type] | None = None,
        why: str = "",
    ) -> Expression | None:
        # ``later``: ids declared further on, known so that using one says "not available here"
        # (asked later) rather than "unknown id". Neither mapping is copied: a definition of
        # 5000 questions would otherwise copy them 5000 times.
        if self.parts > MAX_PARTS:
            return None  # refused already (see below): parsing more would only take time
        known: Mapping[str, Type] = ChainMap(self.types, later) if later else self.types
        checker = Checker(known, allowed, unavailable_hint=why)
        try:
            expression = compile_expression(text, checker, want)
        except ExpressionSyntaxError as exc:
            where = f" (column {exc.column})" if exc.column else ""
            self.fail(path, f"{exc.message}{where}: {text}", exc.hint)
            return None
        before, self.parts = self.parts, self.parts + len(walk(expression.node))
        if before <= MAX_PARTS < self.parts:
            self.fail(
                path,
                f"the expressions of this definition have more than {MAX_PARTS:,} parts in all "
                "(names, numbers, operators)",
                "scoring works through every one for each patient: move repeated conditions "
                "into computed values, or split the questionnaire",
            )
        return expression

    def _work(self, questions: int) -> None:
        """Refuse more definition tests than validation can run in a bounded time.

        Each test scores every question and expression once: the work is their product.
        """
        size = questions + self.parts + 100
        most = max(1, MAX_TEST_WORK // max(1, size))
        if len(self.d.tests) > most:
            self.fail(
                ("tests", most),
                f"{len(self.d.tests)} definition tests are too many for a definition of this "
                f"size ({questions} questions, {self.parts:,} expression parts)",
                f"keep at most {most} tests: each one scores the whole questionnaire",
            )

    def _questions(self) -> dict[str, QuestionEntry]:
        entries: dict[str, QuestionEntry] = {}
        seen_sections: dict[str, int] = {}
        position = 0
        every: dict[str, Type] = {}
        for question in (q for section in self.d.sections for q in section.questions):
            every.setdefault(question.id, _expr_type(question))
        for later_id in [*(c.id for c in self.d.computed), *(s.id for s in self.d.scales)]:
            every.setdefault(later_id, NUMBER)
        why = (
            "show_if may only use questions asked before it; computed values and scales are "
            "worked out once every answer is in"
        )
        for s_index, section in enumerate(self.d.sections):
            s_path: DataPath = ("sections", s_index)
            if section.id in seen_sections:
                self.fail((*s_path, "id"), f"the section id '{section.id}' is used twice")
            seen_sections[section.id] = s_index
            if section.show_if:
                expr = self._compile(
                    section.show_if,
                    (*s_path, "show_if"),
                    allowed=entries.keys(),
                    later=every,
                    why=why,
                )
                if expr:
                    self._sections[section.id] = expr
            for q_index, question in enumerate(section.questions):
                q_path: DataPath = (*s_path, "questions", q_index)
                kind = kind_of(question)
                self._check_question(question, q_path)
                show_if = None
                if question.show_if:
                    show_if = self._compile(
                        question.show_if,
                        (*q_path, "show_if"),
                        allowed=entries.keys(),
                        later=every,
                        why=why,
                    )
                if question.named_by:
                    self._named_by(question.named_by, entries, (*q_path, "named_by"))
                self._declare(question.id, _expr_type(question), (*q_path, "id"))
                if question.id not in entries:
                    entries[question.id] = QuestionEntry(question, section, position, kind, show_if)
                    position += 1
        return entries

    def _not_same_as(self, questions: dict[str, QuestionEntry]) -> None:
        """Each id under ``not_same_as`` names another question (earlier or later)."""
        for s_index, section in enumerate(self.d.sections):
            for q_index, question in enumerate(section.questions):
                for j, other in enumerate(question.not_same_as):
                    path: DataPath = ("sections", s_index, "questions", q_index, "not_same_as", j)
                    if other == question.id:
                        self.fail(path, "a question cannot differ from itself", "remove it")
                    elif other not in questions:
                        close = difflib.get_close_matches(other, questions, n=1)
                        self.fail(
                            path,
                            f"'{other}' is not a question",
                            f"did you mean '{close[0]}'?" if close else "name another question",
                        )

    def _named_by(self, name: str, earlier: dict[str, QuestionEntry], path: DataPath) -> None:
        entry = earlier.get(name)
        if entry is None or entry.question.type != "text":
            self.fail(
                path,
                f"'{name}' is not a text question asked before this one",
                "name the earlier text question where the patient writes what this is about",
            )

    def _check_question(self, question: model.Question, path: DataPath) -> None:
        options = getattr(question, "options", None)
        if options:
            seen: set[str] = set()
            for i, option in enumerate(options):
                if option.value in seen:
                    self.fail(
                        (*path, "options", i, "value"),
                        f"the option '{option.value}' is listed twice",
                    )
                seen.add(option.value)
        if isinstance(question, model.DateQuestion):
            for bound in ("min", "max"):
                value = getattr(question, bound)
                try:
                    resolve_date_bound(value, datetime.date.today())
                except ValueError:  # the pattern lets through 2023-02-30 and 2023-13-01
                    self.fail(
                        (*path, bound),
                        f"'{value}' is not a real date",
                        "write YYYY-MM-DD, e.g. 1990-01-31, or today",
                    )
        if isinstance(question, model.NumberQuestion) and question.integer:
            for bound in ("min", "max"):
                value = getattr(question, bound)
                if value is not None and not float(value).is_integer():
                    self.fail(
                        (*path, bound), f"{bound} must be a whole number for an integer question"
                    )

    def _computed(self) -> tuple[tuple[model.Computed, Expression], ...]:
        out = []
        for i, item in enumerate(self.d.computed):
            expr = self._compile(
                item.value,
                ("computed", i, "value"),
                want=None,
                allowed=self.types.keys(),
                later={x.id: NUMBER for x in [*self.d.computed[i:], *self.d.scales]},
                why="a computed value may use answers and the computed values defined before "
                "it, not scales",
            )
            if expr and expr.type.kind not in ("number", "bool"):
                self.fail(
                    ("computed", i, "value"),
                    f"a computed value must be a number or yes/no, not {expr.type.describe()}",
                )
                expr = None
            self._declare(item.id, expr.type if expr else NUMBER, ("computed", i, "id"))
            if expr:
                out.append((item, expr))
        return tuple(out)

    def _scales(self) -> None:
        computed_ids = {c.id for c in self.d.computed}
        for i, scale in enumerate(self.d.scales):
            path: DataPath = ("scales", i)
            for j, name in enumerate(scale.sum):
                type_ = self.types.get(name)
                if type_ is None:
                    close = difflib.get_close_matches(name, self.types, n=1)
                    self.fail(
                        (*path, "sum", j),
                        f"unknown id '{name}'",
                        f"did you mean '{close[0]}'?" if close else "",
                    )
                elif name in computed_ids and type_.kind != "number":
                    self.fail((*path, "sum", j), f"'{name}' is not a number")
                elif type_.kind in ("date", "text"):
                    self.fail(
                        (*path, "sum", j),
                        f"'{name}' is {type_.describe()}: it has no points",
                        "scales add up yes/no, choice, number and scale questions",
                    )
            seen: set[str] = set()
            for j, band in enumerate(scale.bands):
                if band.id in seen:
                    self.fail((*path, "bands", j, "id"), f"the band id '{band.id}' is used twice")
                seen.add(band.id)
            self._declare(scale.id, NUMBER, (*path, "id"))

    def _references(self) -> None:
        d = self.d
        for i, rule in enumerate(d.rules):
            self._recommendations(rule.recommend, ("rules", i, "recommend"))
            self._sources(rule.source, ("rules", i, "source"))
            for j, name in enumerate(rule.show_answers):
                if name not in self.types:
                    close = difflib.get_close_matches(name, self.types, n=1)
                    self.fail(
                        ("rules", i, "show_answers", j),
                        f"unknown id '{name}'",
                        f"did you mean '{close[0]}'?" if close else "name a question",
                    )
        for i, scale in enumerate(d.scales):
            self._sources(scale.source, ("scales", i, "source"))
            for j, band in enumerate(scale.bands):
                self._recommendations(band.recommend, ("scales", i, "bands", j, "recommend"))
        for i, item in enumerate(d.eligibility):
            self._sources(item.source, ("eligibility", i, "source"))
            if item.redirect and item.redirect.url is not None:
                self._link(item.redirect.url, ("eligibility", i, "redirect", "url"))
        for source_id, source in d.sources.items():
            if source.url is not None:
                self._link(source.url, ("sources", source_id, "url"))
        for rec_id, rec in d.recommendations.items():
            self._sources(rec.source, ("recommendations", rec_id, "source"))
        self._unique([r.id for r in d.rules], "rules", "rule")
        self._unique([e.id for e in d.eligibility], "eligibility", "eligibility condition")
        self._tests()

    def _link(self, url: str, path: DataPath) -> None:
        """A link patients are shown must be a web page: http(s), or a page of this site."""
        if not is_safe_link(url):
            self.fail(
                path,
                f"'{url}' is not a web address",
                "write a full address starting https:// (or http://), or a page of this site "
                "starting with /",
            )

    def _unique(self, ids: list[str], key: str, what: str) -> None:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                self.fail((key, i, "id"), f"the {what} id '{item_id}' is used twice")
            seen.add(item_id)

    def _recommendations(self, ids: list[str], path: DataPath) -> None:
        for j, rec_id in enumerate(ids):
            if rec_id not in self.d.recommendations:
                close = difflib.get_close_matches(rec_id, self.d.recommendations, n=1)
                self.fail(
                    (*path, j),
                    f"no recommendation '{rec_id}' in recommendations",
                    f"did you mean '{close[0]}'?" if close else "add it under recommendations:",
                )

    def _sources(self, ref: str | list[str] | None, path: DataPath) -> None:
        for j, source_id in enumerate([ref] if isinstance(ref, str) else ref or []):
            if source_id not in self.d.sources:
                close = difflib.get_close_matches(source_id, self.d.sources, n=1)
                self.fail(
                    path if isinstance(ref, str) else (*path, j),
                    f"no source '{source_id}' in sources",
                    f"did you mean '{close[0]}'?" if close else "add it under sources:",
                )

    def _tests(self) -> None:
        scales = {s.id: {b.id for b in s.bands} for s in self.d.scales}
        eligibility = {e.id for e in self.d.eligibility}
        kinds = {q.id: q.type for s in self.d.sections for q in s.questions}
        questions = set(kinds)
        flags = {f for r in self.d.rules for f in r.flags}
        flags |= {f for s in self.d.scales for b in s.bands for f in b.flags}
        for i, test in enumerate(self.d.tests):
            path: DataPath = ("tests", i)
            for name, answer in test.answers.items():
                if name not in questions:
                    close = difflib.get_close_matches(name, questions, n=1)
                    self.fail(
                        (*path, "answers", name),
                        f"'{name}' is not a question",
                        f"did you mean '{close[0]}'?" if close else "",
                    )
                elif (
                    kinds[name] in ("number", "scale", "date")
                    and isinstance(answer, str)
                    and (written := ascii_digits(answer)) is not None
                ):
                    self.fail(
                        (*path, "answers", name),
                        f"the answer '{answer}' is written with digits other than 0-9",
                        f"write it with the digits 0-9: {written}",
                    )
            for key in ("scores", "bands"):
                for name, value in getattr(test.expect, key).items():
                    if name not in scales:
                        self.fail((*path, "expect", key, name), f"'{name}' is not a scale")
                    elif key == "bands" and value is not None and value not in scales[name]:
                        self.fail(
                            (*path, "expect", key, name),
                            f"'{value}' is not a band of '{name}'",
                            "bands: " + ", ".join(sorted(scales[name])),
                        )
            for key, group in (("expect", test.expect), ("absent", test.absent)):
                self._recommendations(group.recommendations, (*path, key, "recommendations"))
                for j, flag in enumerate(group.flags):
                    if flag not in flags:
                        close = difflib.get_close_matches(flag, flags, n=1)
                        self.fail(
                            (*path, key, "flags", j),
                            f"no rule or band raises the flag '{flag}'",
                            f"did you mean '{close[0]}'?" if close else "check the spelling",
                        )
            for j, name in enumerate(test.expect.set_aside):
                if name not in questions:
                    self.fail((*path, "expect", "set_aside", j), f"'{name}' is not a question")
            if test.expect.ineligible and test.expect.ineligible not in eligibility:
                self.fail(
                    (*path, "expect", "ineligible"),
                    f"'{test.expect.ineligible}' is not an eligibility id",
                )
