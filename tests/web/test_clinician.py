"""The clinician area through the test client: sign-in, editor, publish, conflicts, audit."""

from __future__ import annotations

import dataclasses
import html
import re

from flask import Flask

from tests.web.conftest import DATA
from tests.web.test_access import PASSWORD, sign_in
from tests.web.test_patient import shown_urgency

MOOD = (DATA / "mood.yaml").read_text()


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def lock_of(page: str) -> str:
    return re.search(r'name="base_lock" value="(\d*)"', page).group(1)


def test_wrong_password_is_refused_logged_and_audited(app: Flask, client, caplog) -> None:  # noqa: ANN001
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    response = client.post(
        "/clinician/login", data={"email": "ann@example.org", "password": "not the password"}
    )
    assert response.status_code == 400
    assert "not right" in text_of(response)
    assert "not the password" not in caplog.text
    assert "failed sign-in for ann@example.org" in caplog.text
    actions = [e.action for e in app.extensions["riskcheck_store"].audit.entries()]
    assert "sign_in_failed" in actions


def test_sign_in_and_out(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    assert client.get("/clinician/").status_code == 200
    client.post("/clinician/logout")
    assert client.get("/clinician/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    store = app.extensions["riskcheck_store"]
    store.accounts.update(store.accounts.by_email("editor@example.org").id, active=False)
    assert client.get("/clinician/").status_code == 302


def test_edit_validate_save_publish_and_patients_get_it(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "publisher")
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert '<h2 id="problems-title">No errors, 2 warning(s); tests 3/3 passed</h2>' in page
    changed = MOOD.replace("title: Mood check", "title: Mood check, revised")
    response = client.post("/clinician/q/mood/edit", data={"text": changed, "base_lock": ""})
    assert response.status_code == 302
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert "draft version 2" in page
    client.post("/clinician/q/mood/publish", data={"base_lock": lock_of(page)})
    assert "Mood check, revised" in text_of(client.get("/q/mood/"))
    history = text_of(client.get("/clinician/q/mood"))
    assert "published" in history
    assert "retired" in history


def test_an_invalid_draft_is_saved_with_its_problems_but_cannot_be_published(
    app: Flask, client
) -> None:  # noqa: ANN001,E501
    sign_in(app, client, "publisher")
    broken = MOOD.replace("when: age < 18", "when: agee < 18")
    client.post("/clinician/q/mood/edit", data={"text": broken, "base_lock": ""})
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert "unknown id &#39;agee&#39;" in page
    assert "did you mean &#39;age&#39;?" in page
    client.post("/clinician/q/mood/publish", data={"base_lock": lock_of(page)})
    assert "Mood check" in text_of(client.get("/q/mood/"))
    assert app.extensions["riskcheck_store"].versions.published("mood").version == 1


def test_a_failing_definition_test_blocks_publishing_until_fixed(app: Flask, client) -> None:  # noqa: ANN001,E501
    sign_in(app, client, "publisher")
    store = app.extensions["riskcheck_store"]
    moved = MOOD.replace("{id: low, min: 0, max: 2", "{id: low, min: 0, max: 0").replace(
        "{id: high, min: 3, max: 6", "{id: high, min: 1, max: 6"
    )
    client.post("/clinician/q/mood/edit", data={"text": moved, "base_lock": ""})
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert "test &#39;low mood&#39; failed: expected urgency routine, got soon" in page
    assert store.versions.draft("mood").valid is False
    client.post("/clinician/q/mood/publish", data={"base_lock": lock_of(page)})
    assert store.versions.published("mood").version == 1
    # The clinician fixes the expectation; now it publishes.
    fixed = moved.replace(
        "expect: {urgency: routine, bands: {total: low}, scores: {total: 1}}",
        "expect: {urgency: soon, bands: {total: high}, scores: {total: 1}}",
    ).replace("absent: {recommendations: [see_gp]}", "absent: {recommendations: [emergency]}")
    client.post("/clinician/q/mood/edit", data={"text": fixed, "base_lock": lock_of(page)})
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert store.versions.draft("mood").valid is True
    client.post("/clinician/q/mood/publish", data={"base_lock": lock_of(page)})
    assert store.versions.published("mood").version == 2


def test_two_editors_saving_the_same_draft_get_a_conflict(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    client.post("/clinician/q/mood/edit", data={"text": MOOD + "# one\n", "base_lock": ""})
    lock = lock_of(text_of(client.get("/clinician/q/mood/edit")))
    first = client.post(
        "/clinician/q/mood/edit", data={"text": MOOD + "# first\n", "base_lock": lock}
    )
    assert first.status_code == 302
    second = client.post(
        "/clinician/q/mood/edit", data={"text": MOOD + "# second\n", "base_lock": lock}
    )
    assert second.status_code == 409
    page = text_of(second)
    assert "Someone else saved this draft" in page
    assert "# first" in page
    assert "# second" in page
    assert app.extensions["riskcheck_store"].versions.draft("mood").text.endswith("# first\n")


def test_export_round_trip_preserves_the_file_exactly(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    exported = client.get("/clinician/q/mood/v1.yaml")
    assert exported.get_data(as_text=True) == MOOD
    commented = MOOD + "# a comment kept as written\n"
    from io import BytesIO

    response = client.post(
        "/clinician/import",
        data={"file": (BytesIO(commented.encode()), "m.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.get("/clinician/q/mood/v2.yaml").get_data(as_text=True) == commented


def test_broken_yaml_import_is_refused_and_nothing_saved(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    from io import BytesIO

    response = client.post(
        "/clinician/import",
        data={"file": (BytesIO(b"id: [oops"), "b.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "could not be imported" in text_of(response)
    assert app.extensions["riskcheck_store"].versions.draft("mood") is None


def test_roll_back_and_diff(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "publisher")
    changed = MOOD.replace("title: Mood check", "title: Mood check two")
    client.post("/clinician/q/mood/edit", data={"text": changed, "base_lock": ""})
    lock = lock_of(text_of(client.get("/clinician/q/mood/edit")))
    client.post("/clinician/q/mood/publish", data={"base_lock": lock})
    diff = text_of(client.get("/clinician/q/mood/diff?a=1&b=2"))
    assert "-title: Mood check" in diff
    assert "+title: Mood check two" in diff
    client.post("/clinician/q/mood/v1/rollback", data={"base_lock": "2"})
    assert app.extensions["riskcheck_store"].versions.published("mood").version == 3
    assert "Mood check two" not in text_of(client.get("/q/mood/"))


def test_response_lookup_by_code_is_audited(app: Flask, client) -> None:  # noqa: ANN001
    from tests.web.conftest import Patient

    patient = Patient(client)
    patient.finish_low_mood()
    page = text_of(client.get("/q/mood/result"))
    code = re.search(r"<code>([0-9A-Z-]{30,})</code>", page).group(1)
    sign_in(app, client, "editor")
    found = client.post("/clinician/lookup", data={"reference": code.lower().replace("-", " ")})
    assert found.status_code == 200
    assert f"<h2>Response {code}</h2>" in text_of(found)
    assert "<p>mood version 1, answered " in text_of(found)
    assert "Urgency: <strong>routine</strong>" in text_of(found)
    assert "40 years" in text_of(found)
    missing = client.post("/clinician/lookup", data={"reference": "0" * 26})
    assert missing.status_code == 404
    pdf = client.post(f"/clinician/responses/{code.replace('-', '')}.pdf")
    assert pdf.mimetype == "application/pdf"
    actions = [e.action for e in app.extensions["riskcheck_store"].audit.entries()]
    assert actions.count("response_lookup") == 2
    assert "40" not in str([e.detail for e in app.extensions["riskcheck_store"].audit.entries()])


def test_admin_creates_an_account_with_a_one_time_link(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "admin")
    page = text_of(
        client.post("/clinician/accounts", data={"email": "new@example.org", "role": "editor"})
    )
    link = re.search(r'<code class="setup-link">[^<]*(/clinician/setup/[^<]+)</code>', page).group(
        1
    )
    client.post("/clinician/logout")
    assert client.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert client.get(link).status_code == 404  # used: it stops working
    response = client.post(
        "/clinician/login", data={"email": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_forged_role_in_a_form_field_changes_nothing(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    response = client.post("/clinician/accounts", data={"email": "x@example.org", "role": "admin"})
    assert response.status_code == 403
    assert app.extensions["riskcheck_store"].accounts.by_email("x@example.org") is None


def test_preview_runs_the_draft_and_stores_nothing(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    changed = MOOD.replace("title: Your feelings", "title: Your feelings (draft)")
    client.post("/clinician/q/mood/edit", data={"text": changed, "base_lock": ""})
    response = client.post("/clinician/q/mood/preview")
    assert response.headers["Location"].endswith("/q/mood/p/about_you")
    page = text_of(client.get("/q/mood/p/about_you"))
    assert "Preview of a draft" in page
    client.post("/q/mood/p/about_you", data={"age": "40", "smoker": "never", "action": "next"})
    assert "Your feelings (draft)" in text_of(client.get("/q/mood/p/feelings"))
    client.post("/q/mood/p/feelings", data={"q1": "0", "q2": "1", "action": "next"})
    assert client.post("/q/mood/review").headers["Location"].endswith("/q/mood/result")
    # "Routine" is on every result page (the gauge): the headline must say it
    assert shown_urgency(text_of(client.get("/q/mood/result"))) == ("Routine", "routine")
    assert app.extensions["riskcheck_store"].responses.count() == 0


def test_impact_report_counts_changed_results(app: Flask, client) -> None:  # noqa: ANN001
    from tests.web.conftest import Patient

    Patient(client).finish_low_mood()  # total 1: band low, routine
    sign_in(app, client, "editor")
    moved = MOOD.replace("{id: low, min: 0, max: 2", "{id: low, min: 0, max: 0").replace(
        "{id: high, min: 3, max: 6", "{id: high, min: 1, max: 6"
    )
    client.post("/clinician/q/mood/edit", data={"text": moved, "base_lock": ""})
    page = text_of(client.get("/clinician/q/mood/impact"))
    assert "The 1 stored response(s)" in page
    assert "routine → soon: 1" in page
    assert "see_gp newly given to 1" in page


def test_structured_editor_changes_a_threshold_and_keeps_the_rest(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    page = text_of(client.get("/clinician/q/mood/structured"))
    assert 'name="f:scales/0/bands/0/max" value="2"' in page
    response = client.post(
        "/clinician/q/mood/structured",
        data={"base_lock": "", "f:scales/0/bands/0/max": "3", "f:scales/0/bands/1/min": "4"},
    )
    assert response.status_code == 302
    draft = app.extensions["riskcheck_store"].versions.draft("mood")
    assert "{id: low, min: 0, max: 3, label: Low, urgency: routine}" in draft.text
    assert "# A small but complete definition" in draft.text
    bad = client.post(
        "/clinician/q/mood/structured",
        data={"base_lock": str(draft.lock_version), "f:scales/0/bands/0/max": "three"},
    )
    assert "must be a number" in text_of(bad)


def test_a_5_mb_definition_is_refused_clearly_and_nothing_saved(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    huge = MOOD + "# " + "x" * 5_000_000 + "\n"
    response = client.post("/clinician/q/mood/edit", data={"text": huge, "base_lock": ""})
    assert response.status_code == 413
    assert "Too Large" in text_of(response)
    just_over = MOOD + "# " + "x" * 2_000_000 + "\n"
    response = client.post("/clinician/q/mood/edit", data={"text": just_over, "base_lock": ""})
    assert response.status_code == 400
    assert "at most 2 MB" in text_of(response)
    assert app.extensions["riskcheck_store"].versions.draft("mood") is None


def test_two_person_rule_needs_another_publisher(app: Flask, client) -> None:  # noqa: ANN001
    settings = app.config["RISKCHECK_SETTINGS"]
    app.config["RISKCHECK_SETTINGS"] = dataclasses.replace(settings, two_person_rule=True)
    store = app.extensions["riskcheck_store"]
    sign_in(app, client, "publisher")
    client.post("/clinician/q/mood/edit", data={"text": MOOD + "# mine\n", "base_lock": ""})
    lock = lock_of(text_of(client.get("/clinician/q/mood/edit")))
    client.post("/clinician/q/mood/publish", data={"base_lock": lock})
    assert store.versions.published("mood").version == 1  # refused: I edited it last
    client.post("/clinician/logout")
    store.accounts.create("second@example.org", "publisher", password=PASSWORD)
    client.post("/clinician/login", data={"email": "second@example.org", "password": PASSWORD})
    client.post("/clinician/q/mood/publish", data={"base_lock": lock})
    assert store.versions.published("mood").version == 2


def test_every_action_is_audited_without_answers(app: Flask, client) -> None:  # noqa: ANN001
    from io import BytesIO

    sign_in(app, client, "admin")
    client.post("/clinician/q/mood/edit", data={"text": MOOD + "# a\n", "base_lock": ""})
    lock = lock_of(text_of(client.get("/clinician/q/mood/edit")))
    client.post("/clinician/q/mood/publish", data={"base_lock": lock})
    client.post("/clinician/q/mood/v1/rollback", data={"base_lock": "2"})
    client.post(
        "/clinician/import",
        data={"file": (BytesIO(MOOD.encode()), "m.yaml")},
        content_type="multipart/form-data",
    )
    client.post("/clinician/accounts", data={"email": "z@example.org", "role": "editor"})
    user = app.extensions["riskcheck_store"].accounts.by_email("z@example.org")
    client.post(f"/clinician/accounts/{user.id}", data={"role": "publisher", "active": "yes"})
    client.post("/clinician/lookup", data={"reference": "0" * 26})
    client.post("/clinician/logout")
    actions = {e.action for e in app.extensions["riskcheck_store"].audit.entries(limit=500)}
    assert {
        "sign_in",
        "save_draft",
        "publish",
        "rollback",
        "import",
        "account_create",
        "account_update",
        "response_lookup",
        "sign_out",
    } <= actions


SQL = "' OR '1'='1'; DROP TABLE users; --"


def test_sql_metacharacters_in_every_field_do_no_harm(app: Flask, client) -> None:  # noqa: ANN001
    app.extensions["riskcheck_store"].accounts.create(
        "first@example.org", "admin", password=PASSWORD
    )
    assert client.post("/clinician/login", data={"email": SQL, "password": SQL}).status_code == 400
    sign_in(app, client, "admin")
    assert client.post("/clinician/lookup", data={"reference": SQL}).status_code == 404
    page = text_of(client.post("/clinician/accounts", data={"email": SQL, "role": "editor"}))
    assert "Enter an email address" in page
    assert client.get(f"/clinician/q/{SQL}").status_code == 404
    assert (
        client.get("/clinician/q/mood/diff", query_string={"a": SQL, "b": "1"}).status_code == 404
    )
    assert client.post("/api/v1/questionnaires/mood/score", json={SQL: SQL}).status_code == 400
    store = app.extensions["riskcheck_store"]
    assert store.accounts.count() == 2
    assert store.versions.published("mood") is not None


def test_a_password_typed_into_the_email_field_never_reaches_the_log(
    app: Flask, client, caplog
) -> None:  # noqa: ANN001,E501
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    client.post("/clinician/login", data={"email": "Secret Pass 123", "password": "x"})
    assert "Secret Pass 123" not in caplog.text
    assert "(not an email address)" in caplog.text
    entries = app.extensions["riskcheck_store"].audit.entries()
    assert entries[0].actor == "(not an email address)"


def test_a_response_ended_early_to_get_help_can_be_looked_up(app: Flask, client) -> None:  # noqa: ANN001
    from tests.web.conftest import Patient

    patient = Patient(client)
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    patient.answer("feelings", q1="3", q2="3")
    patient.answer("feelings-2", crisis="yes")
    client.post("/q/mood/help-now", data={"action": "stop"})
    page = text_of(client.get("/q/mood/result"))
    code = re.search(r"<code>([0-9A-Z-]{30,})</code>", page).group(1).replace("-", "")
    sign_in(app, client, "editor")
    assert client.post("/clinician/lookup", data={"reference": code}).status_code == 200
    pdf = client.post(f"/clinician/responses/{code}.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"


def test_a_merge_after_a_conflict_in_the_structured_editor_is_saved(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    versions = app.extensions["riskcheck_store"].versions
    first = versions.save_draft(
        "mood", MOOD + "# theirs\n", user_id=None, valid=True, base_lock=None
    )
    versions.save_draft(
        "mood", MOOD + "# theirs again\n", user_id=None, valid=True, base_lock=first.lock_version
    )
    # A structured edit made from the older draft: a conflict, shown in the YAML form
    conflict = client.post(
        "/clinician/q/mood/structured",
        data={"base_lock": str(first.lock_version), "f:scales/0/bands/0/max": "3"},
    )
    assert conflict.status_code == 409
    page = text_of(conflict)
    assert 'action="/clinician/q/mood/edit"' in page  # the merge is saved by the YAML editor
    merged = MOOD + "# theirs again\n# mine too\n"
    saved = client.post("/clinician/q/mood/edit", data={"text": merged, "base_lock": lock_of(page)})
    assert saved.status_code == 302
    assert versions.draft("mood").text == merged


def test_import_never_replaces_a_draft_being_edited(app: Flask, client) -> None:  # noqa: ANN001
    import io

    sign_in(app, client, "publisher")
    versions = app.extensions["riskcheck_store"].versions
    versions.save_draft(
        "mood", MOOD + "# an editor's work\n", user_id=None, valid=True, base_lock=None
    )
    upload = {"file": (io.BytesIO((MOOD + "# imported\n").encode()), "mood.yaml")}
    response = client.post("/clinician/import", data=upload, content_type="multipart/form-data")
    assert response.headers["Location"].endswith("/clinician/q/mood/edit")
    assert versions.draft("mood").text.endswith("# an editor's work\n")
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert "nothing was imported" in page
    assert [v.version for v in versions.history("mood")] == [2, 1]


def test_the_same_file_imported_twice_is_one_import(app: Flask, client) -> None:  # noqa: ANN001
    import io

    sign_in(app, client, "publisher")
    text = (MOOD + "# imported\n").encode()
    for _ in range(2):
        upload = {"file": (io.BytesIO(text), "mood.yaml")}
        client.post("/clinician/import", data=upload, content_type="multipart/form-data")
    history = app.extensions["riskcheck_store"].versions.history("mood")
    assert [v.version for v in history] == [2, 1]
    assert "already draft version 2" in text_of(client.get("/clinician/q/mood/edit"))


def test_roll_back_pressed_twice_publishes_once(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "publisher")
    versions = app.extensions["riskcheck_store"].versions
    draft = versions.save_draft("mood", MOOD + "# 2\n", user_id=None, valid=True, base_lock=None)
    versions.publish("mood", 2, base_lock=draft.lock_version, user_id=None)
    page = text_of(client.get("/clinician/q/mood"))
    form = {"base_lock": re.search(r'name="base_lock" value="(\d*)"', page).group(1)}
    client.post("/clinician/q/mood/v1/rollback", data=form)
    client.post("/clinician/q/mood/v1/rollback", data=form)  # the double submit
    assert [v.version for v in versions.history("mood")] == [3, 2, 1]
    assert "nothing was done" in text_of(client.get("/clinician/q/mood"))


def test_publish_refuses_a_draft_changed_since_it_was_reviewed(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "publisher")
    versions = app.extensions["riskcheck_store"].versions
    reviewed = versions.save_draft(
        "mood", MOOD + "# reviewed\n", user_id=None, valid=True, base_lock=None
    )
    versions.save_draft(
        "mood", MOOD + "# changed\n", user_id=None, valid=True, base_lock=reviewed.lock_version
    )
    client.post("/clinician/q/mood/publish", data={"base_lock": str(reviewed.lock_version)})
    assert versions.published("mood").version == 1
    assert "nothing was published" in text_of(client.get("/clinician/q/mood/edit"))


def test_an_ended_session_shows_the_text_sent_and_saves_nothing(app: Flask, client) -> None:  # noqa: ANN001
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/clinician/q/mood/edit", data={"text": MOOD + "# <b>mine</b>\n", "base_lock": ""}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Your session ended, so nothing was saved" in page
    assert "# &lt;b&gt;mine&lt;/b&gt;" in page
    assert "/clinician/login?next=/clinician/q/mood/edit" in page
    assert app.extensions["riskcheck_store"].versions.draft("mood") is None


# -- found by mutation testing -------------------------------------------------------------------


def flashes(page: str) -> list[tuple[str, str]]:
    """The (category, message) of each message shown at the top of a page."""
    import html

    found = re.findall(r'<div class="flash flash-(\w+)" role="status">(.*?)</div>', page, re.S)
    return [(category, html.unescape(message)) for category, message in found]


def test_a_setup_link_is_the_whole_address_people_reach(app: Flask, client) -> None:  # noqa: ANN001
    settings = app.config["RISKCHECK_SETTINGS"]
    base = "https://riskcheck.example.org"
    app.config["RISKCHECK_SETTINGS"] = dataclasses.replace(settings, base_url=base)
    sign_in(app, client, "admin")
    page = text_of(
        client.post("/clinician/accounts", data={"email": "new@example.org", "role": "editor"})
    )
    link = re.search(r'<code class="setup-link">([^<]+)</code>', page).group(1)
    assert re.fullmatch(re.escape(base) + r"/clinician/setup/[\w-]+", link), link


def test_the_diff_marks_each_line_and_shows_three_lines_around_a_change(
    app: Flask,
    client,  # noqa: ANN001
) -> None:
    sign_in(app, client, "editor")
    versions = app.extensions["riskcheck_store"].versions
    old = "".join(f"# line {n}\n" for n in range(1, 11))
    new = old.replace("# line 5\n", "# line five\n")
    draft = versions.save_draft("mood", MOOD + old, user_id=None, valid=True, base_lock=None)
    versions.publish("mood", 2, base_lock=draft.lock_version, user_id=None)
    versions.save_draft("mood", MOOD + new, user_id=None, valid=True, base_lock=None)
    page = text_of(client.get("/clinician/q/mood/diff?a=2&b=3"))
    lines = re.findall(r'<span class="diff-(\w+)">(.*?)</span>\n', page)
    first = len(MOOD.splitlines()) + 2  # line 2 of the comments, 3 lines before the change
    assert lines == [
        ("header", "--- version 2"),
        ("header", "+++ version 3"),
        ("header", f"@@ -{first},7 +{first},7 @@"),
        ("context", " # line 2"),
        ("context", " # line 3"),
        ("context", " # line 4"),
        ("remove", "-# line 5"),
        ("add", "+# line five"),
        ("context", " # line 6"),
        ("context", " # line 7"),
        ("context", " # line 8"),
    ]


def test_importing_over_a_draft_says_why_nothing_changed_and_is_audited(
    app: Flask,
    client,  # noqa: ANN001
) -> None:
    import io

    sign_in(app, client, "publisher")
    store = app.extensions["riskcheck_store"]
    store.versions.save_draft(
        "mood", MOOD + "# an editor's work\n", user_id=None, valid=True, base_lock=None
    )
    for text in (MOOD + "# imported\n", MOOD + "# an editor's work\n"):
        upload = {"file": (io.BytesIO(text.encode()), "mood.yaml")}
        client.post("/clinician/import", data=upload, content_type="multipart/form-data")
        page = text_of(client.get("/clinician/q/mood/edit"))
        assert len(flashes(page)) == 1
    # A different file: a warning, audited; the same file as the draft: only a note
    [entry] = store.audit.entries(action="import_conflict")
    assert (entry.actor, entry.target) == ("publisher@example.org", "mood v2")
    assert flashes(page) == [("info", "This file is already draft version 2 of mood.")]


def test_importing_over_a_draft_warns_in_full(app: Flask, client) -> None:  # noqa: ANN001
    import io

    sign_in(app, client, "publisher")
    app.extensions["riskcheck_store"].versions.save_draft(
        "mood", MOOD + "# an editor's work\n", user_id=None, valid=True, base_lock=None
    )
    upload = {"file": (io.BytesIO((MOOD + "# imported\n").encode()), "mood.yaml")}
    client.post("/clinician/import", data=upload, content_type="multipart/form-data")
    assert flashes(text_of(client.get("/clinician/q/mood/edit"))) == [
        (
            "warning",
            "mood already has a draft (version 2), so nothing was imported: the draft is never "
            "replaced. Publish or discard it first, or paste what you need from your file into "
            "it here.",
        )
    ]


def test_saving_says_whether_the_draft_can_be_published_and_is_audited(
    app: Flask,
    client,  # noqa: ANN001
) -> None:
    import json

    sign_in(app, client, "editor")
    store = app.extensions["riskcheck_store"]
    saved = client.post("/clinician/q/mood/edit", data={"text": MOOD + "# a\n", "base_lock": ""})
    assert saved.headers["Location"] == "/clinician/q/mood/edit"
    page = text_of(client.get("/clinician/q/mood/edit"))
    assert flashes(page) == [("info", "Draft version 2 saved.")]
    broken = MOOD.replace("when: age < 18", "when: agee < 18")
    client.post("/clinician/q/mood/edit", data={"text": broken, "base_lock": lock_of(page)})
    assert flashes(text_of(client.get("/clinician/q/mood/edit"))) == [
        ("warning", "Draft version 2 saved: it has problems, so it cannot be published yet.")
    ]
    saves = store.audit.entries(action="save_draft")
    assert [(e.actor, e.target, json.loads(e.detail)) for e in saves] == [
        ("editor@example.org", "mood v2", {"valid": False}),
        ("editor@example.org", "mood v2", {"valid": True}),
    ]
    assert (
        store.versions.draft("mood").updated_by == store.accounts.by_email("editor@example.org").id
    )


def test_a_save_conflict_is_audited(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    store = app.extensions["riskcheck_store"]
    first = store.versions.save_draft(
        "mood", MOOD + "# 1\n", user_id=None, valid=True, base_lock=None
    )
    store.versions.save_draft(
        "mood", MOOD + "# 2\n", user_id=None, valid=True, base_lock=first.lock_version
    )
    data = {"text": MOOD + "# mine\n", "base_lock": str(first.lock_version)}
    response = client.post("/clinician/q/mood/edit", data=data)
    assert response.status_code == 409
    page = text_of(response)
    assert '<span class="diff-header">--- their version</span>' in page
    assert '<span class="diff-header">+++ yours</span>' in page
    assert "No errors, 2 warning(s); tests 3/3 passed</h2>" in page  # the checks of mine
    [entry] = store.audit.entries(action="save_conflict")
    assert (entry.actor, entry.target) == ("editor@example.org", "mood")
    assert store.versions.draft("mood").text == MOOD + "# 2\n"


def test_a_text_with_another_id_is_not_saved_over_this_questionnaire(
    app: Flask,
    client,  # noqa: ANN001
) -> None:
    sign_in(app, client, "editor")
    store = app.extensions["riskcheck_store"]
    draft = store.versions.save_draft("mood", MOOD, user_id=None, valid=True, base_lock=None)
    other = MOOD.replace("id: mood", "id: mood2", 1)
    data = {"text": other, "base_lock": str(draft.lock_version)}
    response = client.post("/clinician/q/mood/edit", data=data)
    assert response.status_code == 400
    page = text_of(response)
    assert "<h1>Edit mood: draft version 2</h1>" in page
    assert lock_of(page) == str(draft.lock_version)  # saving from here is no conflict
    assert "No errors, 2 warning(s); tests 3/3 passed</h2>" in page  # the checks of the text
    assert flashes(text_of(response)) == [
        (
            "warning",
            "The id in the text is 'mood2', not 'mood'. Import it as a new questionnaire instead.",
        )
    ]
    assert "id: mood2" in text_of(response)  # what was typed is still in the editor
    assert store.versions.draft("mood").text == MOOD
    assert store.versions.history("mood2") == []
    assert store.audit.entries(action="save_draft") == []


def test_a_structured_edit_in_conflict_is_kept_in_the_editor(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "editor")
    versions = app.extensions["riskcheck_store"].versions
    first = versions.save_draft("mood", MOOD, user_id=None, valid=True, base_lock=None)
    versions.save_draft(
        "mood", MOOD + "# theirs\n", user_id=None, valid=True, base_lock=first.lock_version
    )
    conflict = client.post(
        "/clinician/q/mood/structured",
        data={"base_lock": str(first.lock_version), "f:scales/0/bands/0/max": "3"},
    )
    assert conflict.status_code == 409
    mine = (MOOD + "# theirs\n").replace("{id: low, min: 0, max: 2", "{id: low, min: 0, max: 3")
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", text_of(conflict), re.S).group(1)
    assert html.unescape(textarea) == mine


def test_a_failed_sign_in_is_logged_with_the_address_it_came_from(
    app: Flask, client, caplog
) -> None:  # noqa: ANN001
    app.extensions["riskcheck_store"].accounts.create(
        "ann@example.org", "editor", password=PASSWORD
    )
    client.post(
        "/clinician/login",
        data={"email": "ann@example.org", "password": "not the password"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert "failed sign-in for ann@example.org from 203.0.113.7" in caplog.messages


def first_admin_link(app: Flask) -> str:
    from riskcheck.web.clinician.auth import first_admin_token_for

    return f"/clinician/first-admin/{first_admin_token_for(app.config['SECRET_KEY'])}"


def test_the_first_admin_link_makes_one_admin_once(app: Flask, client) -> None:  # noqa: ANN001
    store = app.extensions["riskcheck_store"]
    data = {"email": "first@example.org", "password": PASSWORD, "confirm": PASSWORD}
    # A wrong token opens nothing
    wrong = client.post("/clinician/first-admin/" + "0" * 40, data=data)
    assert wrong.status_code == 404
    assert store.accounts.count() == 0
    # The right one makes an admin, signed in, and says so in the audit log
    response = client.post(first_admin_link(app), data=data)
    assert response.headers["Location"] == "/clinician/"
    assert client.get("/clinician/audit").status_code == 200  # an admin's page
    [user] = store.accounts.all()
    assert (user.email, user.role) == ("first@example.org", "admin")
    [entry] = store.audit.entries(action="account_create")
    assert (entry.actor, entry.target) == ("first@example.org", "first@example.org")
    # Once one account exists, the link makes no other
    again = app.test_client().post(
        first_admin_link(app), data={**data, "email": "second@example.org"}
    )
    assert again.headers["Location"] == "/clinician/login"
    assert store.accounts.count() == 1


def test_an_admin_cannot_remove_their_own_admin_role_or_sign_in(app: Flask, client) -> None:  # noqa: ANN001
    sign_in(app, client, "admin")
    store = app.extensions["riskcheck_store"]
    me = store.accounts.by_email("admin@example.org")
    for change in ({"role": "publisher", "active": "yes"}, {"role": "admin", "active": "no"}):
        response = client.post(f"/clinician/accounts/{me.id}", data=change)
        assert response.headers["Location"] == "/clinician/accounts"
        assert flashes(text_of(client.get("/clinician/accounts"))) == [
            ("warning", "You cannot remove your own admin role or sign-in.")
        ]
        user = store.accounts.by_email("admin@example.org")
        assert (user.role, user.active) == ("admin", True)
    assert store.audit.entries(action="account_update") == []


def test_each_clinician_action_is_audited_with_who_and_what(app: Flask, client) -> None:  # noqa: ANN001
    """The audit entries a refused or quiet action leaves (the main actions are checked in
    test_every_action_is_audited_without_answers)."""
    sign_in(app, client, "admin")
    store = app.extensions["riskcheck_store"]
    versions = store.versions
    other, _ = store.accounts.create("other@example.org", "editor")
    client.post(f"/clinician/accounts/{other.id}/setup-link")
    reviewed = versions.save_draft("mood", MOOD + "# 1\n", user_id=None, valid=True, base_lock=None)
    versions.save_draft(
        "mood", MOOD + "# 2\n", user_id=None, valid=True, base_lock=reviewed.lock_version
    )
    client.post("/clinician/q/mood/publish", data={"base_lock": str(reviewed.lock_version)})
    client.get("/clinician/q/mood/impact")
    client.post(
        "/clinician/q/mood/discard", data={"base_lock": str(versions.draft("mood").lock_version)}
    )
    seen = {(e.action, e.actor, e.target) for e in store.audit.entries(limit=500)}
    assert {
        ("account_setup_link", "admin@example.org", "other@example.org"),
        ("publish_conflict", "admin@example.org", "mood"),
        ("impact_report", "admin@example.org", "mood v2"),
        ("discard_draft", "admin@example.org", "mood"),
    } <= seen
    assert versions.draft("mood") is None


def test_versions_record_who_published_rolled_back_or_imported_them(app: Flask, client) -> None:  # noqa: ANN001
    import io

    sign_in(app, client, "publisher")
    store = app.extensions["riskcheck_store"]
    me = store.accounts.by_email("publisher@example.org").id
    upload = {"file": (io.BytesIO((MOOD + "# imported\n").encode()), "mood.yaml")}
    client.post("/clinician/import", data=upload, content_type="multipart/form-data")
    assert store.versions.draft("mood").updated_by == me
    client.post(
        "/clinician/q/mood/publish",
        data={"base_lock": str(store.versions.draft("mood").lock_version)},
    )
    assert store.versions.published("mood").updated_by == me
    client.post("/clinician/q/mood/v1/rollback", data={"base_lock": "2"})
    rolled_back = store.versions.published("mood")
    assert (rolled_back.version, rolled_back.updated_by) == (3, me)


def test_only_the_editors_offer_back_text_sent_after_the_session_ended(app: Flask, client) -> None:  # noqa: ANN001
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/clinician/lookup", data={"reference": "x", "text": "typed"})
    assert response.status_code == 400
    assert "Your session ended, so nothing was saved" not in text_of(response)
    assert "Bad Request" in text_of(response)
