"""Clinician forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from riskcheck.storage.accounts import ROLES

MAX_DEFINITION = 5_000_000


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
    text = TextAreaField("Definition (YAML)", validators=[Length(max=MAX_DEFINITION)])
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
    role = SelectField("Role", choices=list(ROLES))


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=list(ROLES))
    active = SelectField("Can sign in", choices=[("yes", "Yes"), ("no", "No")])
