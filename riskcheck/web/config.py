"""Settings read from RISKCHECK_* environment variables, checked at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from riskcheck.contacts import DEFAULT_REGIONS
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
    #: SQLAlchemy URL; None means a SQLite file in the instance folder
    database_url: str | None = None
    #: create or upgrade the schema at start-up (turn off to run migrations as a separate step)
    auto_migrate: bool = True
    #: Flask-Limiter storage: memory:// for one process, redis://host:6379 for several
    ratelimit_storage: str = "memory://"
    #: responses older than this many days are deleted by `riskcheck purge`
    retention_days: int = 365
    #: a publisher may not publish a draft they edited last; another publisher must
    two_person_rule: bool = False
    #: session cookies only over HTTPS (off only for local http)
    secure_cookies: bool = True
    #: how many reverse proxies set X-Forwarded-* in front of the app (0: trust none)
    proxy_hops: int = 0
    #: a clinician is signed out after this many minutes without a request
    session_minutes: int = 30
    #: the address people use to reach the app, for links printed on the console
    base_url: str = "http://127.0.0.1:5000"
    #: the regions whose emergency and crisis numbers patients are shown (riskcheck/regions),
    #: the patients' own first; several are each shown under their name
    regions: tuple[str, ...] = DEFAULT_REGIONS

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
        return cls(
            env=env,
            secret_key=secret_key,
            questionnaires_dir=folder,
            database_url=environ.get("RISKCHECK_DATABASE_URL") or None,
            auto_migrate=_flag(environ, "RISKCHECK_AUTO_MIGRATE", True),
            ratelimit_storage=environ.get("RISKCHECK_RATELIMIT_STORAGE", "memory://"),
            retention_days=_number(environ, "RISKCHECK_RETENTION_DAYS", 365, 1),
            two_person_rule=_flag(environ, "RISKCHECK_TWO_PERSON_RULE", False),
            secure_cookies=_flag(environ, "RISKCHECK_SECURE_COOKIES", env == "production"),
            proxy_hops=_number(environ, "RISKCHECK_PROXY_HOPS", 0, 0),
            session_minutes=_number(environ, "RISKCHECK_SESSION_MINUTES", 30, 1),
            base_url=environ.get("RISKCHECK_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            regions=_regions(environ.get("RISKCHECK_REGION", "")),
        )


def _regions(value: str) -> tuple[str, ...]:
    """RISKCHECK_REGION: one code (GB) or several (GB,US); unset: GB and US both shown."""
    from riskcheck.contacts import RegionError, region

    codes = tuple(dict.fromkeys(c.strip().upper() for c in value.split(",") if c.strip()))
    for code in codes or DEFAULT_REGIONS:
        try:
            region(code)
        except RegionError as exc:
            raise ConfigError(f"RISKCHECK_REGION: {exc}") from None
    return codes or DEFAULT_REGIONS


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _number(environ: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    value = environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return number
