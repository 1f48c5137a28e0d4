"""riskcheck.yamlsource: safe YAML with the line of every key and list item."""

from __future__ import annotations

import time

import pytest

from riskcheck.errors import DefinitionError
from riskcheck.yamlsource import MAX_BYTES, MAX_DEPTH, format_path, read_yaml


def problem_of(text: str):
    with pytest.raises(DefinitionError) as caught:
        read_yaml(text, "def.yaml")
    (problem,) = caught.value.problems
    assert problem.file == "def.yaml"
    return problem


def test_lines_of_keys_and_list_items():
    text = (
        "# a comment\n"
        "id: mood\n"
        "sections:\n"
        "  - id: about\n"
        "    questions:\n"
        "      - {id: age, type: number}\n"
        "\n"
        "      - id: smoker\n"
        "        type: single\n"
    )
    doc = read_yaml(text)
    assert doc.data["sections"][0]["questions"][1]["type"] == "single"
    assert doc.lines[("id",)] == 2
    assert doc.lines[("sections",)] == 3
    assert doc.lines[("sections", 0)] == 4
    assert doc.lines[("sections", 0, "id")] == 4
    assert doc.lines[("sections", 0, "questions")] == 5
    assert doc.lines[("sections", 0, "questions", 0)] == 6
    assert doc.lines[("sections", 0, "questions", 0, "type")] == 6
    assert doc.lines[("sections", 0, "questions", 1)] == 8
    assert doc.lines[("sections", 0, "questions", 1, "type")] == 9


def test_a_multi_line_value_is_located_at_its_key():
    doc = read_yaml("id: x\ntext: >\n  folded\n  text\nnext: 1\n")
    assert doc.data["text"] == "folded text\n"
    assert doc.lines[("text",)] == 2
    assert doc.lines[("next",)] == 5


def test_a_path_without_a_line_falls_back_to_its_nearest_ancestor():
    doc = read_yaml("a: 1\nb:\n  c: 2\n")
    assert doc.line_of(("b", "missing", 3)) == 2
    assert doc.line_of(("nowhere",)) == 1
    problem = doc.problem(("b", "missing"), "this field is required", "add 'missing:'")
    assert (problem.line, problem.path, problem.severity) == (2, "b.missing", "error")


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("title",), "title"),
        (("sections", 2, "questions", 0, "options"), "sections[2].questions[0].options"),
        (("recommendations", "see_gp", "source", 1), "recommendations.see_gp.source[1]"),
    ],
)
def test_format_path(path, text):
    assert format_path(path) == text


def test_duplicate_key_is_refused_at_its_second_line():
    problem = problem_of("id: a\ntitle: One\nid: b\n")
    assert problem.line == 3
    assert "'id' appears twice" in problem.message
    assert "remove or rename" in problem.hint


def test_duplicate_key_in_a_nested_block_and_in_flow_style():
    assert problem_of("a:\n  b: 1\n  c: 2\n  b: 3\n").line == 4
    assert problem_of("x: 1\na: {b: 1, b: 2}\n").line == 2


def test_the_same_key_in_different_blocks_is_fine():
    assert read_yaml("a: {id: 1}\nb: {id: 2}\n").data == {"a": {"id": 1}, "b": {"id": 2}}


def test_a_number_key_that_repeats_a_text_key_is_a_duplicate():
    assert "'1' appears twice" in problem_of("1: a\n'1': b\n").message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: x\nsections:\n\t- id: a\n", 3),  # a tab where indentation starts
        ("id: x\ntitle: y\n\tversion: 2\n", 3),  # a tab inside a block
    ],
)
def test_tabs_are_refused_with_their_line_and_a_hint(text, line):
    problem = problem_of(text)
    assert problem.line == line
    assert problem.message.startswith("YAML syntax error")
    assert problem.hint == "indent with spaces, never tabs"


@pytest.mark.parametrize("quote", ["'", '"'])
def test_an_unclosed_quote_is_reported_where_it_opens(quote):
    problem = problem_of(f"id: x\ntitle: {quote}Mood check\nversion: 2\ndescription: d\n")
    assert problem.line == 2
    assert "never closed" in problem.hint


def test_an_unknown_escape_in_double_quotes_explains_backslashes():
    problem = problem_of('id: x\nurl: "C:\\qfiles"\n')
    assert problem.line == 2
    assert "backslash" in problem.hint


def test_a_colon_inside_unquoted_text_explains_quoting():
    problem = problem_of("id: x\ntext: Note: this breaks\n")
    assert problem.line == 2
    assert "must be quoted" in problem.hint


def test_more_than_one_document_is_refused_at_the_second():
    problem = problem_of("id: a\n---\nid: b\n")
    assert problem.line == 2
    assert "more than one YAML document" in problem.message
    assert "'---'" in problem.hint


