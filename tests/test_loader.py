"""riskcheck.loader: YAML -> Questionnaire, or a DefinitionError that says where and how to fix."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from riskcheck.errors import DefinitionError
from riskcheck.expressions.ast import walk
from riskcheck.expressions.types import BOOL, NUMBER
from riskcheck.loader import (
    MAX_PARTS,
    MAX_PROBLEMS,
    MAX_TEST_WORK,
    find_questionnaire,
    load_questionnaire,
    load_text,
    shipped_paths,
)
from riskcheck.questionnaire import Questionnaire
from tests.conftest import DATA
from tests.factories import make_definition, make_questionnaire, single, yesno

BROKEN = DATA / "broken"

#: file -> (line, path, words in the message, words in the hint)
CASES = {
    "missing_field": (20, "sections[0].questions[2].text", "this field is required", "add 'text:'"),
    "unknown_field": (
        25,
        "sections[0].questions[3].optinal",
        "'optinal' is not a field here",
        "did you mean 'optional'?",
    ),
    "bad_id": (
        14,
        "sections[0].questions[1].id",
        "'Smoker-Status' is not a valid id",
        "lower-case letters, digits and _",
    ),
    "unknown_question_type": (
        20,
        "sections[0].questions[2]",
        "unknown question type",
        "yesno, single, multiple, number, scale, date, text",
    ),
    "unknown_id_in_show_if": (
        24,
        "sections[0].questions[2].show_if",
        "unknown id 'smokes' (column 1)",
        "did you mean 'smoker'?",
    ),
    "show_if_later_question": (
        17,
        "sections[0].questions[1].show_if",
        "'cough' is not available here",
        "only use questions asked before it",
    ),
    "type_mismatch": (
        37,
        "rules[0].when",
        "cannot compare a number with a quoted text using '>='",
        "compare numbers or dates",
    ),
    "unknown_option": (
        24,
        "sections[0].questions[2].show_if",
        "'currently' is not an option of 'smoker' (column 11)",
        "did you mean 'current'?",
    ),
    "unknown_recommendation": (
        38,
        "rules[0].recommend[0]",
        "no recommendation 'chest_x_ray'",
        "did you mean 'chest_xray'?",
    ),
    "unknown_source": (
        39,
        "rules[0].source",
        "no source 'guidance' in sources",
        "did you mean 'guide'?",
    ),
    "duplicate_question_id": (
        25,
        "sections[0].questions[3].id",
        "the id 'age' is already used (line 13)",
        "share one set of ids",
    ),
    "bad_band_bounds": (34, "scales[0].bands[1]", "min is greater than max", "swap min and max"),
    "scale_sums_text": (
        29,
        "scales[0].sum[1]",
        "'notes' is free text: it has no points",
        "scales add up yes/no, choice, number and scale questions",
    ),
    "bad_yaml": (23, "", "YAML syntax error: mapping values are not allowed", "must be quoted"),
    "bad_date_bound": (
        26,
        "sections[0].questions[4].min",
        "'2023-02-30' is not a real date",
        "YYYY-MM-DD",
    ),
}


def test_the_file_the_broken_ones_break_is_valid():
    questionnaire = load_questionnaire(DATA / "valid_base.yaml")
    assert list(questionnaire.questions) == ["age", "smoker", "cough", "notes"]


def test_every_broken_file_has_a_case():
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_definition_names_line_path_and_fix(name):
    line, path, message, hint = CASES[name]
    file = BROKEN / f"{name}.yaml"
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(file)
    (problem,) = caught.value.problems  # one mistake, one problem
    assert (problem.file, problem.line, problem.path) == (str(file), line, path)
    assert message in problem.message
    assert hint in problem.hint
    assert problem.severity == "error"
    where = f"{file}:{line}: {path}: " if path else f"{file}:{line}: "
    assert str(problem) == f"{where}{problem.message} (hint: {problem.hint})"
    assert str(caught.value) == str(problem)


def test_every_problem_is_reported_at_once():
    text = (
        (BROKEN / "unknown_recommendation.yaml")
        .read_text()
        .replace("source: guide\nrecommendations", "source: guidance\nrecommendations")
    )
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "two.yaml")
    assert [p.path for p in caught.value.problems] == ["rules[0].recommend[0]", "rules[0].source"]


# -- files that are not definitions at all ------------------------------------------------------


def only_problem(path) -> object:
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    return problem


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    problem = only_problem(path)
    assert "not UTF-8" in problem.message
    assert "byte 7" in problem.message
    assert problem.hint == "save it as UTF-8"


def test_a_missing_file(tmp_path):
    problem = only_problem(tmp_path / "nowhere.yaml")
    assert problem.line == 0
    assert problem.message == "cannot read the file: No such file or directory"


def test_a_directory_instead_of_a_file(tmp_path):
    assert "cannot read the file" in only_problem(tmp_path).message


@pytest.mark.parametrize(
    "text",
    ["", "# nothing yet\n", "- id: mood\n- title: Mood\n", "just a sentence\n", "42\n"],
    ids=["empty", "comment", "list", "text", "number"],
)
def test_a_file_without_a_mapping_at_the_top(tmp_path, text):
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    problem = only_problem(path)
    assert problem.line == 1
    assert "must hold a mapping of fields" in problem.message
    assert "questionnaires/" in problem.hint


@pytest.mark.parametrize(
    ("replace", "by", "path", "message"),
    [
        ("sections:\n", "sections: 5\nx:\n", "sections", "expected a list"),
        (
            "  guide: {title: Some published guidance}",
            "  - guide",
            "sources",
            "expected a block of fields",
        ),
        ("version: 1", "version: one", "version", "valid integer"),
        ("version: 1", "version: 1\n5: x", "5", "'5' is not a field here"),
        (
            "version: 1",
            "version: 1\nlanguage: English",
            "language",
            "'English' is not a language code",
        ),
        ("id: broken", "id: Broken_One", "id", "'Broken_One' is not a valid questionnaire id"),
        (
            "{value: never, label: Never}",
            "{value: 0, label: Never}",
            "sections[0].questions[1].options[0].value",
            "expected text, got 0",
        ),
        (
            "optional: true, text: Anything else?}",
            "optional: true, text: 5}",
            "sections[0].questions[3].text",
            "expected text, got 5",
        ),
        (
            "optional: true, text: Anything else?}",
            "optional: true}",
            "sections[0].questions[3].text",
            "this field is required",
        ),
        ("    recommend: [chest_xray]\n", "", "rules[0]", "a rule must set an urgency"),
        (
            "        type: yesno\n",
            "        type: [yesno]\n",
            "sections[0].questions[2]",
            "unknown question type",
        ),
    ],
)
def test_schema_problems_point_into_the_data(replace, by, path, message):
    text = (DATA / "valid_base.yaml").read_text()
    assert replace in text
    with pytest.raises(DefinitionError) as caught:
        load_text(text.replace(replace, by, 1), "x.yaml")
    assert path in [p.path for p in caught.value.problems]
    assert any(message in p.message for p in caught.value.problems)
    assert all(p.line >= 1 for p in caught.value.problems)


def test_a_yes_label_stays_text_so_needs_no_quotes():
    questionnaire = load_questionnaire(DATA / "valid_base.yaml")
    assert [o.label for o in questionnaire.question("smoker").options] == ["Never", "Yes"]


@pytest.mark.parametrize(
    ("show_if", "message"),
    [
        ("cough", "'cough' is not available here"),  # in the section it guards
        ("age > 'x'", "cannot compare"),
        ("age >", "ends too early"),
        ("age", "must be yes/no"),
    ],
)
def test_a_section_show_if_is_checked(show_if, message):
    sections = [
        {
            "id": "first",
            "title": "First",
            "questions": [{"id": "age", "type": "number", "text": "Age?"}],
        },
        {"id": "second", "title": "Second", "show_if": show_if, "questions": [yesno("cough")]},
    ]
    with pytest.raises(DefinitionError) as caught:
        make_questionnaire(sections=sections)
    (problem,) = caught.value.problems
    assert problem.path == "sections[1].show_if"
    assert message in problem.message


@pytest.mark.parametrize("reserved", ["count", "and", "true", "in"])
def test_reserved_words_cannot_be_ids(reserved):
    with pytest.raises(DefinitionError) as caught:
        make_questionnaire(questions=[yesno(reserved)])
    assert f"'{reserved}' is a reserved word" in caught.value.problems[0].message


def test_ids_are_shared_by_questions_computed_values_and_scales():
    with pytest.raises(DefinitionError) as caught:
        make_questionnaire(
            questions=[yesno("cough", points=1)],
            computed=[{"id": "cough", "title": "Again", "value": "1 + 1"}],
        )
    assert caught.value.problems[0].path == "computed[0].id"


def test_an_expression_too_deep_is_a_definition_error():
    with pytest.raises(DefinitionError) as caught:
        make_questionnaire(questions=[yesno("a"), yesno("b", show_if="not " * 400 + "a")])
    assert "nested" in caught.value.problems[0].message


def test_definition_tests_must_name_questions_scales_and_bands():
    with pytest.raises(DefinitionError) as caught:
        make_questionnaire(
            tests=[
                {"name": "t", "answers": {"cuogh": True}, "expect": {"bands": {"total": "high"}}}
            ]
        )
    problems = {p.path: p for p in caught.value.problems}
    assert problems["tests[0].answers.cuogh"].hint == "did you mean 'cough'?"
    assert problems["tests[0].expect.bands.total"].message == "'total' is not a scale"


# -- what a loaded questionnaire holds -----------------------------------------------------------


def test_mood_loads_with_everything_compiled(mood: Questionnaire):
    assert (mood.id, mood.version, mood.title) == ("mood", 2, "Mood check")
    assert list(mood.questions) == [
        "age",
        "smoker",
        "packs_per_day",
        "years_smoked",
        "q1",
        "q2",
        "crisis",
        "symptoms",
        "notes",
    ]
    assert [e.position for e in mood.questions.values()] == list(range(9))
    assert mood.questions["crisis"].show_if.text == "q2 == '3'"
    assert mood.questions["age"].show_if is None
    assert mood.types["pack_years"] == NUMBER
    assert mood.types["total"] == NUMBER
    assert mood.types["crisis"] == BOOL
    assert mood.types["smoker"].options == {"never", "former", "current"}
    assert [r.id for r, _ in mood.rules] == ["crisis_now", "heavy_smoker"]
    assert mood.rules[1][1].names == ("pack_years", "age")
    # the anchored option list is copied to q2
    assert mood.question("q2").options == mood.question("q1").options


def test_a_questionnaire_keeps_its_text_and_hash(mood: Questionnaire):
    text = (DATA / "mood.yaml").read_text()
    assert mood.text == text
    assert mood.file == str(DATA / "mood.yaml")
    assert len(mood.sha256) == 64
    assert load_text(text).sha256 == mood.sha256
    assert load_text(text + "\n# edited\n").sha256 != mood.sha256


def test_make_definition_round_trips_through_the_loader():
    questionnaire = make_questionnaire(questions=[single("smoker", {"never": 0, "current": 2})])
    assert questionnaire.question("smoker").options[1].points == 2
    assert "version: 1" in make_definition()
    with pytest.raises(DefinitionError):
        make_questionnaire(title=None)


# -- finding questionnaires -------------------------------------------------------------------


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """A folder of definitions like questionnaires/."""
    (tmp_path / "mood.yaml").write_text((DATA / "mood.yaml").read_text())
    (tmp_path / "broken.yaml").write_text("id: [\n")
    (tmp_path / "notes.txt").write_text("not a definition")
    return tmp_path


def test_shipped_paths_lists_yaml_files_sorted(shelf):
    assert [p.name for p in shipped_paths(shelf)] == ["broken.yaml", "mood.yaml"]


def test_find_questionnaire_by_id_or_path(shelf):
    assert find_questionnaire("mood", shelf).id == "mood"
    assert find_questionnaire(str(shelf / "mood.yaml")).id == "mood"


def test_find_questionnaire_suggests_a_close_id(shelf):
    with pytest.raises(DefinitionError) as caught:
        find_questionnaire("mod", shelf)
    (problem,) = caught.value.problems
    assert problem.message == "no such questionnaire"
    assert problem.hint == "did you mean 'mood'?"


# -- cross-reference checks of definition tests --------------------------------------------


def test_a_test_answering_a_computed_value_is_refused():
    text = (DATA / "mood.yaml").read_text()
    broken = text.replace(
        'answers: {age: 30, smoker: never, q1: "0", q2: "1"}',
        'answers: {age: 30, smoker: never, q1: "0", q2: "1", pack_years: 3}',
    )
    assert broken != text
    with pytest.raises(DefinitionError) as caught:
        load_text(broken, "mood.yaml")
    [problem] = caught.value.problems
    assert problem.message == "'pack_years' is not a question"


def test_a_misspelt_flag_in_a_test_is_refused():
    text = (DATA / "mood.yaml").read_text()
    broken = text.replace(
        "expect: {urgency: emergency, recommendations: [emergency, see_gp], flags: [crisis]}",
        "expect: {urgency: emergency, flags: [crisys]}",
    )
    assert broken != text
    with pytest.raises(DefinitionError) as caught:
        load_text(broken, "mood.yaml")
    [problem] = caught.value.problems
    assert problem.message == "no rule or band raises the flag 'crisys'"
    assert problem.hint == "did you mean 'crisis'?"


# -- the work a definition asks for is bounded ---------------------------------------------


def _with_rules(count: int, operands: int, tests: int = 0) -> str:
    """valid_base.yaml with ``count`` more rules of ``operands`` conditions each, and
    ``tests`` definition tests."""
    condition = " and ".join(["age > 1"] * operands)
    text = (DATA / "valid_base.yaml").read_text("utf-8")
    head, tail = text.split("recommendations:")
    extra = "".join(
        f"  - {{id: r{i}, when: {condition}, recommend: [chest_xray], source: guide}}\n"
        for i in range(count)
    )
    cases = "".join(
        f"  - {{name: t{i}, answers: {{age: {18 + i % 90}, smoker: never}}}}\n"
        for i in range(tests)
    )
    return head + extra + "recommendations:" + tail + ("tests:\n" + cases if tests else "")


def test_expressions_of_more_parts_than_the_bound_are_refused_quickly():
    # Given 60 rules of 166 conditions each: 29,940 parts, each parsed at load and worked
    # through at every score
    text = _with_rules(60, 166)
    started = time.perf_counter()
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "big.yaml")
    elapsed = time.perf_counter() - started
    [problem] = caught.value.problems
    # Then the rule that passes the bound is named, with what to do, and the rest of the
    # expressions are not even parsed
    per_rule = 166 * 3 + 1
    assert problem.path == f"rules[{1 + MAX_PARTS // per_rule}].when"
    assert problem.line == 40 + MAX_PARTS // per_rule  # r0 is on line 40
    assert f"more than {MAX_PARTS:,} parts" in problem.message
    assert "computed values" in problem.hint
    assert elapsed < 15


def test_expressions_within_the_bound_load():
    questionnaire = load_text(_with_rules(10, 166), "ten.yaml")
    assert len(questionnaire.rules) == 11


def test_more_definition_tests_than_validation_can_run_in_time_are_refused():
    # 40 rules of 499 parts: each test scores about 20,000 parts
    text = _with_rules(39, 166, tests=60)
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "many.yaml")
    [problem] = caught.value.problems
    size = 4 + 39 * 499 + 5 + 100  # questions, parts, the fixed cost of a score
    most = MAX_TEST_WORK // size
    assert problem.path == f"tests[{most}]"
    assert problem.message.startswith("60 definition tests are too many")
    assert problem.hint == f"keep at most {most} tests: each one scores the whole questionnaire"
    load_text(_with_rules(39, 166, tests=most), "enough.yaml")


def test_the_shipped_definitions_are_well_within_the_bounds():
    for path in shipped_paths():
        questionnaire = load_questionnaire(path)
        q = questionnaire
        expressions = [
            *(e for _, e in [*q.computed, *q.rules, *q.eligibility, *q.checks]),
            *q.section_show_if.values(),
            *(entry.show_if for entry in q.questions.values() if entry.show_if),
        ]
        parts = sum(len(walk(e.node)) for e in expressions)
        size = len(questionnaire.questions) + parts + 100
        assert parts * 10 <= MAX_PARTS, path.name
        assert len(questionnaire.definition.tests) * size * 10 <= MAX_TEST_WORK, path.name


# -- numbers in a definition are written with 0-9 only ---------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "written"),
    [
        ("max: 120", "max: ১২০", "sections[0].questions[0].max", "120"),
        ("min: 18", "min: １８", "sections[0].questions[0].min", "18"),
        ("points: 1", "points: 𝟏", "sections[0].questions[2].points", "1"),
        ("version: 1", "version: ১", "version", "1"),
    ],
)
def test_a_number_in_other_digits_is_refused_with_the_fix(old, new, path, written):
    text = (DATA / "valid_base.yaml").read_text("utf-8")
    assert old in text
    with pytest.raises(DefinitionError) as caught:
        load_text(text.replace(old, new, 1), "digits.yaml")
    [problem] = caught.value.problems
    assert problem.path == path
    assert problem.message == f"'{new.split()[1]}' is written with digits other than 0-9"
    assert problem.hint == f"write it with the digits 0-9: {written}"


def test_a_test_answer_in_other_digits_is_refused():
    text = (DATA / "mood.yaml").read_text("utf-8")
    broken = text.replace("answers: {age: 30,", 'answers: {age: "৩০",', 1)
    assert broken != text
    with pytest.raises(DefinitionError) as caught:
        load_text(broken, "mood.yaml")
    [problem] = caught.value.problems
    assert problem.path.endswith(".answers.age")
    assert problem.message == "the answer '৩০' is written with digits other than 0-9"
    assert problem.hint == "write it with the digits 0-9: 30"


# -- links patients are shown go to web pages only -------------------------------------------

HOSTILE_LINKS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(1)",
    "java\\tscript:alert(1)",  # YAML double quotes: a tab, which browsers drop
    "java\\nscript:alert(1)",
    "\\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/phish",
    "/\\\\evil.example/phish",  # a slash and a backslash: another site to a browser
    "https://nhs.uk@evil.example/",
    "https:evil.example",
    "mailto:someone@example.org",
    "www.nhs.uk",
]
SAFE_LINKS = [
    "https://www.nice.org.uk/guidance/ng12",
    "HTTP://111.nhs.uk",
    "/patient/gad7",
    "#crisis",
    "https://münchen.example/hilfe?x=1#top",
]


def _mood_with(source_url: str | None = None, redirect_url: str | None = None) -> str:
    text = (DATA / "mood.yaml").read_text("utf-8")
    if source_url is not None:
        text = text.replace("url: https://example.org/phq9", f'url: "{source_url}"', 1)
    if redirect_url is not None:
        text = text.replace(
            "redirect: {title: Talk to your child's doctor}",
            f'redirect: {{title: Talk to your child\'s doctor, url: "{redirect_url}"}}',
            1,
        )
    return text


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_source_link_that_is_not_a_web_page_is_refused(url):
    with pytest.raises(DefinitionError) as caught:
        load_text(_mood_with(source_url=url), "mood.yaml")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("mood.yaml", 12, "sources.phq.url")
    assert problem.message.endswith("is not a web address")
    assert "https://" in problem.hint


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_redirect_link_that_is_not_a_web_page_is_refused(url):
    with pytest.raises(DefinitionError) as caught:
        load_text(_mood_with(redirect_url=url), "mood.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.path) == (17, "eligibility[0].redirect.url")
    assert problem.message.endswith("is not a web address")


@pytest.mark.parametrize("url", SAFE_LINKS)
def test_web_links_are_accepted(url):
    questionnaire = load_text(_mood_with(source_url=url, redirect_url=url), "mood.yaml")
    assert questionnaire.definition.sources["phq"].url == url


def test_a_free_text_test_answer_may_hold_any_digits():
    text = (DATA / "mood.yaml").read_text("utf-8")
    changed = text.replace(
        'answers: {age: 30, smoker: never, q1: "0", q2: "1"}',
        'answers: {age: 30, smoker: never, q1: "0", q2: "1", notes: "২ সপ্তাহ"}',
        1,
    )
    assert changed != text
    assert load_text(changed, "mood.yaml").definition.tests[0].answers["notes"] == "২ সপ্তাহ"


def _unknown_ids(count: int, unknown: int | None = None) -> str:
    """A definition of ``count`` questions, the first ``unknown`` (default: all) shown only
    after an id that does not exist."""
    unknown = count if unknown is None else unknown
    sections = ""
    for s in range(count // 1000):
        questions = "".join(
            f"      - {{id: q{s}_{i}, type: yesno, text: Q?"
            + (f", show_if: unknown_{s}_{i}}}\n" if s * 1000 + i < unknown else "}\n")
            for i in range(1000)
        )
        sections += f"  - id: s{s}\n    title: S\n    questions:\n{questions}"
    return (
        "id: x\ntitle: X\ndescription: X\nversion: 1\ndisclaimer: D\n"
        "sources: {g: {title: G}}\nsections:\n" + sections
    )


def test_a_file_of_thousands_of_mistakes_is_refused_quickly():
    # Each unknown id is looked up among every id for a "did you mean": 5,000 took 30 s.
    started = time.perf_counter()
    with pytest.raises(DefinitionError) as caught:
        load_text(_unknown_ids(5000), "mistakes.yaml")
    assert time.perf_counter() - started < 10
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].message.startswith("unknown id 'unknown_0_0'")
    assert problems[-1].message == (
        f"more than {MAX_PROBLEMS} problems: the rest of the file was not checked"
    )


def test_fewer_mistakes_are_all_reported():
    with pytest.raises(DefinitionError) as caught:
        load_text(_unknown_ids(1000, unknown=100), "mistakes.yaml")
    assert len(caught.value.problems) == 100
