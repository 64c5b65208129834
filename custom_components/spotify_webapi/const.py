"""Constants shared by the integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "spotify_webapi"

# Everything the integration asks Spotify for; a token lacking any of these needs reauth.
SCOPES: Final[tuple[str, ...]] = (
    "user-read-private",
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
    "user-read-playback-position",
    "user-read-recently-played",
    "user-top-read",
    "user-library-read",
    "user-follow-read",
    "playlist-read-private",
    "playlist-read-collaborative",
)

DEVELOPER_DASHBOARD_URL: Final = "https://developer.spotify.com/dashboard"

# Options: how often to poll, and which devices to offer.
CONF_PLAYING_INTERVAL: Final = "playing_interval"
CONF_IDLE_INTERVAL: Final = "idle_interval"
CONF_SHOW_RESTRICTED_DEVICES: Final = "show_restricted_devices"

DEFAULT_PLAYING_INTERVAL: Final = 5
DEFAULT_IDLE_INTERVAL: Final = 30
DEFAULT_SHOW_RESTRICTED_DEVICES: Final = False
# Bounds in seconds: faster polling risks Spotify's rate limit, slower makes the state stale.
PLAYING_INTERVAL_RANGE: Final = (1, 60)
IDLE_INTERVAL_RANGE: Final = (5, 600)

# Repair issue ids (one per config entry: the entry id is appended).
ISSUE_MISSING_SCOPES: Final = "missing_scopes"
ISSUE_PREMIUM_REQUIRED: Final = "premium_required"
