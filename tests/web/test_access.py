"""Every clinician endpoint refuses anyone not signed in, or without its role: walks the URL map."""

from __future__ import annotations

import pytest
from flask import Flask

from riskcheck.web.clinician import PUBLIC, REQUIRED_ROLE

VALUES = {"questionnaire_id": "mood", "version": 1, "user_id": 1, "reference": "X", "token": "t"}
PASSWORD = "correct horse battery"  # noqa: S105 - a test account's password


def clinician_rules(app: Flask):  # noqa: ANN201
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("clinician.") and rule.endpoint not in PUBLIC:
            url = rule.build({k: v for k, v in VALUES.items() if k in rule.arguments})[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


def sign_in(app: Flask, client, role: str) -> None:  # noqa: ANN001
    email = f"{role}@example.org"
    store = app.extensions["riskcheck_store"]
    if store.accounts.by_email(email) is None:
        store.accounts.create(email, role, password=PASSWORD)
    response = client.post("/clinician/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_there_are_clinician_endpoints(app: Flask) -> None:
    assert len(list(clinician_rules(app))) >= 15


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(app: Flask, client) -> None:  # noqa: ANN001
    for endpoint, method, url in clinician_rules(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert "/clinician/login" in response.headers["Location"], endpoint


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_signed_in_without_the_role_is_forbidden(app: Flask, client, role: str) -> None:  # noqa: ANN001
    sign_in(app, client, role)
    order = ["editor", "publisher", "admin"]
    checked = 0
    for endpoint, method, url in clinician_rules(app):
        needed = REQUIRED_ROLE.get(endpoint, "editor")
        if order.index(needed) > order.index(role):
            assert client.open(url, method=method).status_code == 403, (endpoint, method)
            checked += 1
    assert checked > 0


def test_public_endpoints_are_only_sign_in_and_setup_links() -> None:
    assert {"clinician.login", "clinician.setup", "clinician.first_admin"} == PUBLIC
