"""The riskcheck console script, through click's CliRunner."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pypdf
import pytest
from click.testing import CliRunner

from riskcheck import __version__, cli, loader
from riskcheck.yamlsource import read_yaml
from tests.conftest import DATA

MOOD = DATA / "mood.yaml"
SYMPTOMS = Path(__file__).resolve().parents[1] / "questionnaires" / "symptom-check.yaml"
CODE = "7KQ2M9XD0000111122223333AB"
UNUSED_SYMPTOMS = "question 'symptoms' is not used by any rule, scale, computed value or condition"
BROKEN = DATA / "broken"
#: file:line: [warning: ]path: message (hint: ...)
PROBLEM_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): (?P<warning>warning: )?"
    r"(?:(?P<path>[\w.\[\]]+): )?(?P<message>.+?)(?: \(hint: (?P<hint>.+)\))?$"
)


@pytest.fixture
def run():
    def invoke(*args: str, input: str | None = None):  # noqa: A002 - click's own name
        return CliRunner().invoke(cli.main, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A questionnaires/ folder holding mood.yaml, used wherever the CLI looks for shipped ones."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(MOOD, folder / "mood.yaml")
    monkeypatch.setattr(cli, "SHIPPED_DIR", folder)
    monkeypatch.setattr(loader.find_questionnaire, "__defaults__", (folder,))
    monkeypatch.setattr(loader.shipped_paths, "__defaults__", (folder,))
    return folder


@pytest.fixture
def answers(tmp_path: Path):
    def write(data: object, name: str = "answers.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return path

    return write


# -- validate -----------------------------------------------------------------------------------


def test_validate_a_valid_file_with_warnings(run):
    result = run("validate", MOOD)
    assert result.exit_code == 0
    *problems, summary = result.stdout.splitlines()
    assert len(problems) == 2
    parsed = [PROBLEM_LINE.match(line).groupdict() for line in problems]
    assert parsed[0] == {
        "file": str(MOOD),
        "line": "62",
        "warning": "warning: ",
        "path": "sections[1].questions[3]",
        "message": UNUSED_SYMPTOMS,
        "hint": "use it, or mark it 'informational: true' if it is asked for the record",
    }
    assert (parsed[1]["line"], parsed[1]["path"]) == ("93", "rules[1]")
    assert summary == (
        "1 file(s): all valid; 0 error(s), 2 warning(s); definition tests: 3/3 passed"
    )


def test_validate_strict_fails_on_warnings(run):
    result = run("validate", "--strict", MOOD)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "1 file(s): 1 invalid; 0 error(s), 2 warning(s) (strict); definition tests: 3/3 passed"
    )


def test_validate_a_broken_file(run):
    file = BROKEN / "unknown_id_in_show_if.yaml"
    result = run("validate", file)
    assert result.exit_code == 1
    line, summary = result.stdout.splitlines()
    assert line == (
        f"{file}:24: sections[0].questions[2].show_if: unknown id 'smokes' (column 1): "
        "smokes == 'current' (hint: did you mean 'smoker'?)"
    )
    assert PROBLEM_LINE.match(line)["warning"] is None
    assert summary.startswith("1 file(s): 1 invalid; 1 error(s), 0 warning(s)")


def test_validate_a_yaml_error_has_no_path(run):
    result = run("validate", BROKEN / "bad_yaml.yaml")
    first = PROBLEM_LINE.match(result.stdout.splitlines()[0])
    assert (first["line"], first["path"]) == ("23", None)
    assert first["message"].startswith("YAML syntax error")


def test_validate_a_failing_definition_test(run, tmp_path):
    file = tmp_path / "mood.yaml"
    file.write_text(
        MOOD.read_text().replace(
            "expect: {urgency: routine, bands: {total: low}",
            "expect: {urgency: soon, bands: {total: low}",
        )
    )
    result = run("validate", file)
    assert result.exit_code == 1
    assert (
        f"{file}:109: tests[0]: test 'low mood' failed: expected urgency soon, got routine "
        "(hint: fix the rule or band, or the expectation if the guideline changed)"
    ) in result.stdout
    assert "definition tests: 2/3 passed" in result.stdout


def test_validate_a_folder_and_files_together(run, tmp_path):
    for name in ("mood.yaml", "broken/bad_id.yaml", "broken/unknown_source.yaml"):
        shutil.copy(DATA / name, tmp_path / Path(name).name)
    result = run("validate", tmp_path, MOOD)
    assert result.exit_code == 1
    summary = result.stdout.splitlines()[-1]
    assert summary == (
        "4 file(s): 2 invalid; 2 error(s), 4 warning(s); definition tests: 6/6 passed"
    )
    errors = [PROBLEM_LINE.match(line) for line in result.stdout.splitlines()[:-1]]
    assert [Path(m["file"]).name for m in errors if not m["warning"]] == [
        "bad_id.yaml",
        "unknown_source.yaml",
    ]


def test_validate_defaults_to_the_shipped_folder(run, shelf):
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(str(shelf / "mood.yaml"))


def test_validate_an_empty_folder_fails(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path}: no .yaml files here\n"


def test_validate_a_missing_file(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{tmp_path / 'nope.yaml'}: cannot read the file")


def test_validate_json(run):
    result = run("validate", "--json", MOOD, BROKEN / "bad_band_bounds.yaml")
    assert result.exit_code == 1
    good, bad = json.loads(result.stdout)
    assert (good["file"], good["valid"]) == (str(MOOD), True)
    assert [p["severity"] for p in good["problems"]] == ["warning", "warning"]
    assert good["problems"][0] == {
        "file": str(MOOD),
        "line": 62,
        "path": "sections[1].questions[3]",
        "message": UNUSED_SYMPTOMS,
        "hint": "use it, or mark it 'informational: true' if it is asked for the record",
        "severity": "warning",
    }
    assert good["tests"] == [
        {"name": n, "passed": True, "failures": []} for n in ("low mood", "crisis", "child")
    ]
    assert bad["valid"] is False
    assert [(p["line"], p["path"]) for p in bad["problems"]] == [(34, "scales[0].bands[1]")]


def test_validate_json_strict(run):
    (report,) = json.loads(run("validate", "--json", "--strict", MOOD).stdout)
    assert report["valid"] is False


# -- score ----------------------------------------------------------------------------------------


def test_score_prints_the_result_as_json(run, answers):
    path = answers({"age": 30, "smoker": "never", "q1": "3", "q2": "3", "crisis": True})
    result = run("score", MOOD, path, "--today", "2026-01-15")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["questionnaire"], data["version"], data["urgency"]) == ("mood", 2, "emergency")
    assert (data["scores"], data["bands"], data["flags"]) == (
        {"total": 6},
        {"total": "high"},
        ["crisis"],
    )
    assert [r["id"] for r in data["recommendations"]] == ["emergency", "see_gp"]
    assert data["assessed_on"] == "2026-01-15"
    assert result.stderr == ""


def test_score_reads_stdin_and_keeps_non_ascii(run):
    answers = {"age": 30, "smoker": "never", "q1": "0", "q2": "0", "notes": "ça va 😊"}
    result = run("score", MOOD, "-", input=json.dumps(answers))
    assert result.exit_code == 0, result.output
    assert "ça va 😊" in result.stdout
    assert json.loads(result.stdout)["answers"][-1]["answer"] == "ça va 😊"


def test_score_a_shipped_questionnaire_by_id(run, answers, shelf):
    result = run("score", "mood", answers({"age": 30, "smoker": "never", "q1": "0", "q2": "0"}))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["urgency"] == "routine"


def test_score_invalid_answers_names_each_question(run, answers):
    path = answers({"age": 300, "smoker": "never", "q1": "0"})
    result = run("score", MOOD, path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: age: Enter a number no more than 120 years.",
        f"{path}: q2: Select an answer.",
    ]


def test_score_invalid_answers_from_stdin(run):
    result = run("score", MOOD, "-", input='{"agee": 30}')
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "<stdin>: agee: There is no question 'agee' in this questionnaire. Did you mean 'age'?"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("\xff\xfe", "not valid JSON"),
        ("[1, 2]", "expected a JSON object of question id -> answer"),
        ('"age"', "expected a JSON object"),
    ],
)
def test_score_refuses_what_is_not_a_json_object(run, answers, text, message):
    path = answers(text)
    result = run("score", MOOD, path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: {message}")
    assert result.stdout == ""


def test_score_refuses_more_than_1_mb(run, answers):
    path = answers('{"notes": "' + "x" * cli.MAX_ANSWERS_BYTES + '"}')
    result = run("score", MOOD, path)
    assert result.exit_code == 1
    assert result.stderr == f"{path}: larger than 1 MB\n"


def test_score_an_unknown_questionnaire_suggests_one(run, answers, shelf):
    result = run("score", "mod", answers({}))
    assert result.exit_code == 1
    assert result.stderr == "mod: no such questionnaire (hint: did you mean 'mood'?)\n"


def test_score_a_broken_definition(run, answers):
    result = run("score", BROKEN / "bad_id.yaml", answers({}))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{BROKEN / 'bad_id.yaml'}:14: sections[0].questions[1].id:")


def test_score_a_missing_answers_file(run, tmp_path):
    result = run("score", MOOD, tmp_path / "nope.json")
    assert result.exit_code == 2  # click's usage error
    assert "'ANSWERS'" in result.stderr
    assert "No such file or directory" in result.stderr


# -- list, schema, version ------------------------------------------------------------------------


def test_list(run, shelf):
    (shelf / "zz-broken.yaml").write_text("id: [\n")
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "id         version  title",
        "mood             2  Mood check",
        "zz-broken        -  (invalid: run riskcheck validate)",
    ]


def test_list_json(run, shelf):
    rows = json.loads(run("list", "--json").stdout)
    assert rows == [{"id": "mood", "version": 2, "title": "Mood check", "minutes": 2}]


def test_list_nothing(run, shelf):
    (shelf / "mood.yaml").unlink()
    result = run("list")
    assert (result.exit_code, result.stdout) == (0, "id  version  title\n")


@pytest.fixture(scope="module")
def exported_schema() -> dict:
    result = CliRunner().invoke(cli.main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_json_schema_with_defs(exported_schema):
    assert exported_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"Section", "Rule", "Band", "YesNoQuestion", "TextQuestion"} <= set(
        exported_schema["$defs"]
    )
    assert {"id", "title", "sections", "sources"} <= set(exported_schema["required"])
    jsonschema.Draft202012Validator.check_schema(exported_schema)


def test_mood_validates_against_the_exported_schema(exported_schema):
    jsonschema.validate(read_yaml(MOOD.read_text()).data, exported_schema)


@pytest.mark.parametrize(
    "name", ["missing_field", "unknown_field", "bad_id", "unknown_question_type"]
)
def test_a_broken_definition_does_not_validate_against_the_schema(exported_schema, name):
    data = read_yaml((BROKEN / f"{name}.yaml").read_text()).data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, exported_schema)


def test_schema_to_a_file(run, tmp_path, exported_schema):
    target = tmp_path / "schema.json"
    assert run("schema", "-o", target).exit_code == 0
    assert json.loads(target.read_text()) == exported_schema


# -- pdf ------------------------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_pdf_of_a_2000_character_answer(run, answers, tmp_path):
    # ~1,900 characters in other_symptoms raised ReportLab's LayoutError (a row taller than a page)
    long = ("It started in spring and it comes back every evening after I eat. " * 40)[:2000]
    path = answers({"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": long})
    out = tmp_path / "summary.pdf"
    result = run("pdf", SYMPTOMS, path, "-o", out, "--reference", CODE)
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    assert len(pages) >= 2
    assert all("7KQ2-M9XD-0000-1111-2222-3333-AB" in page for page in pages)
    assert "It started in spring" in "".join(pages)


def test_pdf_prints_a_date_of_birth_in_words(run, answers, tmp_path):
    out = tmp_path / "summary.pdf"
    path = answers({"age": 30, "smoker": "never", "q1": "0", "q2": "0"})
    result = run("pdf", MOOD, path, "-o", out, "--birth-date", "1965-04-02")
    assert result.exit_code == 0, result.output
    assert "Date of birth: Apr 2, 1965" in pdf_pages(out)[0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2090", "Enter the date of birth as a real date, for example 1965-04-02."),
        ("yesterday", "Enter the date of birth as a real date, for example 1965-04-02."),
        ("2090-01-01", "The date of birth cannot be in the future."),
    ],
)
def test_pdf_refuses_a_birth_date_that_is_not_one(run, answers, tmp_path, typed, message):
    # It printed whatever was typed ("31/02/2090", "yesterday").
    out = tmp_path / "summary.pdf"
    path = answers({"age": 30, "smoker": "never", "q1": "0", "q2": "0"})
    result = run("pdf", MOOD, path, "-o", out, "--birth-date", typed)
    assert result.exit_code == 2
    assert "Invalid value for '--birth-date'" in result.stderr
    assert message in result.stderr
    assert not out.exists()


def test_version(run):
    result = run("--version")
    assert result.stdout == f"riskcheck, version {__version__}\n"


def test_pdf_prints_the_emergency_numbers_of_the_region_asked(run, answers, tmp_path):
    out = tmp_path / "summary.pdf"
    path = answers({"age": 30, "smoker": "never", "q1": "3", "q2": "3", "crisis": True})
    result = run("pdf", MOOD, path, "-o", out, "--region", "us")
    assert result.exit_code == 0, result.output
    first = pdf_pages(out)[0]
    assert "988" in first
    assert "999" not in first
    bad = run("pdf", MOOD, path, "-o", out, "--region", "FR")
    assert bad.exit_code == 2
    assert "no region 'FR'" in bad.stderr
