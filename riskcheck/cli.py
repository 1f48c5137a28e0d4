"""The ``riskcheck`` command line: validate, score, pdf, list and export the schema.

Every command calls only the domain core; none needs the web app or a database.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import click

from riskcheck import __version__
from riskcheck.contacts import DEFAULT_REGIONS, RegionError
from riskcheck.contacts import region as region_of
from riskcheck.errors import AnswerError, DefinitionError
from riskcheck.loader import SHIPPED_DIR, find_questionnaire, shipped_paths
from riskcheck.model import json_schema
from riskcheck.reference import format_reference, new_reference, parse_reference
from riskcheck.report.content import build_report
from riskcheck.report.dates import BirthDateError, parse_birth_date
from riskcheck.report.pdf import render_pdf
from riskcheck.result import Result
from riskcheck.scoring import score
from riskcheck.validation import ValidationReport, validate_file

MAX_ANSWERS_BYTES = 1_000_000


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskcheck")
def main() -> None:
    """riskcheck: questionnaires, scoring and summaries for symptom and cancer-risk checks."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat lint warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate(paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
    """Check definitions: schema, ids, expressions, lint and their own tests.

    PATHS are files or folders (default: the shipped questionnaires/). Prints one line
    per problem as file:line: path: message (hint: ...), then a summary; exits 1 when
    any file has an error (or, with --strict, a warning).
    """
    files = _definition_files(paths or (SHIPPED_DIR,))
    reports = [validate_file(path) for path in files]
    if as_json:
        click.echo(json.dumps([_report_dict(r, strict) for r in reports], indent=2))
    else:
        for report in reports:
            for problem in report.problems:
                click.echo(str(problem))
        click.echo(_summary(reports, strict))
    if not files or not all(r.is_valid(strict=strict) for r in reports):
        sys.exit(1)


def _definition_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = shipped_paths(path)
            if not found:
                click.echo(f"{path}: no .yaml files here", err=True)
            files.extend(found)
        else:
            files.append(path)
    return files


def _summary(reports: list[ValidationReport], strict: bool) -> str:
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    tests = sum(len(r.outcomes) for r in reports)
    passed = sum(o.passed for r in reports for o in r.outcomes)
    bad = sum(not r.is_valid(strict=strict) for r in reports)
    verdict = "all valid" if not bad else f"{bad} invalid"
    return (
        f"{len(reports)} file(s): {verdict}; {errors} error(s), {warnings} warning(s)"
        f"{' (strict)' if strict else ''}; definition tests: {passed}/{tests} passed"
    )


def _report_dict(report: ValidationReport, strict: bool) -> dict[str, Any]:
    return {
        "file": report.file,
        "valid": report.is_valid(strict=strict),
        "problems": [p.to_dict() for p in report.problems],
        "tests": [
            {"name": o.name, "passed": o.passed, "failures": list(o.failures)}
            for o in report.outcomes
        ],
    }


@main.command("score")
@click.argument("questionnaire")
@click.argument("answers", type=click.File("rb"))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Assess as of this day (ages).")
def score_command(questionnaire: str, answers: Any, today: datetime.datetime | None) -> None:
    """Score ANSWERS (a JSON object of question id -> answer, or - for stdin).

    QUESTIONNAIRE is the id of a shipped questionnaire or a path to a definition file.
    Prints the Result as JSON.
    """
    result = _score(questionnaire, answers, today)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))


def _score(questionnaire: str, answers: Any, today: datetime.datetime | None) -> Result:
    """Load, read and score, or exit 1 with one line per problem."""
    definition = _load(questionnaire)
    raw = _read_answers(answers)
    try:
        return score(definition, raw, today=today.date() if today else None)
    except AnswerError as exc:
        for problem in exc.problems:
            click.echo(f"{_name(answers)}: {problem.question}: {problem.message}", err=True)
        sys.exit(1)


def _load(name: str) -> Any:
    try:
        return find_questionnaire(name)
    except DefinitionError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


def _name(stream: Any) -> str:
    # A stream has no name when stdin is replaced (click's CliRunner, an embedding program).
    return str(getattr(stream, "name", "<stdin>"))


