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


def test_unknown_questionnaire_and_route_are_json_404(client) -> None:  # noqa: ANN001
    assert client.post("/api/v1/questionnaires/nope/score", json={}).json["error"] == "not_found"
    assert client.get("/api/v1/nothing").status_code == 404


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
