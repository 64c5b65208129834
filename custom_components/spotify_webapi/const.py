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

# Options: how often to poll, which devices to offer, and where to play when nothing is active.
CONF_PLAYING_INTERVAL: Final = "playing_interval"
CONF_IDLE_INTERVAL: Final = "idle_interval"
CONF_SHOW_RESTRICTED_DEVICES: Final = "show_restricted_devices"
CONF_DEFAULT_DEVICE: Final = "default_device"

# Wake-up actions, per remembered device: {device key: {entity_id, wait}}.
CONF_WAKE_UP: Final = "wake_up"
CONF_WAKE_UP_ENTITY: Final = "entity_id"
CONF_WAKE_UP_WAIT: Final = "wait"
# Media players in HA that are Spotify Connect devices, per remembered device: when one
# changes its state or source, the playback likely changed ({device key: entity_id}).
CONF_LINKED_PLAYERS: Final = "linked_players"
# Seconds to wait for Spotify to list a woken device: speakers take 5 to 30 s to sign in.
DEFAULT_WAKE_UP_WAIT: Final = 30
WAKE_UP_WAIT_RANGE: Final = (5, 300)
# While waiting, the device list is read at most this often, backing off to the maximum.
WAKE_UP_READ_INTERVAL: Final = 2.0
WAKE_UP_READ_MAX_INTERVAL: Final = 5.0

# The coordinator also polls when the current item ends, so a slow playing interval
# only delays changes made elsewhere (another app, the device's own buttons).
DEFAULT_PLAYING_INTERVAL: Final = 30
DEFAULT_IDLE_INTERVAL: Final = 90
DEFAULT_SHOW_RESTRICTED_DEVICES: Final = False
# Bounds in seconds. Spotify's rate limit is per app over a rolling 30 s window and shared
# by every account signed in with the app (lower still in development mode), so the
# floors leave room for commands, browsing and other accounts; slower makes the state stale.
# Stored values from before these floors were raised to them once (migration.py).
PLAYING_INTERVAL_RANGE: Final = (10, 60)
IDLE_INTERVAL_RANGE: Final = (30, 600)

# Polling (seconds; when to read the player is polling_policy.py's). The device list
# changes rarely and costs a request of its own; it is read fresh whenever a command or a
# form needs it, so this only keeps the source list's online and offline marks current.
DEVICES_REFRESH_INTERVAL: Final = 30 * 60
# After setup, how often to ask again while Spotify refuses the account (403: Premium or
# the app's user list); the repair's fix flow retries at once.
REFUSED_RETRY_INTERVAL: Final = 15 * 60
# One poll confirms the commands given within this window.
CONFIRM_DELAY: Final = 2.0
# After one failed or malformed poll, ask again this soon before the entity goes unavailable.
QUICK_RETRY_DELAY: Final = 5.0
# While Spotify's token endpoint fails, refresh no more often than this, doubling from the
# first to the last value (polls in between fail at once, without a request).
TOKEN_RETRY_BACKOFF: Final = (30.0, 300.0)
# What unmuting restores when the volume before muting is unknown (muted elsewhere).
UNMUTE_FALLBACK_VOLUME: Final = 50

# Repair issue ids (one per config entry: the entry id is appended).
ISSUE_PREMIUM_REQUIRED: Final = "premium_required"
ISSUE_FEATURE_SCOPES: Final = "feature_scopes"
