"""Clinical review through the test client: the logic summary (page and PDF) and the CSV of
responses (publishers only, audited, without reference codes, safe in a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from riskcheck.reference import format_reference
from riskcheck.web.clinician.review import safe_cell
from tests.web.conftest import DATA, Patient
from tests.web.test_access import sign_in

HOSTILE = "<script>alert(1)</script> & <b>bold</b>"


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def rows_of(response) -> list[dict[str, str]]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(text_of(response))))


def test_an_editor_reads_the_logic_of_a_version(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "editor")
    page = text_of(client.get("/clinician/q/mood"))
    assert "/clinician/q/mood/v1/logic" in page
    assert "/clinician/q/mood/v1/responses.csv" not in page  # publishers only
    response = client.get("/clinician/q/mood/v1/logic")
    assert response.status_code == 200
    page = text_of(response)
    for expected in (
        "Logic summary: Mood check, version 1",
        "age is less than 18",  # eligibility, in plain words
        "<code>age &lt; 18</code>",  # and as written
        "q2 is &#39;3&#39;",  # a question's show_if
        "packs per day × years smoked",  # a computed value
        "3 to 6",  # a band
        "crisis_now",
        "heavy_smoker",
        "pack years is 20 or more, and age is 50 or more",
        "(from its recommendations)",
        "Kroenke K, Spitzer RL. The PHQ-9",  # each rule's source
        "band total.high, rule heavy_smoker",  # what uses a recommendation
        "What could be causing this?",
    ):
        assert expected in page, expected


def test_the_logic_page_escapes_what_clinicians_wrote(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "editor")
    hostile = (
        (DATA / "mood.yaml")
        .read_text()
        .replace(
            "reason: You said you are thinking of ending your life now.", f"reason: '{HOSTILE}'"
        )
    )
    assert (
        client.post("/clinician/q/mood/edit", data={"text": hostile, "base_lock": ""}).status_code
        == 302
    )
    page = text_of(client.get("/clinician/q/mood/v2/logic"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_logic_pdf_downloads(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "editor")
    response = client.get("/clinician/q/mood/v1/logic.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="mood-v1-logic.pdf"' in response.headers["Content-Disposition"]
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages]
    assert "Page 1 of" in pages[0]
    assert "crisis_now" in " ".join(pages)


@pytest.mark.parametrize(
    "url",
    [
        "/clinician/q/mood/v9/logic",
        "/clinician/q/none/v1/logic.pdf",
        "/clinician/q/mood/v9/responses.csv",
    ],
)
def test_a_version_that_does_not_exist_is_not_found(
    app: Flask, client: FlaskClient, url: str
) -> None:
    sign_in(app, client, "publisher")
    assert client.get(url).status_code == 404


def test_an_editor_cannot_export_responses(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "editor")
    assert client.get("/clinician/q/mood/v1/responses.csv").status_code == 403


def test_a_publisher_exports_responses_without_reference_codes(
    app: Flask, client: FlaskClient
) -> None:
    Patient(client).finish_low_mood()  # age 40, never smoked, q1 0, q2 1: total 1, band low
    store = app.extensions["riskcheck_store"]
    [stored] = store.responses.for_version(store.versions.get("mood", 1).id)
    sign_in(app, client, "publisher")
    response = client.get("/clinician/q/mood/v1/responses.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="mood-v1-responses.csv"' in response.headers["Content-Disposition"]
    assert response.is_streamed
    text = text_of(response)
    assert stored.reference not in text
    assert format_reference(stored.reference) not in text
    assert "reference" not in text.splitlines()[0]
    [row] = rows_of(response)
    assert row["created"] == stored.created_at.date().isoformat()
    assert (row["urgency"], row["ineligible"]) == ("routine", "")
    assert (row["score:total"], row["band:total"]) == ("1", "low")
    assert (row["flag:crisis"], row["flag:heavy_smoker"]) == ("0", "0")
    assert (row["recommendation:see_gp"], row["recommendation:emergency"]) == ("0", "0")
    assert (row["answer:age"], row["answer:smoker"], row["answer:q1"], row["answer:q2"]) == (
        "40",
        "never",
        "0",
        "1",
    )
    assert row["answer:packs_per_day"] == ""  # hidden: never asked
    assert "answer:notes" not in row  # free text: never scored, and may identify someone
    [entry] = [e for e in store.audit.entries() if e.action == "export_csv"]
    assert (entry.actor, entry.target) == ("publisher@example.org", "mood v1")


def test_formula_cells_are_neutralised(app: Flask, client: FlaskClient) -> None:
    Patient(client).finish_low_mood()
    store = app.extensions["riskcheck_store"]
    row_id = store.versions.get("mood", 1).id
    [stored] = store.responses.for_version(row_id)
    # A response whose stored answers were tampered with, or came from an older format.
    result = json.loads(stored.result)
    answers = {
        "age": '=HYPERLINK("http://x")',
        "smoker": "@SUM(A1)",
        "q1": ["+1", "-2+3"],
        "q2": -2,
    }
    store.responses.add(
        reference="A" * 26,
        version_row_id=row_id,
        questionnaire_id="mood",
        version=1,
        answers=answers,
        result=result,
    )
    sign_in(app, client, "publisher")
    tampered = rows_of(client.get("/clinician/q/mood/v1/responses.csv"))[1]
    assert tampered["answer:age"] == '\'=HYPERLINK("http://x")'
    assert tampered["answer:smoker"] == "'@SUM(A1)"
    assert tampered["answer:q1"] == "'+1;-2+3"
    assert tampered["answer:q2"] == "-2"  # a number stays a number


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        ("never", "never"),
        ("", ""),
    ],
)
def test_safe_cell(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe


# -- found by mutation testing -------------------------------------------------------------------


def store_response(app: Flask, reference: str, answers: dict, result: dict | None = None) -> None:
    """A response to mood v1 as the patient side stores it: the answers as given, and the
    result worked out from them (or ``result`` as given: an older or a minimal format)."""
    import datetime

    from riskcheck.answers import resolve
    from riskcheck.scoring import evaluate

    store = app.extensions["riskcheck_store"]
    row = store.versions.get("mood", 1)
    if result is None:
        q = app.extensions["riskcheck_catalogue"].by_row(row.id).questionnaire
        day = datetime.date(2026, 1, 5)
        result = evaluate(q, resolve(q, answers, today=day)).to_dict()
    store.responses.add(
        reference=reference,
        version_row_id=row.id,
        questionnaire_id="mood",
        version=1,
        answers=answers,
        result=result,
    )


def test_the_csv_has_a_cell_for_every_flag_recommendation_band_and_answer_given(
    app: Flask, client: FlaskClient
) -> None:
    # Given a patient in crisis who smokes heavily (every flag and recommendation), a child
    # (not eligible: no urgency, no score), a patient whose answers left behind a number on a
    # page later hidden and who said "no" to a yes/no question, and a response stored in a
    # minimal older format
    store_response(
        app,
        "A" * 26,
        {"age": 60, "smoker": "current", "packs_per_day": 1, "years_smoked": 30,
         "q1": "3", "q2": "3", "crisis": True, "symptoms": ["headache", "fatigue"]},
    )  # fmt: skip
    store_response(app, "B" * 26, {"age": 12, "smoker": "never", "q1": "0", "q2": "0"})
    store_response(
        app,
        "C" * 26,
        {"age": 40, "smoker": "never", "packs_per_day": 2, "q1": "0", "q2": "3", "crisis": False},
    )
    store_response(app, "D" * 26, {"age": 40}, {"urgency": "routine"})
    sign_in(app, client, "publisher")
    crisis, child, left_behind, minimal = rows_of(client.get("/clinician/q/mood/v1/responses.csv"))
    # Then each row says what the patient's result said
    assert crisis["urgency"] == "emergency"
    assert (crisis["score:total"], crisis["band:total"]) == ("6", "high")
    assert (crisis["flag:crisis"], crisis["flag:heavy_smoker"]) == ("1", "1")
    assert (crisis["recommendation:emergency"], crisis["recommendation:see_gp"]) == ("1", "1")
    assert (crisis["answer:crisis"], crisis["answer:symptoms"]) == ("true", "headache;fatigue")
    assert crisis["answer:packs_per_day"] == "1"
    assert (child["urgency"], child["ineligible"]) == ("", "under_18")
    assert (child["score:total"], child["band:total"], child["answer:symptoms"]) == ("", "", "")
    assert (left_behind["answer:crisis"], left_behind["answer:packs_per_day"]) == ("false", "")
    assert left_behind["answer:age"] == "40"
    # And a result without the usual lists gives empty cells rather than a cut-off download
    assert minimal == {
        **dict.fromkeys(minimal, ""),
        "created": minimal["created"],
        "urgency": "routine",
        **{k: "0" for k in minimal if k.startswith(("flag:", "recommendation:"))},
    }


def test_the_csv_has_a_column_for_each_flag_of_a_band_and_of_a_rule_once() -> None:
    from riskcheck.loader import load_text
    from riskcheck.web.clinician.review import csv_columns

    text = (DATA / "mood.yaml").read_text()
    text = text.replace(
        "urgency: soon, recommend: [see_gp]}", "urgency: soon, flags: [low_mood, crisis]}"
    )
    _, flags, _, _ = csv_columns(load_text(text))
    assert flags == ["low_mood", "crisis", "heavy_smoker"]


def test_a_version_with_errors_has_no_logic_page_but_says_where_to_go(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client, "editor")
    broken = (DATA / "mood.yaml").read_text().replace("when: age < 18", "when: agee < 18")
    client.post("/clinician/q/mood/edit", data={"text": broken, "base_lock": ""})
    response = client.get("/clinician/q/mood/v2/logic")
    assert response.status_code == 404
    message = "This version has errors, so its logic cannot be shown. Open it in the editor."
    assert f"<p>{message}</p>" in text_of(response)


def test_the_csv_of_responses_is_never_cached(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "publisher")
    response = client.get("/clinician/q/mood/v1/responses.csv")
    assert response.headers["Cache-Control"] == "no-store"
