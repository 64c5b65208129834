"""Every language file says everything strings.json says, with the same placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import custom_components.spotify_webapi as integration

PACKAGE = Path(integration.__file__).parent
LANGUAGES = sorted((PACKAGE / "translations").glob("*.json"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The languages the README promises, besides English.
PROMISED = {"de", "en", "es", "fr", "nl"}


def leaves(node: Any, path: str = "") -> dict[str, str]:
    """Every string of a translation file by its key path."""
    if isinstance(node, dict):
        found: dict[str, str] = {}
        for key, value in node.items():
            found |= leaves(value, f"{path}/{key}")
        return found
    assert isinstance(node, str), f"{path} is not a string"
    return {path: node}


SOURCE = leaves(json.loads((PACKAGE / "strings.json").read_text(encoding="utf-8")))


def test_the_promised_languages_are_there() -> None:
    assert {path.stem for path in LANGUAGES} >= PROMISED


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda path: path.stem)
def test_keys_and_placeholders_match_strings_json(language: Path) -> None:
    translated = leaves(json.loads(language.read_text(encoding="utf-8")))

    assert sorted(set(SOURCE) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(SOURCE)) == [], "not in strings.json"
    for key, text in translated.items():
        assert text.strip(), key
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(SOURCE[key])), key


def test_the_checks_catch_a_lost_placeholder() -> None:
    key = next(k for k, text in SOURCE.items() if PLACEHOLDER.search(text))
    broken = PLACEHOLDER.sub("", SOURCE[key])

    assert sorted(PLACEHOLDER.findall(broken)) != sorted(PLACEHOLDER.findall(SOURCE[key]))


def test_every_select_option_of_the_actions_is_translated() -> None:
    """A select field in services.yaml names its options through a translation key."""
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    strings = json.loads((PACKAGE / "strings.json").read_text())
    selects = [
        (f"{action}.{name}", field["selector"]["select"])
        for action, spec in services.items()
        for name, field in (spec.get("fields") or {}).items()
        if "select" in (field.get("selector") or {})
    ]
    assert len(selects) >= 2
    for where, select in selects:
        key = select.get("translation_key")
        assert key, f"{where} has no translation_key"
        options = {str(option) for option in select["options"]}
        assert set(strings["selector"][key]["options"]) == options, where
