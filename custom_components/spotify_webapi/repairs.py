"""Repair issues: what the user must fix at Spotify (the account, or the app's user list)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol
from homeassistant.components.repairs import RepairsFlow
from homeassistant.helpers import issue_registry as ir

from .const import DEVELOPER_DASHBOARD_URL, DOMAIN, ISSUE_FEATURE_SCOPES, ISSUE_PREMIUM_REQUIRED
from .feature_scopes import ReauthorizeFixFlow

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.data_entry_flow import FlowResult

    from .coordinator import SpotifyWebApiConfigEntry


def entry_issue_id(kind: str, entry: SpotifyWebApiConfigEntry) -> str:
    """One issue of each kind per account."""
    return f"{kind}_{entry.entry_id}"


def async_create_premium_issue(
    hass: HomeAssistant, entry: SpotifyWebApiConfigEntry, message: str
) -> None:
    """Spotify refused the account (403): Premium or the dev-mode user list is needed."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        entry_issue_id(ISSUE_PREMIUM_REQUIRED, entry),
        is_fixable=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_PREMIUM_REQUIRED,
        translation_placeholders={
            "account": entry.title,
            "message": message,
            "developer_dashboard_url": DEVELOPER_DASHBOARD_URL,
        },
        data={"entry_id": entry.entry_id},
    )


def async_delete_premium_issue(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Spotify accepts the account again."""
    ir.async_delete_issue(hass, DOMAIN, entry_issue_id(ISSUE_PREMIUM_REQUIRED, entry))


# HA 2026 narrows these results to RepairsFlowResult and data_schema to probatio.Schema (it
# aliases voluptuous to probatio at runtime); 2025.4 has neither, hence the version-dependent
# ignores below.


class RetryAfterFixFlow(RepairsFlow):
    """Once the user has fixed the account at Spotify, load the entry again."""

    def __init__(self, entry_id: str) -> None:
        """Remember which entry to reload."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> FlowResult:
        """Explain, then retry on confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(self, user_input: dict[str, str] | None = None) -> FlowResult:
        """Reload the entry; if Spotify still refuses, setup raises the issue again."""
        if user_input is not None:
            self.hass.config_entries.async_schedule_reload(self._entry_id)
            return self.async_create_entry(data={})  # type: ignore[return-value, unused-ignore]
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return self.async_show_form(  # type: ignore[return-value, unused-ignore]
            step_id="confirm",
            data_schema=vol.Schema({}),  # type: ignore[arg-type, unused-ignore]
            description_placeholders=issue.translation_placeholders if issue else None,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue: reauthorize for new scopes, else retry after a fix."""
    entry_id = str((data or {})["entry_id"])
    if (data or {}).get("kind") == ISSUE_FEATURE_SCOPES:
        return ReauthorizeFixFlow(entry_id)
    return RetryAfterFixFlow(entry_id)
