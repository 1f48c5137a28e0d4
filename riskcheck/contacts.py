"""Who to contact, by region: definitions name a contact, a region says what it is.

A definition never writes "999" or "911": an interruption names a contact (``emergency``,
``mental_health_crisis``, ``urgent_care``) and the deployment's regions (the files in
``riskcheck/regions/``) give the sentence to say first and the numbers to call. Every
region must define every contact, so no region can miss one (checked when loaded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from riskcheck.model import ContactId

REGION_DIR = Path(__file__).resolve().parent / "regions"
#: the regions shown when a deployment does not say (each under its name)
DEFAULT_REGIONS: tuple[str, ...] = ("GB", "US")
#: every contact a definition may name
CONTACT_IDS: tuple[str, ...] = get_args(get_args(ContactId)[0])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Number(_Model):
    """A number to call (or text), shown as a tap-to-call link."""

    #: digits only, as dialled
    number: str = Field(pattern=r"^[0-9]{2,15}$")
    #: how the number is written for people, e.g. "116 123" (default: the digits)
    display: str | None = None
    #: the link's words, e.g. "Call 999"
    label: str
    #: when to use it, e.g. "if your life is at risk now"
    note: str | None = None
    kind: Literal["tel", "sms"] = "tel"

    @property
    def href(self) -> str:
        """The link: tel:999 or sms:988."""
        return f"{self.kind}:{self.number}"

    @property
    def shown(self) -> str:
        return self.display or self.number


class Contact(_Model):
    """What to do now, in one sentence, and the numbers that do it."""

    action: str
    numbers: list[Number]
    #: where the advice and numbers come from
    source: str


class Region(_Model):
    """A deployment region: its contacts."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    #: how the region is named in a sentence, e.g. "the UK" ("In the UK: ...")
    name: str
    contacts: dict[str, Contact]


class RegionError(ValueError):
    """A region file is missing, unreadable or incomplete."""


@cache
def region(code: str) -> Region:
    """The region with this code (e.g. ``GB``), read from ``riskcheck/regions/``.

    :raises RegionError: naming the file and what to fix.
    """
    path = REGION_DIR / f"{code}.yaml"
    if not path.is_file():
        known = ", ".join(available_regions()) or "none"
        raise RegionError(f"no region '{code}' (regions: {known}; add {path.name} to {REGION_DIR})")
    try:
        found = Region.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise RegionError(f"{path}: {exc}") from None
    missing = [c for c in CONTACT_IDS if c not in found.contacts]
    if missing:
        raise RegionError(f"{path}: no contact {', '.join(missing)} (every region needs each)")
    return found


def available_regions() -> list[str]:
    """The codes of the region files shipped."""
    return sorted(p.stem for p in REGION_DIR.glob("*.yaml"))


@dataclass(frozen=True)
class RegionContacts:
    """The contacts to show, for one region."""

    region: Region
    contacts: tuple[Contact, ...]


def contacts_for(codes: Iterable[str], contact_ids: Iterable[str]) -> list[RegionContacts]:
    """For each region, the contacts named (in the order named, each once)."""
    wanted = list(dict.fromkeys(contact_ids))
    out = []
    for code in codes:
        found = region(code)
        out.append(RegionContacts(found, tuple(found.contacts[c] for c in wanted)))
    return out
