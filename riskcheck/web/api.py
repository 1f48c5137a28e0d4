"""The stateless JSON API (``/api/v1``): list, read, score and summarise questionnaires.

Errors are JSON: ``{"error": code, "message": text, "errors": {question_id: message}}``
with status 400 (bad answers or body, or a body nested too deep), 404 (unknown questionnaire
or route), 405 (with ``Allow``), 413 (body too large) or 415 (not JSON). The OpenAPI
description is served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from riskcheck import __version__
from riskcheck.answers_schema import answers_schema, check_json_answers
from riskcheck.errors import AnswerError
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.report.content import build_report
from riskcheck.report.pdf import render_pdf
from riskcheck.result import Result
from riskcheck.scoring import score
from riskcheck.web.catalogue import current_catalogue as _catalogue
from riskcheck.web.errors import json_error
from riskcheck.web.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Answers for the largest questionnaire fit easily; anything larger is refused with 413.
MAX_BODY = 256 * 1024
#: Answers are an object of values and lists of option codes (two levels): deeper is refused,
#: the same at any depth, whether or not the JSON parser's stack would have coped.
MAX_DEPTH = 10
#: The ``today`` query parameter: an RFC 3339 full-date, ASCII digits only.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ApiError(Exception):
    """An error answered as JSON."""

    def __init__(self, status: int, code: str, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or {}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": error.code, "message": error.message}
    if error.errors:
        body["errors"] = error.errors
    return jsonify(body), error.status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return json_error(error)


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    served = _catalogue().published(questionnaire_id)
    if served is None:
        raise ApiError(404, "not_found", f"There is no questionnaire '{questionnaire_id}'.")
    return served.questionnaire


def _answers() -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "too_large", f"The body is larger than {MAX_BODY // 1024} kB.")
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the answers as application/json.")
    try:
        data = request.get_json(silent=True)
        too_deep = is_nested_deeper(data, MAX_DEPTH)
    except RecursionError:  # deeper than the JSON parser's stack allows
        too_deep = True
    if too_deep:
        raise ApiError(400, "bad_request", f"The body is nested more than {MAX_DEPTH} deep.")
    if not isinstance(data, dict):
        raise ApiError(
            400, "bad_request", "The body must be a JSON object of question id -> answer."
        )
    return data


def is_nested_deeper(value: object, limit: int) -> bool:
    """Whether ``value`` holds lists or objects more than ``limit`` levels deep (a loop, not
    recursion: the depth is the attacker's choice)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend(
                (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
            )
    return False


def _today() -> datetime.date | None:
    text = request.args.get("today")
    if text is None:
        return None
    try:
        # Exactly YYYY-MM-DD, as the OpenAPI document says (fromisoformat also takes
        # 20260115 and 2026-W03-4); an empty value is no date either.
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, "bad_request", "today must be a date written YYYY-MM-DD.") from None


def _score(questionnaire: Questionnaire) -> Result:
    answers, today = _answers(), _today()
    # JSON answers have their JSON type, and are valid even where not shown: exactly what
    # the answers schema (answers.schema.json, the OpenAPI document) says.
    problems = check_json_answers(questionnaire, answers, today)
    try:
        result = score(questionnaire, answers, today=today)
    except AnswerError as exc:
        problems = [*exc.problems, *problems]
    if problems:
        raise ApiError(
            400,
            "invalid_answers",
            "Some answers are not valid.",
            AnswerError(problems).by_question(),
        )
    return result


@bp.get("/questionnaires")
def list_questionnaires() -> Response:
    """Every questionnaire served, with its version."""
    return jsonify(
        [
            {
                "id": q.id,
                "version": q.version,
                "title": q.title,
                "description": q.definition.description,
                "language": q.definition.language,
                "estimated_minutes": q.definition.estimated_minutes,
            }
            for q in (served.questionnaire for served in _catalogue().all())
        ]
    )


@bp.get("/questionnaires/<questionnaire_id>")
def get_questionnaire(questionnaire_id: str) -> Response:
    """The definition, as JSON (the same fields as the YAML file)."""
    return jsonify(
        _questionnaire(questionnaire_id).definition.model_dump(mode="json", exclude={"tests"})
    )


@bp.post("/questionnaires/<questionnaire_id>/score")
def score_answers(questionnaire_id: str) -> Response:
    """Answers JSON -> Result JSON."""
    return jsonify(_score(_questionnaire(questionnaire_id)).to_dict())


@bp.post("/questionnaires/<questionnaire_id>/pdf")
def summary_pdf(questionnaire_id: str) -> Response:
    """Answers JSON -> the patient's PDF summary."""
    questionnaire = _questionnaire(questionnaire_id)
    report = build_report(
        _score(questionnaire),
        reference=new_reference(),
        created=datetime.datetime.now(),
        regions=current_app.config["RISKCHECK_SETTINGS"].regions,
    )
    response = Response(render_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="riskcheck-{questionnaire.id}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/questionnaires/<questionnaire_id>/answers.schema.json")
def get_answers_schema(questionnaire_id: str) -> Response:
    """The JSON Schema (draft 2020-12) of the answers the score and PDF operations accept."""
    base_url = current_app.config["RISKCHECK_SETTINGS"].base_url
    schema = answers_schema(_questionnaire(questionnaire_id), base_url=base_url)
    response = jsonify(schema)
    response.mimetype = "application/schema+json"
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API, with the questionnaires published now."""
    published = tuple(served.questionnaire for served in _catalogue().all())
    return jsonify(openapi_document(__version__, published))
