"""Settings from the environment: the region whose numbers patients are shown."""

from __future__ import annotations

import pytest

from riskcheck.contacts import CONTACT_IDS, available_regions, region
from riskcheck.web.config import ConfigError, Settings

BASE = {"RISKCHECK_ENV": "testing"}


@pytest.mark.parametrize(
    ("value", "regions"),
    [("", ("GB", "US")), ("GB", ("GB",)), ("us", ("US",)), ("US, GB", ("US", "GB"))],
)
def test_the_region_setting(value: str, regions: tuple[str, ...]) -> None:
    assert Settings.from_env({**BASE, "RISKCHECK_REGION": value}).regions == regions


def test_an_unknown_region_refuses_to_start() -> None:
    with pytest.raises(ConfigError, match="no region 'FR'.*GB, US"):
        Settings.from_env({**BASE, "RISKCHECK_REGION": "FR"})


@pytest.mark.parametrize("code", available_regions())
def test_every_shipped_region_has_every_contact_with_a_source(code: str) -> None:
    found = region(code)
    for contact_id in CONTACT_IDS:
        contact = found.contacts[contact_id]
        assert contact.action
        assert contact.source
    assert found.contacts["emergency"].numbers  # one number first, to tap
    assert found.contacts["mental_health_crisis"].numbers


def test_a_region_missing_a_contact_refuses_to_start(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import riskcheck.contacts as contacts

    (tmp_path / "XX.yaml").write_text(
        "code: XX\nname: Somewhere\ncontacts:\n  emergency:\n    action: Call 1 2 3.\n"
        "    numbers: [{number: '123', label: Call 123}]\n    source: a source\n"
    )
    monkeypatch.setattr(contacts, "REGION_DIR", tmp_path)
    contacts.region.cache_clear()
    try:
        with pytest.raises(ConfigError, match="XX.yaml: no contact mental_health_crisis"):
            Settings.from_env({**BASE, "RISKCHECK_REGION": "XX"})
    finally:
        contacts.region.cache_clear()
