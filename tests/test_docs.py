"""The README works where HACS shows it, and every link of docs/ leads somewhere.

HACS renders README.md outside the repository: a relative link or image there leads
nowhere, so the README links absolutely (or to its own headings). docs/ is read on the
repository's pages, where relative links work and must name files and headings that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/spotify-webapi-ha/spotify_webapi/blob/main/"
RAW = "https://raw.githubusercontent.com/spotify-webapi-ha/spotify_webapi/main/"
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a file's headings."""
    found = set()
    fence = False
    for line in path.read_text().splitlines():
        fence ^= line.startswith("```")
        if not fence and (match := re.match(r"^#{1,6} (.+)$", line)):
            title = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower())
            found.add(title.replace(" ", "-"))
    return found


def target(url: str) -> tuple[Path, str] | None:
    """The repository file (and anchor) a link names, None for an outside page."""
    for prefix in (REPOSITORY, RAW):
        if url.startswith(prefix):
            path, _, anchor = url.removeprefix(prefix).partition("#")
            return ROOT / path, anchor
    return None


def test_the_readme_is_short_and_links_absolutely() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 340  # about 300: what a user needs first
    links = LINK.findall(readme)
    assert len(links) > 10
    for url in links:
        if url.startswith("#"):
            assert url[1:] in anchors(ROOT / "README.md"), url
            continue
        assert url.startswith(("https://", "http://")), f"a relative link in the README: {url}"
        found = target(url)
        if found is not None:
            path, anchor = found
            assert path.exists(), url
            assert not anchor or anchor in anchors(path), url


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_every_link_of_the_docs_leads_somewhere(path: Path) -> None:
    for url in LINK.findall(path.read_text()):
        if url.startswith(("https://", "http://", "mailto:")):
            found = target(url)
            if found is None:
                continue
            file, anchor = found
        else:
            relative, _, anchor = url.partition("#")
            file = (path.parent / relative).resolve() if relative else path
        assert file.exists(), f"{path.name}: {url}"
        if anchor and file.suffix == ".md":
            assert anchor in anchors(file), f"{path.name}: {url}"
