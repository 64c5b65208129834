"""quality_scale.yaml stays honest: statuses are known, and doc claims name real README sections."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCALE = ROOT / "custom_components" / "spotify_webapi" / "quality_scale.yaml"
README_CLAIM = re.compile(r"^README: (?P<section>.+?)\.?$")


def rules() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(SCALE.read_text())
    return {name: ({"status": v} if isinstance(v, str) else v) for name, v in data["rules"].items()}


def readme_sections() -> set[str]:
    headings = re.findall(r"^#{2,3} (.+)$", (ROOT / "README.md").read_text(), re.MULTILINE)
    return {h.strip() for h in headings} | {"the introduction"}


def test_every_rule_has_a_known_status_and_a_reason_unless_done() -> None:
    found = rules()
    assert len(found) > 40
    for name, rule in found.items():
        assert rule["status"] in {"done", "todo", "exempt"}, name
        if rule["status"] != "done":
            assert rule.get("comment"), f"{name} is {rule['status']} without a reason"


def test_documentation_claims_name_real_readme_sections() -> None:
    sections = readme_sections()
    claims = {
        name: match.group("section")
        for name, rule in rules().items()
        if (match := README_CLAIM.match(rule.get("comment", "")))
    }
    assert len(claims) >= 10
    for name, section in claims.items():
        assert section in sections, f"{name} points at a README section that is missing: {section}"
    docs = [name for name in rules() if name.startswith("docs-")]
    assert all(name in claims for name in docs if rules()[name]["status"] == "done")
