"""The exception tree of the OAuth2 client.

Messages carry what the server said (error code and description) but never a
token, code, verifier or client secret.

Where spotifywebapipython raised an oauthlib error, ours also derives from that
class, so an ``except InvalidGrantError:`` written for the original still
catches it. oauthlib ships no type hints, hence the ``misc`` ignores.
"""

from __future__ import annotations

from typing import Final

from oauthlib.oauth2 import (
    AccessDeniedError,
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    MismatchingStateError,
    ServerError,
    TemporarilyUnavailableError,
    TokenExpiredError,
    UnauthorizedClientError,
    UnsupportedGrantTypeError,
)


class AuthClientError(Exception):
    """Base class of every error raised by the OAuth2 client."""

    # What oauthlib's handlers read from its errors, for the classes that are also one.
    description: str | None = None
    uri: str | None = None
    state: str | None = None

    def __init__(self, message: str = "") -> None:
        """Keep the message as is (oauthlib's own constructor would rewrite it)."""
        Exception.__init__(self, message)
        if self.description is None:
            self.description = message


class AuthorizationError(AuthClientError):
    """The authorization server refused the grant or the client.

    Raised for ``invalid_grant`` (e.g. "Refresh token revoked"),
    ``invalid_client`` and other OAuth2 error responses; the user has to
    authorize again. ``authorization_error`` picks the subclass that is also
    oauthlib's error of the same code.
    """

    def __init__(
        self, error: str, description: str | None = None, status: int | None = None
    ) -> None:
        """Keep the OAuth2 error code and the server's description."""
        self.error = error
        self.status = status
        if status is not None:
            self.status_code = status
        super().__init__(f"{error}: {description}" if description else error)
        self.description = description


class InvalidGrantAuthorizationError(AuthorizationError, InvalidGrantError):  # type: ignore[misc]
    """``invalid_grant``: the code or refresh token is expired, revoked or unknown."""


class InvalidClientAuthorizationError(AuthorizationError, InvalidClientError):  # type: ignore[misc]
    """``invalid_client``: the client id or secret was refused."""


class InvalidScopeAuthorizationError(AuthorizationError, InvalidScopeError):  # type: ignore[misc]
    """``invalid_scope``: a requested scope is unknown or exceeds the grant."""


class AccessDeniedAuthorizationError(AuthorizationError, AccessDeniedError):  # type: ignore[misc]
    """``access_denied``: the user declined."""


class UnauthorizedClientAuthorizationError(AuthorizationError, UnauthorizedClientError):  # type: ignore[misc]
    """``unauthorized_client``: this client may not use this grant."""


class InvalidRequestAuthorizationError(AuthorizationError, InvalidRequestError):  # type: ignore[misc]
    """``invalid_request``: the request was malformed."""


class UnsupportedGrantAuthorizationError(AuthorizationError, UnsupportedGrantTypeError):  # type: ignore[misc]
    """``unsupported_grant_type``: the server does not offer this grant."""


_BY_ERROR: Final[dict[str, type[AuthorizationError]]] = {
    "invalid_grant": InvalidGrantAuthorizationError,
    "invalid_client": InvalidClientAuthorizationError,
    "invalid_scope": InvalidScopeAuthorizationError,
    "access_denied": AccessDeniedAuthorizationError,
    "unauthorized_client": UnauthorizedClientAuthorizationError,
    "invalid_request": InvalidRequestAuthorizationError,
    "unsupported_grant_type": UnsupportedGrantAuthorizationError,
}


def authorization_error(
    error: str, description: str | None = None, status: int | None = None
) -> AuthorizationError:
    """The AuthorizationError for an OAuth2 error code, also oauthlib's class for it."""
    return _BY_ERROR.get(error, AuthorizationError)(error, description, status)


class NotAuthorizedError(AuthClientError, TokenExpiredError):  # type: ignore[misc]
    """There is no usable token: the user has not authorized this client yet."""


class StateMismatchError(AuthClientError, MismatchingStateError):  # type: ignore[misc]
    """The authorization response carried an unexpected ``state``."""


class AuthorizationTimeoutError(AuthClientError, AccessDeniedError):  # type: ignore[misc]
    """The user did not complete the authorization in time."""


class RateLimitError(AuthClientError):
    """The server answered 429; ``retry_after`` says how long to wait."""

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        """Keep the number of seconds to wait before the next request."""
        self.retry_after = retry_after
        super().__init__(message or f"rate limited; retry after {retry_after:g} s")


class ServiceError(AuthClientError):
    """The server failed (5xx), timed out or could not be reached: try again later."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status where there was one."""
        self.status = status
        super().__init__(message)


class ServerErrorServiceError(ServiceError, ServerError):  # type: ignore[misc]
    """The token endpoint answered ``error=server_error``: transient, the token is kept."""


class TemporarilyUnavailableServiceError(ServiceError, TemporarilyUnavailableError):  # type: ignore[misc]
    """The token endpoint answered ``error=temporarily_unavailable``: transient."""


class TokenRedirectError(ServiceError):
    """The token endpoint answered with a redirect, which token requests never follow.

    Following it would send the client secret and the code or refresh token to
    wherever the ``Location`` points, and accept that host's token (RFC 9700 §4.12).
    Nothing is sent again and nothing is stored; the token held is kept.
    """


class InsecureApiUrlError(AuthClientError):
    """A request named a URL outside the API's origin: the bearer token was not sent."""


class RequestBodyError(AuthClientError):
    """A request body could not be sent again for the retry after a 401."""


class TokenTypeError(AuthClientError):
    """The token endpoint issued a token of a type other than Bearer."""


class TokenTestError(AuthClientError):
    """A freshly obtained token failed the caller's ``token_test``."""
