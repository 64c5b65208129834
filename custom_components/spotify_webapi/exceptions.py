"""Web API failures during an action, browse or search, as translated Home Assistant errors."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .webapi import (
    InvalidArgumentError,
    SpotifyApiError,
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyRateLimitError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Bad input to an action: a translated error, raised before anything is sent."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def translated_error(err: SpotifyError) -> HomeAssistantError:
    """The HA error that tells the user what Spotify's refusal means."""
    key, placeholders = _translation(err)
    error_type = ServiceValidationError if isinstance(err, InvalidArgumentError) else None
    return (error_type or HomeAssistantError)(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _translation(err: SpotifyError) -> tuple[str, dict[str, str]]:
    """Translation key and placeholders; the most specific error class wins."""
    message = err.message if isinstance(err, SpotifyApiError) else str(err)
    key = next((key for kind, key in _KEYS if isinstance(err, kind)), "command_failed")
    if isinstance(err, SpotifyRateLimitError):
        return key, {"seconds": str(math.ceil(err.retry_after))}
    return key, {"message": message}


# Checked in order, so subclasses come before their base classes.
_KEYS: tuple[tuple[type[SpotifyError], str], ...] = (
    (SpotifyRateLimitError, "rate_limited"),
    (SpotifyNoActiveDeviceError, "no_device_responded"),
    (SpotifyNotFoundError, "not_found"),
    (SpotifyForbiddenError, "command_refused"),
    (InvalidArgumentError, "invalid_argument"),
    (SpotifyAuthorizationError, "authorization_refused"),
)


@contextmanager
def spotify_errors(hass: HomeAssistant, entry: ConfigEntry) -> Iterator[None]:
    """Raise Web API failures of the block as translated HA errors; reauth when refused."""
    try:
        yield
    except SpotifyError as err:
        if isinstance(err, SpotifyAuthorizationError):
            entry.async_start_reauth(hass)
        raise translated_error(err) from err
