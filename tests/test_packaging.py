"""What HACS and hassfest check before a custom integration is installed or accepted.

tests/integration/test_manifest.py covers the manifest as HA's loader reads it, the key
order, and strings.json == translations/en.json; this module adds the rest.
"""

from __future__ import annotations

import ast
import json
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import voluptuous as vol
from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import selector
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict

from custom_components.spotify_webapi.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / DOMAIN
MINIMUM_HA = "2025.4.0"  # the oldest Home Assistant the minimum test leg proves


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text())


# hacs.json: HACS accepts these keys only, with these types (extra keys fail validation).
HACS_JSON = vol.Schema(
    {
        vol.Required("name"): vol.All(str, vol.Length(min=1)),
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): vol.Any(str, [str]),
        vol.Optional("filename"): str,
        vol.Optional("hacs"): str,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): str,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
    },
    extra=vol.PREVENT_EXTRA,
)

# manifest.json of a custom integration: what HACS requires, and hassfest's extra rules.
_PINNED_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[^=<>~!]+$")
MANIFEST_JSON = vol.Schema(
    {
        vol.Required("domain"): DOMAIN,
        vol.Required("name"): vol.All(str, vol.Length(min=1)),
        vol.Required("codeowners"): [vol.Match(r"^@[\w-]+(/[\w-]+)?$")],
        vol.Required("config_flow"): True,
        vol.Required("dependencies"): vol.All([str], vol.Contains("application_credentials")),
        vol.Required("documentation"): vol.All(cv.url, vol.Match(r"^https://")),
        vol.Required("integration_type"): vol.In(
            ["device", "entity", "hardware", "helper", "hub", "service", "system", "virtual"]
        ),
        vol.Required("iot_class"): vol.In(
            [
                "assumed_state",
                "cloud_polling",
                "cloud_push",
                "local_polling",
                "local_push",
                "calculated",
            ]
        ),
        vol.Required("issue_tracker"): vol.All(cv.url, vol.Match(r"^https://")),
        vol.Required("requirements"): [vol.Match(_PINNED_REQUIREMENT)],
        vol.Required("version"): str,
    },
    extra=vol.PREVENT_EXTRA,
)

# A services.yaml field, as hassfest's schema for custom integrations allows it.
SERVICE_FIELD = vol.Schema(
    {
        vol.Optional("name"): str,
        vol.Optional("description"): str,
        vol.Optional("example"): vol.Any(str, int, float, bool, list, dict),
        vol.Optional("default"): object,
        vol.Optional("required"): bool,
        vol.Optional("advanced"): bool,
        vol.Optional("selector"): selector.validate_selector,
        vol.Optional("filter"): dict,
    },
    extra=vol.PREVENT_EXTRA,
)
SERVICE = vol.Schema(
    {
        vol.Optional("name"): str,
        vol.Optional("description"): str,
        vol.Optional("target"): dict,
        vol.Optional("fields"): {str: SERVICE_FIELD},
    },
    extra=vol.PREVENT_EXTRA,
)


def test_hacs_json_passes_hacs_schema() -> None:
    hacs = HACS_JSON(_load_json(ROOT / "hacs.json"))

    assert AwesomeVersion(hacs["homeassistant"]) == AwesomeVersion(MINIMUM_HA)
    assert AwesomeVersion(ha_version) >= AwesomeVersion(hacs["homeassistant"])
    if hacs.get("zip_release"):
        assert hacs.get("filename", "").endswith(".zip")
    # Without content_in_root, HACS installs custom_components/<the only folder>.
    assert not hacs.get("content_in_root", False)


def test_repository_holds_exactly_one_integration() -> None:
    folders = [
        path.name
        for path in (ROOT / "custom_components").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    ]

    assert folders == [DOMAIN]
    assert (PACKAGE / "manifest.json").is_file()
    assert (PACKAGE / "__init__.py").is_file()


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_brand_icons_are_square_pngs_of_the_brands_size(name: str, size: int) -> None:
    header = (PACKAGE / "brand" / name).read_bytes()[:24]

    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert header[12:16] == b"IHDR"
    assert struct.unpack(">II", header[16:24]) == (size, size)


def test_manifest_passes_hacs_and_hassfest_rules() -> None:
    manifest = MANIFEST_JSON(_load_json(PACKAGE / "manifest.json"))

    version = AwesomeVersion(manifest["version"])
    assert version.valid
    assert version.strategy != "unknown"
    # config_flow: true promises a config_flow.py; the application_credentials
    # dependency promises the platform that provides the OAuth implementation.
    assert (PACKAGE / "config_flow.py").is_file()
    assert (PACKAGE / "application_credentials.py").is_file()


def test_pyproject_version_matches_manifest() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    manifest = _load_json(PACKAGE / "manifest.json")

    assert f'version = "{manifest["version"]}"' in pyproject


def _services_yaml() -> dict[str, Any]:
    # HA's own YAML loader, as it reads services.yaml for the action descriptions.
    return dict(load_yaml_dict(str(PACKAGE / "services.yaml")))


def test_services_yaml_passes_hassfest_schema() -> None:
    services = _services_yaml()

    assert services
    for name, service in services.items():
        SERVICE(service or {})
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name)


@pytest.fixture
async def registered_actions(hass: HomeAssistant, enable_custom_integrations: None) -> set[str]:
    """The actions the integration registers when HA loads it (no account needed)."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    return set(hass.services.async_services_for_domain(DOMAIN))


async def test_every_registered_action_is_described_translated_and_has_an_icon(
    registered_actions: set[str],
) -> None:
    services = _services_yaml()
    strings = _load_json(PACKAGE / "strings.json")["services"]
    icons = _load_json(PACKAGE / "icons.json")["services"]

    assert registered_actions
    assert registered_actions == set(services)
    assert set(strings) == set(services)
    assert set(icons) == set(services)
    for name, service in services.items():
        translated = strings[name]
        assert translated["name"]
        assert translated["description"]
        fields = (service or {}).get("fields", {})
        assert set(translated.get("fields", {})) == set(fields), name
        for field, text in translated.get("fields", {}).items():
            assert text["name"], f"{name}.{field}"
            assert text["description"], f"{name}.{field}"
        assert icons[name]["service"].startswith("mdi:")


def _raised_translation_keys() -> set[str]:
    """Literal translation keys of exceptions raised with our translation domain."""
    keys: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if not isinstance(node, ast.Call):
                continue
            keywords = {kw.arg: kw.value for kw in node.keywords}
            key = keywords.get("translation_key")
            if (
                "translation_domain" in keywords
                and isinstance(key, ast.Constant)
                and isinstance(key.value, str)
            ):
                keys.add(key.value)
    return keys


def test_every_raised_exception_key_is_translated() -> None:
    exceptions = _load_json(PACKAGE / "strings.json")["exceptions"]
    raised = _raised_translation_keys()

    assert raised  # the scan found the integration's raises
    missing = sorted(key for key in raised if key not in exceptions)
    assert missing == []
    for key in raised:
        assert exceptions[key]["message"]


def test_translations_have_no_empty_strings() -> None:
    def leaves(node: Any, path: str = "") -> list[tuple[str, Any]]:
        if isinstance(node, dict):
            return [item for key, value in node.items() for item in leaves(value, f"{path}/{key}")]
        return [(path, node)]

    english = _load_json(PACKAGE / "translations" / "en.json")
    empty = [path for path, value in leaves(english) if not (isinstance(value, str) and value)]

    assert empty == []
