"""Settings read from RISKCHECK_* environment variables, checked at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from riskcheck.errors import RiskcheckError
from riskcheck.loader import SHIPPED_DIR


class ConfigError(RiskcheckError):
    """A setting is missing or invalid; the app refuses to start."""


@dataclass(frozen=True)
class Settings:
    """Every setting riskcheck reads, with its default (docs: README, "Configuration")."""

    #: "production" (default), "development" (make run) or "testing"
    env: str
    #: signs session cookies and CSRF tokens; required in production
    secret_key: str
    #: folder holding the shipped questionnaire definitions
    questionnaires_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and check the settings; raise ConfigError when one is unusable."""
        environ = os.environ if environ is None else environ
        env = environ.get("RISKCHECK_ENV", "production")
        if env not in ("production", "development", "testing"):
            raise ConfigError(
                f"RISKCHECK_ENV must be production, development or testing, not {env!r}"
            )
        secret_key = environ.get("RISKCHECK_SECRET_KEY", "")
        if not secret_key:
            if env == "production":
                raise ConfigError(
                    "RISKCHECK_SECRET_KEY is not set. Set it to a long random value, e.g. "
                    "python -c 'import secrets; print(secrets.token_hex(32))'"
                )
            # Development and tests: a fresh key per start (sessions end at restart).
            secret_key = secrets.token_hex(32)
        elif env == "production" and len(secret_key) < 32:
            raise ConfigError("RISKCHECK_SECRET_KEY must be at least 32 characters long")
        folder = Path(environ.get("RISKCHECK_QUESTIONNAIRES", str(SHIPPED_DIR)))
        if not folder.is_dir():
            raise ConfigError(f"RISKCHECK_QUESTIONNAIRES: {folder} is not a folder")
        return cls(env=env, secret_key=secret_key, questionnaires_dir=folder)
