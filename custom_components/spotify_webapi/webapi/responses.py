"""Reading Spotify's answers: JSON bodies and error objects, mapped to this package's errors."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import (
    SpotifyApiError,
    SpotifyAuthorizationError,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyResponseError,
)

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.response import Response


def json_body(response: Response) -> object:
    """The parsed JSON of an answer; None when it has no body (e.g. 204)."""
    if response.status == HTTPStatus.NO_CONTENT or not response.body.strip():
        return None
    try:
        return response.json()
    except (ValueError, RecursionError) as err:
        raise SpotifyResponseError(
            f"Spotify answered {response.method} {_path(response)} with malformed JSON"
        ) from err


def error_for(
    response: Response, *, player_command: bool = False
) -> SpotifyAuthorizationError | SpotifyApiError:
    """The exception for an error status the AuthClient returned rather than raised."""
    message, reason = _error_details(response)
    match response.status:
        case HTTPStatus.UNAUTHORIZED:
            # AuthClient already refreshed and retried once: the grant itself is bad.
            return SpotifyAuthorizationError(f"Spotify refused the authorization: {message}")
        case HTTPStatus.FORBIDDEN:
            return SpotifyForbiddenError(response.status, message, reason)
        case HTTPStatus.NOT_FOUND if player_command:
            return SpotifyNoActiveDeviceError(response.status, message, reason)
        case HTTPStatus.NOT_FOUND:
            return SpotifyNotFoundError(response.status, message, reason)
        case _:
            return SpotifyApiError(response.status, message, reason)


def _error_details(response: Response) -> tuple[str, str | None]:
    """Spotify's message and reason code, from a Web API or an OAuth-style error body."""
    try:
        payload = response.json()
    except (ValueError, RecursionError):
        payload = None
    message: object = None
    reason: object = None
    if isinstance(payload, Mapping):
        error = payload.get("error")
        if isinstance(error, Mapping):
            message, reason = error.get("message"), error.get("reason")
        else:
            message = payload.get("error_description") or error
    if not isinstance(message, str) or not message:
        message = _phrase(response.status)
    return message, reason if isinstance(reason, str) else None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _path(response: Response) -> str:
    """The URL's path only: a query may carry IDs nobody needs in a message."""
    return urlsplit(response.url).path
