"""quality_scale.yaml stays honest: each claim that can be checked in the source is checked.

A rule marked done (or exempt) must pass its check below; a rule marked todo whose check
passes should be marked done instead. Behaviour behind the claims (reauth, unavailability,
diagnostics redaction...) is proven by the tests each comment names.
"""

from __future__ import annotations

import ast
import json
import re
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from custom_components.spotify_webapi import const
from tests.test_packaging import _raised_translation_keys

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / "spotify_webapi"
SCALE = PACKAGE / "quality_scale.yaml"
# "README: <section>." or "docs/<file>.md: <section>.": a heading the claim names.
README_CLAIM = re.compile(r"^(?P<file>README|docs/[\w-]+\.md): (?P<section>.+?)\.?$")
PLATFORMS = ("media_player",)


def rules() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(SCALE.read_text())
    return {name: ({"status": v} if isinstance(v, str) else v) for name, v in data["rules"].items()}


def readme_sections(document: str = "README") -> set[str]:
    """The headings of the README (or of a file under docs/)."""
    path = ROOT / ("README.md" if document == "README" else document)
    headings = re.findall(r"^#{1,3} (.+)$", path.read_text(), re.MULTILINE)
    return {h.strip() for h in headings} | ({"the introduction"} if document == "README" else set())


