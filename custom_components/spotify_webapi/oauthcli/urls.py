"""Endpoint URLs: Spotify's defaults, and the rule that plain http is for loopback only."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SPOTIFY_ACCOUNTS_URL = "https://accounts.spotify.com"
SPOTIFY_AUTHORIZE_URL = f"{SPOTIFY_ACCOUNTS_URL}/authorize"
SPOTIFY_TOKEN_URL = f"{SPOTIFY_ACCOUNTS_URL}/api/token"
SPOTIFY_API_URL = "https://api.spotify.com/v1"

# Environment variables that point the code at other servers (tests, simulator).
ENV_ACCOUNTS_URL = "SPOTIFY_WEBAPI_ACCOUNTS_URL"
ENV_API_URL = "SPOTIFY_WEBAPI_API_URL"


def is_loopback_host(host: str | None) -> bool:
    """Whether a host name or address can only mean this machine."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_safe_url(url: str, what: str) -> str:
    """Return ``url`` if it is https, or http on a loopback host; raise ``ValueError`` otherwise."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url
    raise ValueError(
        f"{what} must be an https URL (plain http is accepted for loopback hosts only): {url!r}"
    )


def accounts_endpoints(base: str | None) -> tuple[str, str]:
    """Authorize and token URLs under an accounts base URL (Spotify's when ``base`` is empty)."""
    if not base:
        return SPOTIFY_AUTHORIZE_URL, SPOTIFY_TOKEN_URL
    base = require_safe_url(base.rstrip("/"), ENV_ACCOUNTS_URL)
    return f"{base}/authorize", f"{base}/api/token"