def _read_answers(stream: Any) -> dict[str, Any]:
    data = stream.read(MAX_ANSWERS_BYTES + 1)
    if len(data) > MAX_ANSWERS_BYTES:
        _fail(f"{_name(stream)}: larger than 1 MB")
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        _fail(f"{_name(stream)}: not valid JSON ({exc})")
    if not isinstance(raw, dict):
        _fail(f"{_name(stream)}: expected a JSON object of question id -> answer")
    return raw


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@main.command("pdf")
@click.argument("questionnaire")
@click.argument("answers", type=click.File("rb"))
@click.option(
    "-o", "--output", type=click.File("wb"), required=True, help="Where to write the PDF."
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Assess as of this day (ages).")
@click.option("--name", default="", help="Print this name on the summary.")
@click.option(
    "--birth-date", default="", help="Print this date of birth (YYYY-MM-DD) on the summary."
)
@click.option("--reference", default=None, help="Reference code (default: a new random one).")
@click.option(
    "--region",
    default=",".join(DEFAULT_REGIONS),
    show_default=True,
    help="Whose emergency numbers to print: GB, US, or several (GB,US).",
)
def pdf_command(
    questionnaire: str,
    answers: Any,
    output: Any,
    today: datetime.datetime | None,
    name: str,
    birth_date: str,
    reference: str | None,
    region: str,
) -> None:
    """Write the PDF summary a patient gets for ANSWERS (the same as the web's)."""
    regions = tuple(c.strip().upper() for c in region.split(",") if c.strip())
    try:
        for code_ in regions:
            region_of(code_)
    except RegionError as exc:
        raise click.BadParameter(str(exc), param_hint="'--region'") from None
    try:
        born = parse_birth_date(birth_date, today.date() if today else datetime.date.today())
    except BirthDateError as exc:
        raise click.BadParameter(exc.message, param_hint="'--birth-date'") from None
    result = _score(questionnaire, answers, today)
    code = parse_reference(reference) if reference else new_reference()
    if code is None:
        _fail("--reference: not a reference code (26 letters and digits)")
    report = build_report(
        result,
        reference=code,
        created=datetime.datetime.now(),
        name=name,
        birth_date=born,
        regions=regions or DEFAULT_REGIONS,
    )
    output.write(render_pdf(report))
    click.echo(f"wrote {output.name} (reference {format_reference(code)})", err=True)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_command(as_json: bool) -> None:
    """List the shipped questionnaires: id, version, title."""
    rows = []
    for path in shipped_paths():
        try:
            q = find_questionnaire(str(path))
            rows.append(
                {
                    "id": q.id,
                    "version": q.version,
                    "title": q.title,
                    "minutes": q.definition.estimated_minutes,
                }
            )
        except DefinitionError:
            rows.append(
                {
                    "id": path.stem,
                    "version": None,
                    "title": "(invalid: run riskcheck validate)",
                    "minutes": None,
                }
            )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    click.echo(f"{'id':<{width}}  version  title")
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {str(row['version'] or '-'):>7}  {row['title']}")


@main.command()
@click.option("-o", "--output", type=click.File("w"), default="-", help="Write to a file.")
def schema(output: Any) -> None:
    """Print the JSON Schema of the definition format (for editors)."""
    output.write(json.dumps(json_schema(), indent=2) + "\n")


# -- operator commands (database) -------------------------------------------------------------


def _store(database_url: str | None):  # noqa: ANN202 - Store, imported lazily
    """The database, its schema brought up to date under the same lock the app takes."""
    from riskcheck.storage.database import default_database_url, migrate
    from riskcheck.storage.startup import startup_lock
    from riskcheck.storage.store import Store

    store = Store.connect(database_url or default_database_url(), upgrade=False)
    with startup_lock(store.engine):
        migrate(store.engine)
    return store


DATABASE_OPTION = click.option(
    "--database-url",
    envvar="RISKCHECK_DATABASE_URL",
    default=None,
    help="SQLAlchemy URL (default: RISKCHECK_DATABASE_URL, else instance/riskcheck.db).",
)


@main.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["editor", "publisher", "admin"]), required=True)
@click.option(
    "--base-url",
    envvar="RISKCHECK_BASE_URL",
    default="http://127.0.0.1:5000",
    help="How people reach the app, for the setup link.",
)
@DATABASE_OPTION
def create_user(email: str, role: str, base_url: str, database_url: str | None) -> None:
    """Create a clinician account and print its one-time setup link (valid 72 hours)."""
    from riskcheck.storage.accounts import AccountError

    store = _store(database_url)
    try:
        user, token = store.accounts.create(email, role)
    except AccountError as exc:
        _fail(str(exc))
    store.audit.record("command line", "account_create", user.email, role=role)
    click.echo(f"Created {user.email} ({role}). To set a password, open (once, within 72 hours):")
    click.echo(f"  {base_url.rstrip('/')}/clinician/setup/{token}")


@main.command()
@click.option(
    "--older-than",
    default=None,
    help="Age like 90d (default: RISKCHECK_RETENTION_DAYS, else 365d).",
)
@DATABASE_OPTION
def purge(older_than: str | None, database_url: str | None) -> None:
    """Delete stored patient responses older than the retention period."""
    import os

    text = older_than or f"{os.environ.get('RISKCHECK_RETENTION_DAYS', '365')}d"
    if not (text.endswith("d") and text[:-1].isdigit() and int(text[:-1]) >= 1):
        _fail("--older-than: write a number of days like 90d")
    days = int(text[:-1])
    store = _store(database_url)
    deleted = store.responses.purge(datetime.timedelta(days=days))
    store.audit.record("command line", "purge", f"older than {days} days", deleted=deleted)
    click.echo(f"Deleted {deleted} response(s) older than {days} days.")
    left = store.journeys.purge()
    click.echo(f"Deleted {left} unfinished answer set(s) left for more than a day.")


@main.command("migrate")
@DATABASE_OPTION
def migrate_command(database_url: str | None) -> None:
    """Create or upgrade the database schema (the app also does this at start-up by default)."""
    _store(database_url)
    click.echo("The database schema is up to date.")


if __name__ == "__main__":  # pragma: no cover
    main()
