"""The compiled evaluator and the tree-walking explainer agree, on random expressions and values."""

from __future__ import annotations

import datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from riskcheck.errors import ExpressionSyntaxError
from tests.factories import SMOKER, SYMPTOMS, TYPES, make_expression

NUMBER_NAMES = ["age", "weight"]
BOOL_NAMES = ["bleeding", "cough"]
SMOKER_OPTIONS = sorted(SMOKER.options)
SYMPTOM_OPTIONS = sorted(SYMPTOMS.options)


def _join(parts: list[str], word: str) -> str:
    return "(" + f" {word} ".join(parts) + ")"


number_atoms = st.one_of(
    st.sampled_from(NUMBER_NAMES),
    st.integers(0, 60).map(str),
    st.integers(0, 999).map(lambda i: f"{i // 100}.{i % 100:02d}"),
    st.integers(0, 99).map(lambda i: f"{i // 4}.{i % 4 * 25:02d}"),  # halves and quarters
    st.just("count(symptoms)"),
    st.just("years_since(dob)"),
)


def _number_forms(inner):
    return st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda n: f"(-{n})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        inner.map(lambda n: f"abs({n})"),
        st.tuples(inner, st.integers(0, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
        inner.map(lambda n: f"round({n})"),
        st.lists(inner, min_size=2, max_size=3).map(lambda ns: f"coalesce({', '.join(ns)})"),
    )


numbers = st.recursive(number_atoms, _number_forms, max_leaves=6)

bool_atoms = st.one_of(
    st.sampled_from(BOOL_NAMES),
    st.sampled_from(["true", "false"]),
    st.sampled_from(SMOKER_OPTIONS).map(lambda o: f"(smoker == '{o}')"),
    st.sampled_from(SMOKER_OPTIONS).map(lambda o: f"(smoker != '{o}')"),
    st.lists(st.sampled_from(SMOKER_OPTIONS), min_size=1, max_size=3).map(
        lambda os: "(smoker in [" + ", ".join(f"'{o}'" for o in os) + "])"
    ),
    st.sampled_from(SYMPTOM_OPTIONS).map(lambda o: f"('{o}' in symptoms)"),
    st.sampled_from(SYMPTOM_OPTIONS).map(lambda o: f"('{o}' not in symptoms)"),
    st.sampled_from(sorted(TYPES)).map(lambda n: f"answered({n})"),
    st.just("(dob <= dob)"),
)

comparisons = st.one_of(
    st.tuples(numbers, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), numbers).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    ),
    st.tuples(numbers, st.lists(st.integers(0, 60), min_size=1, max_size=3)).map(
        lambda t: f"({t[0]} in [{', '.join(map(str, t[1]))}])"
    ),
)


def _condition_forms(inner):
    return st.one_of(
        inner.map(lambda c: f"(not {c})"),
        st.lists(inner, min_size=2, max_size=4).map(lambda cs: _join(cs, "and")),
        st.lists(inner, min_size=2, max_size=4).map(lambda cs: _join(cs, "or")),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} == {t[1]})"),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: f"coalesce({', '.join(cs)})"),
    )


conditions = st.recursive(bool_atoms | comparisons, _condition_forms, max_leaves=10)

number_values = st.one_of(
    st.none(),
    st.just(0),
    st.just(50),
    st.integers(-5, 100),
    st.integers(-40, 200).map(lambda i: i / 2),
    st.floats(-100, 100, allow_nan=False, allow_infinity=False),
)

values = st.fixed_dictionaries(
    {
        "age": number_values,
        "weight": number_values,
        "bleeding": st.sampled_from([True, False, None]),
        "cough": st.sampled_from([True, False, None]),
        "smoker": st.none() | st.sampled_from(SMOKER_OPTIONS),
        "symptoms": st.none() | st.frozensets(st.sampled_from(SYMPTOM_OPTIONS)),
        "dob": st.none() | st.dates(datetime.date(1920, 1, 1), datetime.date(2026, 1, 1)),
        "notes": st.none() | st.text(max_size=5),
    }
)
days = st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31))


def compiled(text: str):
    try:
        return make_expression(text)
    except ExpressionSyntaxError as error:
        assume("nested" not in error.message and "long" not in error.message)
        raise


@settings(deadline=None, max_examples=400)
@given(text=conditions | numbers, given_values=values, today=days)
def test_compiled_and_explained_values_agree(text, given_values, today):
    expression = compiled(text)
    value = expression.evaluate(given_values, today)
    explained, deciding = expression.explain(given_values, today)
    assert explained == value
    assert type(explained) is type(value)
    assert set(deciding) <= set(expression.names)
    assert expression.holds(given_values, today) is (value is True)


@settings(deadline=None, max_examples=300)
@given(text=conditions, given_values=values, today=days)
def test_the_deciding_values_alone_decide(text, given_values, today):
    """Forgetting every answer but the deciding ones does not change a known outcome."""
    expression = compiled(text)
    value, deciding = expression.explain(given_values, today)
    assume(value is not None)
    only_deciding = {name: (v if name in deciding else None) for name, v in given_values.items()}
    assert expression.evaluate(only_deciding, today) == value
