"""The JSON API: status codes, error shapes, the same Result as the core."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from riskcheck.loader import load_questionnaire
from riskcheck.scoring import score
from tests.web.conftest import DATA

GOOD = {"age": 40, "smoker": "never", "q1": "3", "q2": "3", "crisis": False}


def test_list_and_read(client) -> None:  # noqa: ANN001
    listed = client.get("/api/v1/questionnaires").json
    assert [q["id"] for q in listed] == ["mood"]
    assert listed[0]["version"] == 1  # the database numbers versions: the first import is 1
    definition = client.get("/api/v1/questionnaires/mood").json
    assert definition["sections"][0]["questions"][0]["id"] == "age"
    assert "tests" not in definition


def test_score_gives_the_same_result_as_the_core(client) -> None:  # noqa: ANN001
    response = client.post("/api/v1/questionnaires/mood/score?today=2026-01-15", json=GOOD)
    assert response.status_code == 200
    expected = score(
        load_questionnaire(DATA / "mood.yaml"), GOOD, today=__import__("datetime").date(2026, 1, 15)
    ).to_dict()
    assert response.json == {**expected, "version": 1}  # the database's version number


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"json": {**GOOD, "q1": "9"}}, 400, "invalid_answers"),
        ({"json": [1, 2]}, 400, "bad_request"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
        (
            {"data": "age=4", "content_type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ({"data": "x" * 300_000, "content_type": "application/json"}, 413, "too_large"),
    ],
)
def test_errors_are_json_with_the_right_status(client, kwargs, status, error) -> None:  # noqa: ANN001
    response = client.post("/api/v1/questionnaires/mood/score", **kwargs)
    assert response.status_code == status
    assert response.json["error"] == error


def test_invalid_answers_name_each_question(client) -> None:  # noqa: ANN001
    response = client.post("/api/v1/questionnaires/mood/score", json={"age": 500, "agee": 3})
    errors = response.json["errors"]
    assert errors["age"].startswith("Enter a number no more than 120")
    assert "Did you mean 'age'?" in errors["agee"]
    assert errors["smoker"] == "Select an answer."


def test_unknown_questionnaire_is_json_404(client) -> None:  # noqa: ANN001
    response = client.post("/api/v1/questionnaires/nope/score", json={})
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no questionnaire 'nope'."}


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/questionnaires/mood/nothing", "/api/v2/x", "/api/", "/api"]
)
def test_every_unknown_route_under_api_is_json_404(client, path: str) -> None:  # noqa: ANN001
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json["error"] == "not_found"
    assert response.json["message"]


@pytest.mark.parametrize("path", ["/apiary", "/q/api/v1/nothing"])
def test_an_unknown_route_elsewhere_is_the_html_404(client, path: str) -> None:  # noqa: ANN001
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>Not Found</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/questionnaires", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "/api/v1/questionnaires/mood/score", {"POST", "OPTIONS"}),
        ("PUT", "/api/v1/questionnaires/mood/pdf", {"POST", "OPTIONS"}),
        ("POST", "/api/v1/openapi.json", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_a_method_not_allowed_is_json_405_with_allow(client, method, path, allow) -> None:  # noqa: ANN001
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.mimetype == "application/json"
    assert response.json["error"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == allow


@pytest.mark.parametrize(
    "body",
    [
        '{"g1":' + "[" * 100_000,  # cut off
        '{"g1":' + "[" * 100_000 + "]" * 100_000 + "}",  # well-formed
        '{"g1":' + '{"a":' * 30_000 + "1" + "}" * 30_000 + "}",
        "[" * 200_000,
    ],
    ids=["open", "closed", "objects", "bare"],
)
def test_deeply_nested_json_is_a_clean_400(client, body: str) -> None:  # noqa: ANN001
    for operation in ("score", "pdf"):
        response = client.post(
            f"/api/v1/questionnaires/mood/{operation}", data=body, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json["error"] == "bad_request"


@pytest.mark.parametrize("depth", [1, 9])
def test_a_nested_answer_within_the_limit_is_refused_by_question(client, depth: int) -> None:  # noqa: ANN001
    nested = "[" * depth + '"3"' + "]" * depth
    body = f'{{"age": 40, "smoker": "never", "q1": {nested}, "q2": "3", "crisis": false}}'
    response = client.post(
        "/api/v1/questionnaires/mood/score", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json["error"] == "invalid_answers"
    assert list(response.json["errors"]) == ["q1"]


@pytest.mark.parametrize("depth", [10, 500, 950, 5_000])
def test_nesting_beyond_the_limit_is_refused_the_same_at_any_depth(client, depth: int) -> None:  # noqa: ANN001
    # 950 parses or not depending on how deep the stack already is: the answer must not
    nested = "[" * depth + '"3"' + "]" * depth
    body = f'{{"age": 40, "smoker": "never", "q1": {nested}, "q2": "3", "crisis": false}}'
    response = client.post(
        "/api/v1/questionnaires/mood/score", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json == {
        "error": "bad_request",
        "message": "The body is nested more than 10 deep.",
    }


def test_pdf(client) -> None:  # noqa: ANN001
    response = client.post("/api/v1/questionnaires/mood/pdf", json=GOOD)
    assert response.mimetype == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "See your GP" in text


def test_openapi_describes_every_api_route(app, client) -> None:  # noqa: ANN001
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    described = {  # score and PDF are described once per published questionnaire
        re.sub(r"/(mood|{questionnaire_id})(/|$)", r"/<questionnaire_id>\2", path)
        for path in document["paths"]
    }
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes - {"/api/v1/openapi.json"} == described
