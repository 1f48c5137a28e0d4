"""The OpenAPI 3.1 description of the JSON API, generated from the same models as the code.

Scoring and the PDF summary are described once per published questionnaire (a path, an
operation id and an answers schema each, e.g. ``scorePhq9`` taking ``Phq9Answers``), so a
client generated from this document has a typed method per questionnaire. The answers
schemas are the exact ones of ``riskcheck.answers_schema``; the responses are exact too
(closed objects, every field the API always sends required).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from riskcheck.answers_schema import DIALECT, answers_schema
from riskcheck.model import Definition
from riskcheck.questionnaire import Questionnaire
from riskcheck.result import Result
from riskcheck.urgency import URGENCIES

_REF = "#/components/schemas/{model}"
#: Documents built for the last few sets of published questionnaires.
_CACHE: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def schema_name(questionnaire_id: str) -> str:
    """``symptom-check`` -> ``SymptomCheck`` (for schema names and operation ids)."""
    return "".join(part[:1].upper() + part[1:] for part in questionnaire_id.split("-"))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _closed(schemas: dict[str, Any], names: Sequence[str]) -> None:
    """Responses hold every field of these dataclasses, and nothing else."""
    for name in names:
        schema = schemas[name]
        schema["additionalProperties"] = False
        schema["required"] = list(schema["properties"])


def _result_schemas() -> dict[str, Any]:
    result = TypeAdapter(Result).json_schema(ref_template=_REF, mode="serialization")
    schemas: dict[str, Any] = result.pop("$defs", {})
    urgency = {"enum": [*URGENCIES, None]}
    result["properties"]["urgency"] = urgency
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
    schemas["Result"] = result
    schemas["Interruption"]["properties"]["urgency"] = urgency
    schemas["ScaleResult"]["properties"]["urgency"] = urgency
    schemas["ScaleResult"]["properties"]["status"] = {"enum": ["scored", "prorated", "not_scored"]}
    schemas["RecommendationResult"]["properties"]["urgency"] = {"enum": list(URGENCIES)}
    schemas["Reason"]["properties"]["kind"] = {"enum": ["rule", "band"]}
    _closed(schemas, list(schemas))
    return schemas


def _schemas() -> dict[str, Any]:
    definition = Definition.model_json_schema(ref_template=_REF, mode="serialization")
    schemas: dict[str, Any] = {**definition.pop("$defs", {}), **_result_schemas()}
    del definition["properties"]["tests"]  # the API never sends a definition's tests
    schemas["Definition"] = definition
    schemas["QuestionnaireSummary"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "version", "title", "description", "language", "estimated_minutes"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "language": {"type": "string"},
            "estimated_minutes": {"type": ["integer", "null"]},
        },
    }
    schemas["AnswersSchema"] = {
        "type": "object",
        "description": "a JSON Schema (draft 2020-12) of one questionnaire's answers",
        "required": ["$schema", "$id", "title", "type", "properties", "additionalProperties"],
        "properties": {
            "$schema": {"const": DIALECT},
            "$id": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "type": {"const": "object"},
            "properties": {"type": "object", "additionalProperties": {"type": "object"}},
            "additionalProperties": {"const": False},
        },
    }
    schemas["Error"] = {
        "type": "object",
        "additionalProperties": False,
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
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


_PATH_ID = {
    "name": "questionnaire_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
}
_TODAY = {
    "name": "today",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "format": "date"},
    "description": "assess as of this day (ages from dates of birth); default today",
}
_SCORING_ERRORS = {
    "400": _error("invalid answers (one message per question id) or body"),
    "404": _error("the questionnaire is no longer published"),
    "413": _error("body too large"),
    "415": _error("body is not JSON"),
}


def _scoring_paths(questionnaire: Questionnaire) -> dict[str, Any]:
    """The score and PDF operations of one questionnaire, typed by its answers schema."""
    name = schema_name(questionnaire.id)
    body = {
        "required": True,
        "content": {"application/json": {"schema": _ref(f"{name}Answers")}},
    }
    base = f"/api/v1/questionnaires/{questionnaire.id}"
    common = {"tags": [questionnaire.id], "parameters": [_TODAY], "requestBody": body}
    return {
        f"{base}/score": {
            "post": {
                "operationId": f"score{name}",
                "summary": f"Score answers to {questionnaire.title}",
                **common,
                "responses": {
                    "200": {
                        "description": "the result",
                        "content": {"application/json": {"schema": _ref("Result")}},
                    },
                    **_SCORING_ERRORS,
                },
            }
        },
        f"{base}/pdf": {
            "post": {
                "operationId": f"summaryPdf{name}",
                "summary": f"The PDF summary of answers to {questionnaire.title}",
                **common,
                "responses": {
                    "200": {
                        "description": "the PDF",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    **_SCORING_ERRORS,
                },
            }
        },
    }


def _fixed_paths() -> dict[str, Any]:
    return {
        "/api/v1/questionnaires": {
            "get": {
                "operationId": "listQuestionnaires",
                "summary": "The questionnaires served",
                "responses": {
                    "200": {
                        "description": "id, version, title, description of each",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": _ref("QuestionnaireSummary")}
                            }
                        },
                    }
                },
            }
        },
        "/api/v1/questionnaires/{questionnaire_id}": {
            "get": {
                "operationId": "getQuestionnaire",
                "summary": "A questionnaire definition",
                "parameters": [_PATH_ID],
                "responses": {
                    "200": {
                        "description": "the definition",
                        "content": {"application/json": {"schema": _ref("Definition")}},
                    },
                    "404": _error("no such questionnaire"),
                },
            }
        },
        "/api/v1/questionnaires/{questionnaire_id}/answers.schema.json": {
            "get": {
                "operationId": "getAnswersSchema",
                "summary": "The JSON Schema (draft 2020-12) of a questionnaire's answers",
                "parameters": [_PATH_ID],
                "responses": {
                    "200": {
                        "description": "the schema the score and PDF operations check",
                        "content": {"application/schema+json": {"schema": _ref("AnswersSchema")}},
                    },
                    "404": _error("no such questionnaire"),
                },
            }
        },
    }


def openapi_document(version: str, questionnaires: Sequence[Questionnaire]) -> dict[str, Any]:
    """The OpenAPI document, with the score and PDF operations of ``questionnaires``."""
    key = (version, *((q.id, q.version, q.sha256) for q in questionnaires))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    document = _build(version, questionnaires)
    with _LOCK:
        _CACHE[key] = document
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return document


def _build(version: str, questionnaires: Sequence[Questionnaire]) -> dict[str, Any]:
    schemas = _schemas()
    paths = _fixed_paths()
    for questionnaire in questionnaires:
        answers = answers_schema(questionnaire)
        del answers["$schema"]  # OpenAPI 3.1 schemas are draft 2020-12 already
        schemas[f"{schema_name(questionnaire.id)}Answers"] = answers
        paths.update(_scoring_paths(questionnaire))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "riskcheck API",
            "version": version,
            "description": "Score answers to riskcheck questionnaires. Stateless: nothing is "
            "kept. Each published questionnaire has its own score and PDF operations; its "
            "answers schema is also served at "
            "/api/v1/questionnaires/{questionnaire_id}/answers.schema.json.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
