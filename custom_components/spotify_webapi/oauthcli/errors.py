"""The exception tree of the OAuth2 client.

Messages carry what the server said (error code and description) but never a
token, code, verifier or client secret.
"""

from __future__ import annotations


class AuthClientError(Exception):
    """Base class of every error raised by the OAuth2 client."""


class AuthorizationError(AuthClientError):
    """The authorization server refused the grant or the client.

    Raised for ``invalid_grant`` (e.g. "Refresh token revoked"),
    ``invalid_client`` and other OAuth2 error responses; the user has to
    authorize again.
    """

    def __init__(
        self, error: str, description: str | None = None, status: int | None = None
    ) -> None:
        """Keep the OAuth2 error code and the server's description."""
        self.error = error
        self.description = description
        self.status = status
        message = f"{error}: {description}" if description else error
        super().__init__(message)


class NotAuthorizedError(AuthClientError):
    """There is no token: the user has not authorized this client yet."""


class StateMismatchError(AuthClientError):
    """The authorization response carried an unexpected ``state``."""


class AuthorizationTimeoutError(AuthClientError):
    """The user did not complete the authorization in time."""


class RateLimitError(AuthClientError):
    """The server answered 429; ``retry_after`` says how long to wait."""

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        """Keep the number of seconds to wait before the next request."""
        self.retry_after = retry_after
        super().__init__(message or f"rate limited; retry after {retry_after:g} s")


class ServiceError(AuthClientError):
    """The server failed (5xx), timed out or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status where there was one."""
        self.status = status
        super().__init__(message)


class TokenTestError(AuthClientError):
    """A freshly obtained token failed the caller's ``token_test``."""
