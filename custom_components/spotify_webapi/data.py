"""What a loaded entry holds, and the typed config entry that holds it.

Its own module, so that nothing needs the coordinator for a type: the modules the
coordinator uses take a plain ConfigEntry (they never read the runtime data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

    from .coordinator import SpotifyWebApiCoordinator
    from .oauthcli.authclient import AuthClient
    from .webapi import SpotifyWebApiClient

type SpotifyWebApiConfigEntry = ConfigEntry[SpotifyWebApiData]


@dataclass(slots=True)
class SpotifyWebApiData:
    """HA's OAuth2 session, the AuthClient, the Web API client and the account's coordinator."""

    session: OAuth2Session
    auth: AuthClient
    api: SpotifyWebApiClient
    coordinator: SpotifyWebApiCoordinator
