"""Clinician forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from riskcheck.storage.accounts import ROLES

#: The same limit as the definition reader (riskcheck.yamlsource.MAX_BYTES).
MAX_DEFINITION = 2_000_000


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        "Type it again", validators=[DataRequired(), EqualTo("password", "The two do not match.")]
    )


class FirstAdminForm(PasswordForm):
    email = EmailField("Your email address", validators=[DataRequired(), Length(max=254)])


class EditorForm(FlaskForm):
    text = TextAreaField(
        "Definition (YAML)",
        validators=[
            Length(max=MAX_DEFINITION, message="A definition is at most 2 MB; this one is larger.")
        ],
    )
    #: the draft's lock_version when the editor was opened ("" for a new draft)
    base_lock = HiddenField()


class LockForm(FlaskForm):
    base_lock = HiddenField()


class ImportForm(FlaskForm):
    file = FileField("Definition file (.yaml)", validators=[FileRequired()])


class LookupForm(FlaskForm):
    reference = StringField("Reference code", validators=[DataRequired(), Length(max=64)])


class AccountForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=[SelectChoice(r, r) for r in ROLES])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r, r) for r in ROLES])
    active = SelectField(
        "Can sign in", choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
    )
