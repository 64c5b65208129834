"""One Retry-After gate per Spotify app, shared by every account signed in through it.

Spotify counts requests per app (client id): a 429 answered to one account means the
app's budget is spent, so the other accounts on the same app wait too, and resume
together. Accounts on another app keep their own gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .webapi import RateLimitGate

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation

_GATES: Final[HassKey[dict[str, RateLimitGate]]] = HassKey(f"{DOMAIN}_rate_gates")


def app_rate_gate(
    hass: HomeAssistant, implementation: AbstractOAuth2Implementation
) -> RateLimitGate:
    """The gate of the Spotify app behind ``implementation`` (its client id)."""
    # Application credentials are LocalOAuth2Implementations, which carry the client
    # id; any other implementation is an app of its own.
    client_id = getattr(implementation, "client_id", None)
    app = client_id if isinstance(client_id, str) and client_id else implementation.domain
    return hass.data.setdefault(_GATES, {}).setdefault(app, RateLimitGate())