def module(name: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{name}.py").read_text())


def functions(tree: ast.AST) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method of a module, by name (the last one wins)."""
    return {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def calls(tree: ast.AST) -> set[str]:
    """Names of what a piece of code calls (``a.b.c()`` gives ``c``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            found.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return found


def strings() -> dict[str, Any]:
    return json.loads((PACKAGE / "strings.json").read_text())


def manifest() -> dict[str, Any]:
    return json.loads((PACKAGE / "manifest.json").read_text())


def ha_side_sources() -> list[Path]:
    """The integration's own modules; oauthcli/ and webapi/ are a library that runs outside HA."""
    library = (PACKAGE / "oauthcli", PACKAGE / "webapi")
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not p.is_relative_to(library[0]) and not p.is_relative_to(library[1])
    )


# --- one check per checkable rule: each returns the problems it found ----------------------

TYPED_ENTRY = re.compile(r"^[A-Za-z]+ConfigEntry$")
# Where HA hands over the entry (hassfest's runtime-data rule lists the same places).
ENTRY_PARAMETERS = {
    "__init__": ("async_setup_entry", "async_unload_entry", "async_remove_entry"),
    "diagnostics": ("async_get_config_entry_diagnostics", "async_get_device_diagnostics"),
    **dict.fromkeys(PLATFORMS, ("async_setup_entry",)),
}


def runtime_data() -> list[str]:
    problems = []
    setup = functions(module("__init__"))["async_setup_entry"]
    entry = setup.args.args[1].arg
    if not any(
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and node.attr == "runtime_data"
        and getattr(node.value, "id", None) == entry
        for node in ast.walk(setup)
    ):
        problems.append("async_setup_entry does not set entry.runtime_data")
    places = [(name, fn, 2) for name, fns in ENTRY_PARAMETERS.items() for fn in fns]
    places.append(("config_flow", "async_get_options_flow", 1))
    for name, fn, position in places:
        found = functions(module(name)).get(fn)
        if found is None:
            continue
        annotation = found.args.args[position - 1].annotation
        if not (isinstance(annotation, ast.Name) and TYPED_ENTRY.match(annotation.id)):
            problems.append(f"{name}.{fn} does not take the typed config entry")
    # Everywhere else too: no bare or Any-typed ConfigEntry where runtime data is read. The
    # modules below the coordinator (repairs, the waker...) take a plain entry: they never
    # read its runtime data, and the typed entry (data.py) would loop back to them.
    for source in ha_side_sources():
        tree = ast.parse(source.read_text())
        reads_runtime_data = any(
            isinstance(node, ast.Attribute) and node.attr == "runtime_data"
            for node in ast.walk(tree)
        )
        if not reads_runtime_data:
            continue
        for node in ast.walk(tree):
            annotation = getattr(node, "annotation", None) or getattr(node, "returns", None)
            if annotation is not None and re.search(r"\bConfigEntry\b", ast.unparse(annotation)):
                problems.append(f"{source.name}: {ast.unparse(annotation)}")
    return problems


def strict_typing() -> list[str]:
    """Every requirement must ship type information (PEP 561), as hassfest demands."""
    problems = []
    for requirement in manifest()["requirements"]:
        name = requirement.split("==")[0]
        files = metadata.distribution(name).files or []
        if not any(f.name == "py.typed" for f in files):
            problems.append(f"{requirement} ships no py.typed")
    return problems


def appropriate_polling() -> list[str]:
    """Core fixes the polling interval in code; user-set intervals do not follow the rule."""
    const = (PACKAGE / "const.py").read_text()
    return [
        f"user-set interval option {n}"
        for n in re.findall(r"^(CONF_\w+_INTERVAL)\b", const, re.MULTILINE)
    ]


def parallel_updates() -> list[str]:
    problems = []
    for platform in PLATFORMS:
        assigned = {
            target.id: node.value
            for node in module(platform).body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        value = assigned.get("PARALLEL_UPDATES")
        if not (isinstance(value, ast.Constant) and isinstance(value.value, int)):
            problems.append(f"{platform} sets no PARALLEL_UPDATES")
    return problems


def exception_translations() -> list[str]:
    translated = strings()["exceptions"]
    return [f"untranslated {key}" for key in sorted(_raised_translation_keys() - set(translated))]


def diagnostics() -> list[str]:
    from custom_components.spotify_webapi.diagnostics import TO_REDACT  # noqa: PLC0415

    defined = functions(module("diagnostics"))
    problems = [
        f"diagnostics.py lacks {fn}"
        for fn in ("async_get_config_entry_diagnostics", "async_get_device_diagnostics")
        if fn not in defined
    ]
    secrets = {"access_token", "refresh_token", "client_id", "client_secret"}
    return problems + [f"{key} is not redacted" for key in sorted(secrets - TO_REDACT)]


def reauthentication_flow() -> list[str]:
    flow = functions(module("config_flow"))
    text = strings()["config"]
    problems = [] if "async_step_reauth" in flow else ["no async_step_reauth"]
    problems += [] if "reauth_confirm" in text["step"] else ["reauth_confirm is not translated"]
    return problems + ([] if "reauth_successful" in text["abort"] else ["no reauth_successful"])


def reconfiguration_flow() -> list[str]:
    flow = functions(module("config_flow"))
    problems = [] if "async_step_reconfigure" in flow else ["no async_step_reconfigure"]
    abort = strings()["config"]["abort"]
    return problems + ([] if "reconfigure_successful" in abort else ["no reconfigure_successful"])


def first_refresh_before_setup() -> list[str]:
    setup = functions(module("__init__"))["async_setup_entry"]
    return [] if "async_config_entry_first_refresh" in calls(setup) else ["no first refresh"]


def config_entry_unloading() -> list[str]:
    unload = functions(module("__init__")).get("async_unload_entry")
    if unload is None:
        return ["no async_unload_entry"]
    return [] if "async_unload_platforms" in calls(unload) else ["platforms are not unloaded"]


def unique_config_entry() -> list[str]:
    used = calls(module("config_flow"))
    needed = {"async_set_unique_id", "_abort_if_unique_id_configured"}
    return [f"config flow never calls {name}" for name in sorted(needed - used)]


def action_setup() -> list[str]:
    init = functions(module("__init__"))
    registered_early = "async_setup_services" in calls(init["async_setup"])
    registered_late = "async_setup_services" in calls(init["async_setup_entry"])
    return [] if registered_early and not registered_late else ["actions not set up in async_setup"]


def has_entity_name() -> list[str]:
    source = (PACKAGE / "entity.py").read_text()
    return [] if "_attr_has_entity_name = True" in source else ["has_entity_name is not set"]


def entity_unique_id() -> list[str]:
    source = (PACKAGE / "media_player.py").read_text()
    return [] if "_attr_unique_id =" in source else ["the player has no unique id"]


def icon_translations() -> list[str]:
    icons = json.loads((PACKAGE / "icons.json").read_text())
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    return [f"action {name} has no icon" for name in sorted(set(services) - set(icons["services"]))]


def brands() -> list[str]:
    return [
        f"brand/{n} is missing"
        for n in ("icon.png", "icon@2x.png")
        if not (PACKAGE / "brand" / n).is_file()
    ]


def config_flow() -> list[str]:
    return [
        f"{step_id}.{field} has no data_description"
        for step_id, step in strings()["config"]["step"].items()
        for field in step.get("data", {})
        if field not in step.get("data_description", {})
    ]


def dependency_transparency() -> list[str]:
    return [r for r in manifest()["requirements"] if not re.fullmatch(r"[\w.-]+==[\w.]+", r)]


def discovery() -> list[str]:
    """Exempt: a cloud service; the manifest must not claim any discovery."""
    keys = {"bluetooth", "dhcp", "homekit", "mqtt", "ssdp", "usb", "zeroconf"}
    return [f"manifest declares {key}" for key in sorted(keys & set(manifest()))]


def inject_websession() -> list[str]:
    problems = [
        f"{source.name} creates its own aiohttp session"
        for source in ha_side_sources()
        if "ClientSession(" in source.read_text()
    ]
    auth = (PACKAGE / "auth.py").read_text()
    return problems + ([] if "async_get_clientsession(hass)" in auth else ["HA's session unused"])


ENTITY_PLATFORMS = ("media_player", "event", "switch")


def entity_attributes_set(attribute: str) -> list[str]:
    """Where a platform's entity sets ``attribute`` (as ``_attr_x`` or a property ``x``)."""
    found = []
    for platform in ENTITY_PLATFORMS:
        for node in ast.walk(module(platform)):
            names = []
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [
                    t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "")
                    for t in targets
                ]
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [node.name]
            found += [
                f"{platform}.py sets {n}" for n in names if n in (attribute, f"_attr_{attribute}")
            ]
    return found


def entity_category() -> list[str]:
    """Weighed per entity: none is configuration or diagnostics (the comment says why)."""
    return entity_attributes_set("entity_category")


def entity_device_class() -> list[str]:
    """Weighed per entity: no device class fits (the comment says why)."""
    return entity_attributes_set("device_class")


def entity_disabled_by_default() -> list[str]:
    """Every entity is enabled: each is what users come for (the comment says why)."""
    return entity_attributes_set("entity_registry_enabled_default")


def repair_issues() -> list[str]:
    created = set()
    for source in ha_side_sources():
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and "async_create_issue" in calls(node):
                key = next(kw.value for kw in node.keywords if kw.arg == "translation_key")
                # Issue keys are literals or names from const.py.
                created.add(key.value if isinstance(key, ast.Constant) else getattr(const, key.id))
    if not created:
        return ["no repair issue is raised"]
    return [f"issue {key} is not translated" for key in sorted(created - set(strings()["issues"]))]


CHECKS: dict[str, Callable[[], list[str]]] = {
    "action-setup": action_setup,
    "appropriate-polling": appropriate_polling,
    "brands": brands,
    "config-entry-unloading": config_entry_unloading,
    "config-flow": config_flow,
    "dependency-transparency": dependency_transparency,
    "diagnostics": diagnostics,
    "discovery": discovery,
    "discovery-update-info": discovery,
    "entity-category": entity_category,
    "entity-device-class": entity_device_class,
    "entity-disabled-by-default": entity_disabled_by_default,
    "entity-unique-id": entity_unique_id,
    "exception-translations": exception_translations,
    "has-entity-name": has_entity_name,
    "icon-translations": icon_translations,
    "inject-websession": inject_websession,
    "parallel-updates": parallel_updates,
    "reauthentication-flow": reauthentication_flow,
    "reconfiguration-flow": reconfiguration_flow,
    "repair-issues": repair_issues,
    "runtime-data": runtime_data,
    "strict-typing": strict_typing,
    "test-before-setup": first_refresh_before_setup,
    "unique-config-entry": unique_config_entry,
}


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_each_claim_holds_and_each_todo_is_still_true(rule: str) -> None:
    status = rules()[rule]["status"]
    problems = CHECKS[rule]()
    if status in {"done", "exempt"}:
        assert problems == [], f"{rule} is {status} but: {problems}"
    else:
        assert problems, f"{rule} is {status} although its check passes: mark it done"


def test_the_honest_todos_say_why() -> None:
    # What hassfest rejects and cannot be changed here, marked for what it is.
    assert rules()["strict-typing"]["status"] == "todo"
    assert "py.typed" in rules()["strict-typing"]["comment"]
    assert rules()["appropriate-polling"]["status"] == "todo"
    assert rules()["integration-owner"]["status"] == "todo"
    assert "organisation" in rules()["integration-owner"]["comment"]
    assert "2026.3" in rules()["brands"]["comment"]


def test_every_rule_has_a_known_status_and_a_reason_unless_done() -> None:
    found = rules()
    assert len(found) > 40
    for name, rule in found.items():
        assert rule["status"] in {"done", "todo", "exempt"}, name
        if rule["status"] != "done":
            assert rule.get("comment"), f"{name} is {rule['status']} without a reason"


def test_documentation_claims_name_real_readme_sections() -> None:
    claims = {
        name: (match.group("file"), match.group("section"))
        for name, rule in rules().items()
        if (match := README_CLAIM.match(rule.get("comment", "")))
    }
    assert len(claims) >= 10
    for name, (document, section) in claims.items():
        sections = readme_sections(document)
        assert section in sections, f"{name} points at a missing section of {document}: {section}"
    docs = [name for name in rules() if name.startswith("docs-")]
    assert all(name in claims for name in docs if rules()[name]["status"] == "done")
