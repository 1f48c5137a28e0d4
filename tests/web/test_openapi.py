"""The OpenAPI document and the answers schemas it is built from: served, exact, followed."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import OpenAPIV31SpecValidator

from riskcheck.answers_schema import answers_schema
from riskcheck.loader import SHIPPED_DIR, load_questionnaire
from riskcheck.web.openapi import openapi_document, schema_name
from tests.web.conftest import DATA

GOOD = {"age": 40, "smoker": "never", "q1": "3", "q2": "3", "crisis": False}


def component(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """A validator for ``#/components/schemas/<name>`` (its references resolve in the document)."""
    root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(root)


def test_the_answers_schema_is_served_as_json_schema(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/questionnaires/mood/answers.schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    schema = response.get_json(force=True)
    jsonschema.Draft202012Validator.check_schema(schema)
    base_url = app.config["RISKCHECK_SETTINGS"].base_url
    expected = answers_schema(load_questionnaire(DATA / "mood.yaml"), base_url=base_url)
    # the version the database gave it (the file says 2)
    assert schema.pop("description").startswith("Answers to 'mood' version 1:")
    del expected["description"]
    assert schema == expected
    assert jsonschema.Draft202012Validator(schema).is_valid(GOOD)
    assert not jsonschema.Draft202012Validator(schema).is_valid({**GOOD, "crisis": "no"})


def test_the_answers_schema_response_is_described(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    schema = client.get("/api/v1/questionnaires/mood/answers.schema.json").get_json(force=True)
    assert list(component(document, "AnswersSchema").iter_errors(schema)) == []
    assert not component(document, "AnswersSchema").is_valid({**schema, "$schema": "draft-04"})


def test_an_unknown_answers_schema_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/questionnaires/nope/answers.schema.json")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_the_document_is_valid_openapi_3_1_with_every_shipped_questionnaire() -> None:
    shipped = [load_questionnaire(path) for path in sorted(SHIPPED_DIR.glob("*.yaml"))]
    document = openapi_document("1", shipped)
    assert list(OpenAPIV31SpecValidator(document).iter_errors()) == []
    for questionnaire in shipped:
        name = f"{schema_name(questionnaire.id)}Answers"
        jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"][name])


def test_score_and_pdf_are_typed_by_the_questionnaires_answers(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    for operation, operation_id in (("score", "scoreMood"), ("pdf", "summaryPdfMood")):
        post = document["paths"][f"/api/v1/questionnaires/mood/{operation}"]["post"]
        assert post["operationId"] == operation_id
        body = post["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/MoodAnswers"}
    answers = component(document, "MoodAnswers")
    assert answers.is_valid(GOOD)
    assert not answers.is_valid({**GOOD, "q1": "9"})
    assert not answers.is_valid({**GOOD, "agee": 3})
    # No operation takes "any object" as answers any more (Schemathesis's ST202).
    assert "Answers" not in document["components"]["schemas"]


def test_responses_match_their_exact_schemas(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    result = client.post("/api/v1/questionnaires/mood/score", json=GOOD).json
    assert list(component(document, "Result").iter_errors(result)) == []
    assert not component(document, "Result").is_valid({**result, "extra": 1})
    missing = {key: value for key, value in result.items() if key != "set_aside"}
    assert not component(document, "Result").is_valid(missing)
    listed = client.get("/api/v1/questionnaires").json
    assert all(component(document, "QuestionnaireSummary").is_valid(item) for item in listed)
    definition = client.get("/api/v1/questionnaires/mood").json
    assert list(component(document, "Definition").iter_errors(definition)) == []
    assert not component(document, "Definition").is_valid({**definition, "tests": []})
    error = client.post("/api/v1/questionnaires/mood/score", json={**GOOD, "q1": "9"}).json
    assert component(document, "Error").is_valid(error)


def test_the_document_follows_the_questionnaires_published() -> None:
    mood = load_questionnaire(DATA / "mood.yaml")
    phq9 = load_questionnaire(SHIPPED_DIR / "phq9.yaml")
    one = openapi_document("1", [mood])
    two = openapi_document("1", [mood, phq9])
    assert "/api/v1/questionnaires/phq9/score" not in one["paths"]
    assert "/api/v1/questionnaires/phq9/score" in two["paths"]
    assert "Phq9Answers" in two["components"]["schemas"]
    assert openapi_document("1", [mood]) is one  # built once per set of versions


@pytest.mark.parametrize(
    ("questionnaire_id", "name"), [("phq9", "Phq9"), ("symptom-check", "SymptomCheck")]
)
def test_schema_names_suit_generated_clients(questionnaire_id: str, name: str) -> None:
    assert schema_name(questionnaire_id) == name


@pytest.mark.parametrize(
    ("change", "question", "message"),
    [
        ({"crisis": "no"}, "crisis", "Answer true or false."),
        ({"age": "40"}, "age", "Answer with a number."),
        ({"q2": "0", "crisis": "maybe"}, "crisis", "Answer true or false."),  # not shown
        ({"symptoms": "headache"}, "symptoms", "Answer with a list of option values."),
    ],
)
def test_the_api_takes_answers_of_their_json_type(
    client: FlaskClient, change: dict[str, Any], question: str, message: str
) -> None:
    response = client.post("/api/v1/questionnaires/mood/score", json={**GOOD, **change})
    assert response.status_code == 400
    assert response.json["errors"][question] == message


@pytest.mark.parametrize("today", ["", "20260115", "2026-W03-4", "2026-1-5"])
def test_today_is_a_date_written_yyyy_mm_dd(client: FlaskClient, today: str) -> None:
    response = client.post(f"/api/v1/questionnaires/mood/score?today={today}", json=GOOD)
    assert response.status_code == 400
    assert response.json["message"] == "today must be a date written YYYY-MM-DD."
