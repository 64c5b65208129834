"""The exception tree of the Web API client: one base class, one subclass per way a call fails.

Messages carry what Spotify said (status, message, reason) but never a token.
"""

from __future__ import annotations


class SpotifyError(Exception):
    """Base class of every error raised by the Web API client."""


class SpotifyAuthorizationError(SpotifyError):
    """The authorization is missing, expired for good or revoked: the user must authorize again."""


class SpotifyApiError(SpotifyError):
    """Spotify answered a request with an error status."""

    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        """Keep Spotify's status, message and (for player commands) reason code."""
        self.status = status
        self.message = message
        self.reason = reason
        super().__init__(f"{status}: {message}" + (f" ({reason})" if reason else ""))


class SpotifyForbiddenError(SpotifyApiError):
    """Spotify refused the request (403), e.g. Premium required or a restricted device."""


class SpotifyNotFoundError(SpotifyApiError):
    """The requested object does not exist (404)."""


class SpotifyNoActiveDeviceError(SpotifyNotFoundError):
    """A player command found no device to act on (404 from a /me/player endpoint)."""


class SpotifyRateLimitError(SpotifyError):
    """Spotify answered 429; ``retry_after`` says how many seconds to wait."""

    def __init__(self, retry_after: float) -> None:
        """Keep the number of seconds to wait before the next request."""
        self.retry_after = retry_after
        super().__init__(f"rate limited by Spotify; retry after {retry_after:g} s")


class SpotifyServiceUnavailableError(SpotifyError):
    """Spotify failed (5xx), timed out or could not be reached; trying later may help."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status where there was one."""
        self.status = status
        super().__init__(message)


class SpotifyResponseError(SpotifyError):
    """Spotify's answer could not be understood (malformed JSON or not the expected shape)."""


class InvalidArgumentError(SpotifyError, ValueError):
    """The caller passed a value Spotify would reject; detected before anything is sent."""


class InvalidSpotifyUriError(InvalidArgumentError):
    """A string is not a valid Spotify URI, URL or ID (of the expected kind)."""
