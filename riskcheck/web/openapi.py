"""The OpenAPI 3.1 description of the JSON API, generated from the same models as the code."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from riskcheck.model import Definition
from riskcheck.result import Result

_REF = "#/components/schemas/{model}"


def _schemas() -> dict[str, Any]:
    definition = Definition.model_json_schema(ref_template=_REF)
    result = TypeAdapter(Result).json_schema(ref_template=_REF)
    schemas: dict[str, Any] = {**definition.pop("$defs", {}), **result.pop("$defs", {})}
    result["properties"]["scores"] = {
        "type": "object",
        "additionalProperties": {"type": ["number", "null"]},
        "description": "scale id -> value (null when not scored)",
    }
    result["properties"]["bands"] = {
        "type": "object",
        "additionalProperties": {"type": ["string", "null"]},
        "description": "scale id -> band id",
    }
    schemas["Definition"] = definition
    schemas["Result"] = result
    schemas["Answers"] = {
        "type": "object",
        "description": "question id -> answer: yes/no true|false, single choice the option value, "
        "multiple choice a list of option values, numbers, dates as YYYY-MM-DD, text",
        "additionalProperties": True,
    }
    schemas["Error"] = {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "question id -> what is wrong with its answer",
            },
        },
    }
    return schemas


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


@cache
def openapi_document(version: str) -> dict[str, Any]:
    """The OpenAPI document."""
    path_id = {
        "name": "questionnaire_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    today = {
        "name": "today",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "date"},
        "description": "assess as of this day (ages from dates of birth); default today",
    }
    answers_body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answers"}}},
    }
    scoring_errors = {
        "400": _error("invalid answers (one message per question id) or body"),
        "404": _error("no such questionnaire"),
        "413": _error("body too large"),
        "415": _error("body is not JSON"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "riskcheck API",
            "version": version,
            "description": "Score answers to riskcheck questionnaires. Stateless: nothing is kept.",
        },
        "paths": {
            "/api/v1/questionnaires": {
                "get": {
                    "operationId": "listQuestionnaires",
                    "summary": "The questionnaires served",
                    "responses": {
                        "200": {
                            "description": "id, version, title, description of each",
                            "content": {"application/json": {"schema": {"type": "array"}}},
                        }
                    },
                }
            },
            "/api/v1/questionnaires/{questionnaire_id}": {
                "get": {
                    "operationId": "getQuestionnaire",
                    "summary": "A questionnaire definition",
                    "parameters": [path_id],
                    "responses": {
                        "200": {
                            "description": "the definition",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Definition"}
                                }
                            },
                        },
                        "404": _error("no such questionnaire"),
                    },
                }
            },
            "/api/v1/questionnaires/{questionnaire_id}/score": {
                "post": {
                    "operationId": "scoreAnswers",
                    "summary": "Score answers",
                    "parameters": [path_id, today],
                    "requestBody": answers_body,
                    "responses": {
                        "200": {
                            "description": "the result",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Result"}
                                }
                            },
                        },
                        **scoring_errors,
                    },
                }
            },
            "/api/v1/questionnaires/{questionnaire_id}/pdf": {
                "post": {
                    "operationId": "summaryPdf",
                    "summary": "The PDF summary for answers",
                    "parameters": [path_id, today],
                    "requestBody": answers_body,
                    "responses": {
                        "200": {
                            "description": "the PDF",
                            "content": {
                                "application/pdf": {
                                    "schema": {"type": "string", "format": "binary"}
                                }
                            },
                        },
                        **scoring_errors,
                    },
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
