"""The result page's PDF form: a date of birth checked as a date, dates as the CLI writes them."""

from __future__ import annotations

import datetime
import io
import re
import types
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from riskcheck import cli
from riskcheck.web.patient import views
from tests.web.conftest import DATA, Patient

FIXED = datetime.datetime(2026, 11, 25, 9, 30)


class _Fixed(datetime.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        return FIXED


#: the datetime module as the views and the CLI see it, with the clock stopped
CLOCK = types.SimpleNamespace(datetime=_Fixed, date=datetime.date, timedelta=datetime.timedelta)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_date_of_birth_prints_in_the_same_words_as_the_created_date(
    patient: Patient, client: FlaskClient
) -> None:
    patient.finish_low_mood()
    pdf = client.post("/q/mood/summary.pdf", data={"name": "Ann", "birth_date": "1965-04-02"})
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Date of birth: Apr 2, 1965" in text
    assert re.search(r"Created [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M", text)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2090", "Enter the date of birth as a real date"),
        ("yesterday", "Enter the date of birth as a real date"),
        ("2090-01-01", "The date of birth cannot be in the future."),
    ],
)
def test_a_date_of_birth_that_is_not_one_reshows_the_result_page(
    patient: Patient, client: FlaskClient, typed: str, message: str
) -> None:
    patient.finish_low_mood()
    response = client.post(
        "/q/mood/summary.pdf", data={"name": "Ann <b>Lee</b>", "birth_date": typed}
    )
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="error-birth-date"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Ann &lt;b&gt;Lee&lt;/b&gt;"' in page  # the name is kept, escaped
    assert "Your result" in page


def test_the_form_asks_for_a_real_date(patient: Patient, client: FlaskClient) -> None:
    patient.finish_low_mood()
    page = client.get("/q/mood/result").get_data(as_text=True)
    assert re.search(r'<input type="date" id="f-birth-date" name="birth_date"', page)


def test_web_and_command_line_write_the_same_dates(
    patient: Patient, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Today the web wrote flask_babel's "Nov 25, 2026, 9:30:00 AM" and the command line
    # "25 November 2026, 09:30".
    monkeypatch.setattr(views, "datetime", CLOCK)
    monkeypatch.setattr(cli, "datetime", CLOCK)
    patient.finish_low_mood()
    web = pdf_text(client.post("/q/mood/summary.pdf", data={"birth_date": "1965-04-02"}).data)
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 40, "smoker": "never", "q1": "0", "q2": "1"}')
    out = tmp_path / "summary.pdf"
    result = CliRunner().invoke(
        cli.main,
        ["pdf", str(DATA / "mood.yaml"), str(answers), "-o", str(out)]
        + ["--birth-date", "1965-04-02"],
    )
    assert result.exit_code == 0, result.output
    command_line = pdf_text(out.read_bytes())

    def dates(text: str) -> list[str]:
        return re.findall(r"(?:Created|Date of birth:) .+", text)

    assert dates(web) == dates(command_line)
    assert [" ".join(d.split()) for d in dates(web)] == [
        "Created Nov 25, 2026, 9:30 AM",
        "Date of birth: Apr 2, 1965",
    ]
