"""Repair issues and their fix flows.

The premium issue is what the user must fix at Spotify (the account, or the app's user
list); the feature-scopes issue (feature_scopes.py) is fixed by authorizing again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import voluptuous as vol
from homeassistant.components.repairs import RepairsFlow
from homeassistant.helpers import issue_registry as ir

from .const import DEVELOPER_DASHBOARD_URL, DOMAIN, ISSUE_FEATURE_SCOPES, ISSUE_PREMIUM_REQUIRED

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant
    from homeassistant.data_entry_flow import FlowResult


def entry_issue_id(kind: str, entry: ConfigEntry) -> str:
    """One issue of each kind per account."""
    return f"{kind}_{entry.entry_id}"


def async_create_premium_issue(hass: HomeAssistant, entry: ConfigEntry, message: str) -> None:
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


def async_delete_premium_issue(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Spotify accepts the account again."""
    ir.async_delete_issue(hass, DOMAIN, entry_issue_id(ISSUE_PREMIUM_REQUIRED, entry))


# HA 2026 narrows these results to RepairsFlowResult and data_schema to probatio.Schema (it
# aliases voluptuous to probatio at runtime); 2025.4 has neither, hence the version-dependent
# ignores below.


class _ConfirmFixFlow(RepairsFlow):
    """Explain the issue (its placeholders), then fix it on confirmation."""

    def __init__(self, entry_id: str) -> None:
        """Remember which entry the issue is about."""
        self._entry_id = entry_id

    def _fix(self) -> None:
        raise NotImplementedError

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> FlowResult:
        """Go straight to the explanation."""
        return await self.async_step_confirm()

    async def async_step_confirm(self, user_input: dict[str, str] | None = None) -> FlowResult:
        """Show the explanation; on confirmation, fix."""
        if user_input is not None:
            self._fix()
            return self.async_create_entry(data={})  # type: ignore[return-value, unused-ignore]
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return self.async_show_form(  # type: ignore[return-value, unused-ignore]
            step_id="confirm",
            data_schema=vol.Schema({}),  # type: ignore[arg-type, unused-ignore]
            description_placeholders=issue.translation_placeholders if issue else None,
        )


class RetryAfterFixFlow(_ConfirmFixFlow):
    """Once the user has fixed the account at Spotify, load the entry again."""

    def _fix(self) -> None:
        """Reload the entry; if Spotify still refuses, setup raises the issue again."""
        self.hass.config_entries.async_schedule_reload(self._entry_id)


class ReauthorizeFixFlow(_ConfirmFixFlow):
    """Explain which optional scopes are missing, then start the entry's re-authorization."""

    def _fix(self) -> None:
        """Start reauth; its success reloads the entry and clears the issue."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is not None:
            entry.async_start_reauth(self.hass)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue: reauthorize for new scopes, else retry after a fix."""
    data = data or {}
    entry_id = str(data["entry_id"])
    if data.get("kind") == ISSUE_FEATURE_SCOPES:
        return ReauthorizeFixFlow(entry_id)
    return RetryAfterFixFlow(entry_id)
