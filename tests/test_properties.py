"""Properties over many random inputs: shipped questionnaires score any valid answers, and any
text at all either loads or fails with a DefinitionError."""

from __future__ import annotations

import datetime
import functools
import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskcheck.definition_tests import TEST_DAY
from riskcheck.errors import AnswerError, DefinitionError
from riskcheck.loader import load_questionnaire, load_text, shipped_paths
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import resolve_date_bound
from riskcheck.scoring import score
from riskcheck.urgency import URGENCIES
from riskcheck.validation import validate_text
from riskcheck.yamlsource import read_yaml
from tests.conftest import DATA

SHIPPED = shipped_paths()

# -- (1) random valid answers to every shipped questionnaire ------------------------------------


def value_strategy(question) -> st.SearchStrategy:
    """Valid raw answers to ``question``, as a JSON client or a form would send them."""
    kind = question.type
    if kind == "yesno":
        return st.sampled_from([True, False, "yes", "no"])
    if kind == "single":
        return st.sampled_from([o.value for o in question.options])
    if kind == "multiple":
        plain = [o.value for o in question.options if not o.exclusive]
        exclusive = [[o.value] for o in question.options if o.exclusive]
        lists = st.lists(st.sampled_from(plain), unique=True, min_size=1) if plain else st.nothing()
        return lists | st.sampled_from(exclusive) if exclusive else lists
    if kind == "number":
        low = -1e6 if question.min is None else question.min
        high = 1e6 if question.max is None else question.max
        if question.integer:
            return st.integers(math.ceil(low), math.floor(high))
        return st.integers(math.ceil(low), math.floor(high)) | st.floats(low, high, allow_nan=False)
    if kind == "scale":
        return st.integers(question.min, question.max)
    if kind == "date":
        low = resolve_date_bound(question.min, TEST_DAY) or datetime.date(1900, 1, 1)
        high = resolve_date_bound(question.max, TEST_DAY) or datetime.date(2100, 12, 31)
        return st.dates(low, high).map(lambda d: d.isoformat())
    assert kind == "text", kind
    return st.text(min_size=1, max_size=min(question.max_length, 80)).filter(
        lambda s: s.replace("\x00", "").strip()
    )


@functools.cache
def shipped(path) -> tuple[Questionnaire, st.SearchStrategy]:
    """The questionnaire and a strategy of (answers, ids left unanswered)."""
    questionnaire = load_questionnaire(path)
    entries = list(questionnaire.questions.values())

    @st.composite
    def answer_sets(draw):
        answers, left_out = {}, set()
        for entry in entries:
            if draw(st.integers(0, 39)) == 0:  # leave about one in forty unanswered
                left_out.add(entry.question.id)
            else:
                answers[entry.question.id] = draw(value_strategy(entry.question))
        return answers, left_out

    return questionnaire, answer_sets()


def score_or_refuse(questionnaire, answers):
    """(result, None) or (None, the AnswerError): nothing else may come out."""
    try:
        return score(questionnaire, answers, today=TEST_DAY), None
    except AnswerError as error:
        return None, error


def test_there_are_shipped_questionnaires_to_try():
    # the property below runs once per shipped file: with none it would check nothing
    assert len(SHIPPED) >= 7


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_answers_to_a_shipped_questionnaire_score(path, data):
    questionnaire, answer_sets = shipped(path)
    answers, left_out = data.draw(answer_sets)
    result, error = score_or_refuse(questionnaire, answers)
    if error is not None:
        # only a required question left unanswered, or a check of the definition's own
        # (e.g. a blood pressure's bottom number not below its top), may stop scoring
        checks = {(c.question, c.message) for c, _ in questionnaire.checks}
        assert all(
            (p.missing and p.question in left_out) or (p.question, p.message) in checks
            for p in error.problems
        ), error.problems
        return
    assert result.urgency in (*URGENCIES, None)
    if result.eligible:
        assert result.urgency is not None
    else:  # no score, but an emergency is never held back
        assert result.urgency in (None, "emergency")
        assert all(r.urgency == "emergency" for r in result.recommendations)
    assert len(set(result.recommendation_ids())) == len(result.recommendations)
    assert all(r.reasons for r in result.recommendations)
    json.dumps(result.to_dict(), allow_nan=False)  # no NaN or infinity reaches a patient


# -- (2) random and mangled YAML ----------------------------------------------------------------

MOOD_TEXT = (DATA / "mood.yaml").read_text()
MOOD_DATA = read_yaml(MOOD_TEXT).data
YAMLISH = " \n\t:-[]{}'\"&*!|>#%@?,.abc019_"


def loads_or_fails_cleanly(text: str) -> None:
    """``text`` loads (then lints and runs its own tests without crashing), or fails with a
    DefinitionError whose problems say where."""
    try:
        load_text(text, "fuzz.yaml")
    except DefinitionError as error:
        problems = list(error.problems)
        assert problems
    else:
        problems = validate_text(text, "fuzz.yaml").problems
        errors = [p for p in problems if p.severity == "error"]
        assert all(p.message.startswith("test '") for p in errors), errors  # failing examples
    lines = text.count("\n") + 2
    for problem in problems:
        assert 0 <= problem.line <= lines, problem
        assert problem.message
        assert str(problem).startswith("fuzz.yaml")


@st.composite
def mangled(draw) -> str:
    lines = MOOD_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(
            st.sampled_from(
                ["delete", "duplicate", "indent", "dedent", "tab", "swap", "insert", "truncate"]
            )
        )
        line = lines[i]
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, line)
        elif how == "indent":
            lines[i] = " " * draw(st.integers(1, 6)) + line
        elif how == "dedent":
            lines[i] = line.lstrip(" ")
        elif how == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif how in ("swap", "insert", "truncate") and len(line) > 1:
            j = draw(st.integers(0, len(line) - 2))
            if how == "swap":
                lines[i] = line[:j] + line[j + 1] + line[j] + line[j + 2 :]
            elif how == "insert":
                lines[i] = (
                    line[:j] + draw(st.text(alphabet=YAMLISH, min_size=1, max_size=3)) + line[j:]
                )
            else:
                lines[i] = line[:j] + "\n"
    return "".join(lines)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mood_with_a_node_replaced(draw) -> str:
    """mood.yaml's data with one node, anywhere in the tree, replaced by random data."""
    data = json.loads(json.dumps(MOOD_DATA))
    parent, key = None, None
    node = data
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)) > 0:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = node[key]
    replacement = draw(json_values)
    if parent is None:
        data = replacement
    else:
        parent[key] = replacement
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@settings(deadline=None, max_examples=250)
@given(st.text(max_size=300) | st.text(alphabet=YAMLISH, max_size=300))
def test_random_text_loads_or_fails_cleanly(text):
    loads_or_fails_cleanly(text)


@settings(deadline=None, max_examples=250)
@given(mangled())
def test_mangled_mood_loads_or_fails_cleanly(text):
    loads_or_fails_cleanly(text)


@settings(deadline=None, max_examples=250)
@given(mood_with_a_node_replaced())
def test_mood_with_random_data_loads_or_fails_cleanly(text):
    loads_or_fails_cleanly(text)
