"""Scopes added after accounts were set up: features that need them, and the way to grant them.

An entry authorized before these scopes existed keeps working: only the features that
need a missing scope are unavailable, a repair issue leads to re-authorization, and the
features come back when the entry is set up again with the new grant.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ISSUE_FEATURE_SCOPES, SCOPES
from .exceptions import invalid
from .oauthcli.scopes import scope_set
from .repairs import entry_issue_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import SpotifyWebApiConfigEntry


class Feature(StrEnum):
    """A group of actions and entities that needs scopes of its own."""

    LIBRARY = "library"
    PLAYLISTS = "playlists"


FEATURE_SCOPES: Final[dict[Feature, tuple[str, ...]]] = {
    Feature.LIBRARY: ("user-library-modify",),
    Feature.PLAYLISTS: ("playlist-modify-private", "playlist-modify-public"),
}
OPTIONAL_SCOPES: Final = tuple(scope for scopes in FEATURE_SCOPES.values() for scope in scopes)
# What a new authorization asks for: the scopes every entry has, then the newer ones.
REQUESTED_SCOPES: Final = (*SCOPES, *OPTIONAL_SCOPES)


def granted_scopes(entry: SpotifyWebApiConfigEntry) -> frozenset[str]:
    """The scopes of the entry's current token (HA keeps it up to date)."""
    token = entry.data.get("token") or {}
    return scope_set(token.get("scope"))


def missing_optional_scopes(entry: SpotifyWebApiConfigEntry) -> list[str]:
    """The optional scopes the entry's grant lacks, in a stable order."""
    granted = granted_scopes(entry)
    return [scope for scope in OPTIONAL_SCOPES if scope not in granted]


def has_feature(entry: SpotifyWebApiConfigEntry, feature: Feature) -> bool:
    """Whether the grant covers every scope of ``feature``."""
    return set(FEATURE_SCOPES[feature]) <= granted_scopes(entry)


def require_feature(entry: SpotifyWebApiConfigEntry, feature: Feature) -> None:
    """Refuse, before sending anything, an action whose scopes were not granted."""
    if not has_feature(entry, feature):
        raise invalid(
            "missing_permission",
            account=entry.title,
            scopes=", ".join(FEATURE_SCOPES[feature]),
        )


def async_update_feature_scopes_issue(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Raise the repair issue while optional scopes are missing; clear it once granted."""
    missing = missing_optional_scopes(entry)
    if not missing:
        ir.async_delete_issue(hass, DOMAIN, entry_issue_id(ISSUE_FEATURE_SCOPES, entry))
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        entry_issue_id(ISSUE_FEATURE_SCOPES, entry),
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_FEATURE_SCOPES,
        translation_placeholders={"account": entry.title, "scopes": ", ".join(missing)},
        data={"entry_id": entry.entry_id, "kind": ISSUE_FEATURE_SCOPES},
    )


def async_delete_feature_scopes_issue(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """The entry is gone: so is its issue."""
    ir.async_delete_issue(hass, DOMAIN, entry_issue_id(ISSUE_FEATURE_SCOPES, entry))
