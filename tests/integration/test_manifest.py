"""The manifest as HA's loader reads it, hacs.json, and the translation files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from homeassistant.loader import async_get_integration

import custom_components.spotify_webapi as integration
from custom_components.spotify_webapi.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

PACKAGE = Path(integration.__file__).parent
ROOT = PACKAGE.parent.parent


async def test_manifest_loads_with_ha_own_loader(hass: HomeAssistant) -> None:
    loaded = await async_get_integration(hass, DOMAIN)

    assert Path(loaded.file_path) == PACKAGE  # the project's, not another copy
    assert loaded.name == "Spotify Web API"
    assert loaded.config_flow is True
    assert loaded.dependencies == ["application_credentials"]
    assert loaded.iot_class == "cloud_polling"
    assert str(loaded.version) == "0.1.0"
    keys = list(json.loads((PACKAGE / "manifest.json").read_text()))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_hacs_json_keys_and_types() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())

    assert isinstance(hacs["name"], str)
    assert hacs["name"]
    assert isinstance(hacs["homeassistant"], str)
    assert hacs["homeassistant"] == "2025.4.0"
    assert hacs["render_readme"] is True
    assert [p.name for p in (ROOT / "custom_components").iterdir() if p.is_dir()] == [DOMAIN]


def test_strings_and_english_translation_are_the_same() -> None:
    strings = json.loads((PACKAGE / "strings.json").read_text())
    english = json.loads((PACKAGE / "translations" / "en.json").read_text())

    assert strings == english
    assert "[%key:" not in json.dumps(strings)
    steps = strings["options"]["step"]
    assert set(steps["init"]["menu_options"]) == {"settings", "devices"}
    for step in ("settings", "devices", "device"):
        assert set(steps[step]["data"]) == set(steps[step]["data_description"]), step