def test_one_document_with_a_leading_marker_is_fine():
    assert read_yaml("---\nid: a\n").data == {"id": "a"}


def test_anchors_and_aliases_are_copied():
    text = (
        "q1:\n"
        "  options: &freq\n"
        "    - {value: '0', label: Never}\n"
        "    - {value: '1', label: Sometimes}\n"
        "q2:\n"
        "  options: *freq\n"
    )
    doc = read_yaml(text)
    first, second = doc.data["q1"]["options"], doc.data["q2"]["options"]
    assert (
        second == first == [{"value": "0", "label": "Never"}, {"value": "1", "label": "Sometimes"}]
    )
    assert second is not first  # a copy, not a shared object
    assert second[0] is not first[0]
    assert doc.lines[("q2", "options")] == 6


def test_an_anchored_scalar_is_copied():
    assert read_yaml("a: &n 3\nb: *n\n").data == {"a": 3, "b": 3}


def test_an_alias_to_an_unknown_anchor_is_refused():
    problem = problem_of("a: 1\nb: *nowhere\n")
    assert problem.line == 2
    assert "*nowhere" in problem.message


def test_an_alias_inside_its_own_anchor_is_refused():
    assert "*a" in problem_of("a: &a [1, *a]\n").message


def test_yaml_merge_keys_are_not_merged():
    # '<<' stays an ordinary key, which the definition schema then rejects as unknown.
    assert read_yaml("base: &b {x: 1}\nitem:\n  <<: *b\n").data["item"] == {"<<": {"x": 1}}


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    # Expanded, this is 9**10 entries: without the guard it would never finish. The bound is
    # loose on purpose (the guard answers in well under a second on an idle machine): it
    # catches a return of the expansion, not a busy machine.
    start = time.perf_counter()
    problem = problem_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 30
    assert "too many entries" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 100_000 + "1" + "}" * 100_000,
        "".join("  " * i + "- \n" for i in range(500)),
    ],
    ids=["flow lists", "flow maps", "block lists"],
)
def test_deep_nesting_is_refused_without_a_crash(text):
    problem = problem_of(text)
    assert f"more than {MAX_DEPTH} levels" in problem.message


def test_nesting_up_to_the_limit_is_read():
    depth = MAX_DEPTH
    assert read_yaml("[" * depth + "]" * depth).data is not None


def test_a_file_over_2_mb_is_refused():
    problem = problem_of("a: " + "x" * MAX_BYTES)
    assert (problem.line, problem.path) == (0, "")
    assert "2 MB" in problem.message


def test_the_size_limit_counts_bytes_not_characters():
    with pytest.raises(DefinitionError):
        read_yaml("a: " + "é" * (MAX_BYTES // 2))  # 1 M characters, 2 MB of UTF-8
    assert read_yaml("a: " + "x" * (MAX_BYTES - 10)).data["a"].startswith("x")


@pytest.mark.parametrize("word", ["Yes", "yes", "No", "no", "on", "On", "off", "y", "n", "YES"])
def test_yaml_1_1_booleans_stay_text(word):
    assert read_yaml(f"label: {word}\n").data == {"label": word}


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("false", False), ("True", True), ("FALSE", False)],
)
def test_true_and_false_are_booleans(word, value):
    assert read_yaml(f"optional: {word}\n").data["optional"] is value


def test_other_scalars():
    doc = read_yaml("i: 12\nf: 2.5\nn: null\nt: ~\nd: 2024-02-29\ns: '3'\n")
    assert doc.data == {"i": 12, "f": 2.5, "n": None, "t": None, "d": "2024-02-29", "s": "3"}
    assert isinstance(doc.data["i"], int)


def test_python_tags_are_never_constructed():
    doc = read_yaml(
        "a: !!python/object/apply:os.system ['echo hi']\nb: !!python/name:os.system x\n"
    )
    assert doc.data == {"a": ["echo hi"], "b": "x"}


def test_a_complex_key_is_refused():
    assert "plain word" in problem_of("? [a, b]\n: 1\n").message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "   \n"])
def test_an_empty_document_reads_as_none(text):
    assert read_yaml(text).data is None


@pytest.mark.parametrize(
    ("value", "written"),
    [("!!int ১২০", "120"), ("!!float １２.５", "12.5"), ("!!int 1𝟗", "19")],
)
def test_a_number_tagged_in_other_digits_is_refused(value, written):
    # Python's int() reads any Unicode digit: ১২০ would silently be 120.
    problem = problem_of(f"id: x\nmax: {value}\n")
    assert problem.line == 2
    assert problem.message == (
        f"the number '{value.split()[1]}' is written with digits other than 0-9"
    )
    assert problem.hint == f"write it with the digits 0-9: {written}"


def test_text_in_other_digits_stays_text():
    # A label may be written in any script; only numbers are refused.
    assert read_yaml("label: ১২০\n").data == {"label": "১২০"}
