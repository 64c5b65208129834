"""Every language file says everything strings.json says, with the same placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import custom_components.spotify_webapi as integration
from custom_components.spotify_webapi.voice.answers import ERROR_ANSWERS

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


# The top-level categories hassfest's strings schema accepts for an integration
# (script/hassfest/translations.py, gen_strings_schema); "common" holds plain texts.
HASSFEST_CATEGORIES = {
    "title",
    "config",
    "config_subentries",
    "options",
    "preview_features",
    "selector",
    "device_automation",
    "system_health",
    "config_panel",
    "application_credentials",
    "issues",
    "entity_component",
    "device",
    "entity",
    "exceptions",
    "services",
    "conditions",
    "triggers",
    "conversation",
    "common",
}
# hassfest's translation_value_validator, for the plain texts of "common".
_SLUG = re.compile(r"^[a-z0-9_]+$")
_SINGLE_QUOTED_PLACEHOLDER = re.compile(r"'{\w+}'")
_URL = re.compile(r"((https?|ftp)://|www\.)", re.IGNORECASE)


@pytest.mark.parametrize("path", [PACKAGE / "strings.json", *LANGUAGES], ids=lambda p: p.name)
def test_categories_and_common_texts_pass_hassfest_rules(path: Path) -> None:
    strings = json.loads(path.read_text(encoding="utf-8"))

    assert set(strings) <= HASSFEST_CATEGORIES
    for key, text in strings["common"].items():
        assert _SLUG.match(key), key
        assert isinstance(text, str), key
        assert text == text.strip(), key
        assert "<" not in text, key
        assert not _SINGLE_QUOTED_PLACEHOLDER.search(text), key
        assert not _URL.search(text), key
        assert all(name.isidentifier() for name in PLACEHOLDER.findall(text)), key


def test_each_spoken_error_uses_only_what_its_error_carries() -> None:
    """A voice answer for an error is filled from that error's placeholders alone."""
    strings = json.loads((PACKAGE / "strings.json").read_text(encoding="utf-8"))
    assert set(ERROR_ANSWERS) <= set(strings["exceptions"])
    for error, answer in ERROR_ANSWERS.items():
        carried = set(PLACEHOLDER.findall(strings["exceptions"][error]["message"]))
        assert set(PLACEHOLDER.findall(strings["common"][answer])) <= carried, error


def test_every_voice_answer_the_code_names_exists() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [PACKAGE / "intents.py", *sorted((PACKAGE / "voice").glob("*.py"))]
    )
    named = set(re.findall(r'"(voice_\w+)"', source))
    common = json.loads((PACKAGE / "strings.json").read_text(encoding="utf-8"))["common"]
    assert len(named) > 20
    assert named <= set(common)
