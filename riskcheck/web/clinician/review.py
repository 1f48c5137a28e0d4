"""Clinical review of one questionnaire version: its logic in plain words (page and PDF), and
its stored responses as CSV for tuning thresholds (publishers; audited)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import abort, render_template
from werkzeug.wrappers import Response

from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import format_number
from riskcheck.storage.tables import QuestionnaireVersion
from riskcheck.storage.tables import Response as StoredResponse
from riskcheck.web.clinician import bp, requires
from riskcheck.web.clinician.auth import audit, store
from riskcheck.web.clinician.views import catalogue
from riskcheck.web.patient.views import pdf_response


def _version(questionnaire_id: str, version: int) -> tuple[QuestionnaireVersion, Questionnaire]:
    """The stored version and its compiled questionnaire; 404 when there is none."""
    row = store().versions.get(questionnaire_id, version)
    if row is None:
        abort(404)
    served = catalogue().by_row(row.id)
    if served is None:
        abort(404, "This version has errors, so its logic cannot be shown. Open it in the editor.")
    return row, served.questionnaire


@bp.get("/q/<questionnaire_id>/v<int:version>/logic")
def logic(questionnaire_id: str, version: int) -> str:
    """Every condition, scale, rule and recommendation of a version, in plain words."""
    # Imported here: patient-serving workers never need it (1.7 MB each).
    from riskcheck.report.logic import HOW_TO_READ, build_logic_summary

    row, questionnaire = _version(questionnaire_id, version)
    return render_template(
        "clinician/logic.html",
        summary=build_logic_summary(questionnaire),
        row=row,
        how_to_read=HOW_TO_READ,
    )


@bp.get("/q/<questionnaire_id>/v<int:version>/logic.pdf")
def logic_pdf(questionnaire_id: str, version: int) -> Response:
    """The logic summary as a PDF, for review away from the screen."""
    from riskcheck.report.logic import build_logic_summary, render_logic_pdf

    _, questionnaire = _version(questionnaire_id, version)
    pdf = render_logic_pdf(build_logic_summary(questionnaire))
    return pdf_response(pdf, f"{questionnaire_id}-v{version}-logic.pdf")


@bp.get("/q/<questionnaire_id>/v<int:version>/responses.csv")
@requires("publisher")
def responses_csv(questionnaire_id: str, version: int) -> Response:
    """The responses to a version as CSV, without reference codes (they open a summary)."""
    row, questionnaire = _version(questionnaire_id, version)
    responses = store().responses.for_version(row.id)
    audit("export_csv", f"{questionnaire_id} v{version}", responses=len(responses))
    response = Response(csv_lines(questionnaire, responses), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{questionnaire_id}-v{version}-responses.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# -- CSV --------------------------------------------------------------------------------------

#: A cell a spreadsheet could run as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: str) -> str:
    """``value``, with a leading ' when a spreadsheet would read it as a formula (numbers,
    including negative ones, are left as they are)."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_columns(q: Questionnaire) -> tuple[list[str], list[str], list[str], list[str]]:
    """Scale ids, flag ids, recommendation ids and question ids, as the CSV's columns.

    Free-text questions are left out: they are never scored, so they cannot help tune a
    threshold, and they are where a patient may have typed something that identifies them.
    """
    flags = [f for s in q.scales for b in s.bands for f in b.flags]
    flags += [f for rule, _ in q.rules for f in rule.flags]
    questions = [qid for qid, entry in q.questions.items() if entry.question.type != "text"]
    return [s.id for s in q.scales], list(dict.fromkeys(flags)), list(q.recommendations), questions


def csv_lines(q: Questionnaire, responses: Iterable[StoredResponse]) -> Iterator[str]:
    """The CSV, a line at a time: a header, then one row per response, oldest first."""
    scales, flags, recommendations, questions = csv_columns(q)
    header = ["created", "urgency", "ineligible"]
    header += [f"{kind}:{s}" for s in scales for kind in ("score", "band")]
    header += [f"flag:{f}" for f in flags]
    header += [f"recommendation:{r}" for r in recommendations]
    header += [f"answer:{qid}" for qid in questions]
    yield _line(header)
    for stored in responses:
        result: dict[str, Any] = json.loads(stored.result)
        answers: dict[str, Any] = json.loads(stored.answers)
        shown = {line["question"] for line in result.get("answers", [])}
        by_scale = {s["id"]: s for s in result.get("scales", [])}
        raised = set(result.get("flags", []))
        recommended = {r["id"] for r in result.get("recommendations", [])}
        row = [
            stored.created_at.date().isoformat(),
            result.get("urgency") or "",
            (result.get("ineligible") or {}).get("id", ""),
        ]
        for s in scales:
            scale = by_scale.get(s, {})
            row += [_answer(scale.get("value")), scale.get("band") or ""]
        row += ["1" if f in raised else "0" for f in flags]
        row += ["1" if r in recommended else "0" for r in recommendations]
        # Only what was asked: an answer left behind on a page later hidden was never scored.
        row += [_answer(answers.get(qid)) if qid in shown else "" for qid in questions]
        yield _line(row)


def _answer(value: Any) -> str:
    """A value in the JSON answer format, as one cell (a list joined with ';')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list):
        return ";".join(_answer(v) for v in value)
    return str(value)


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()
