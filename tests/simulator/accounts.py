"""Spotify's accounts service: registered apps, authorization codes with PKCE, and tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .clock import SimClock

# The scopes Spotify knows (the OpenAPI file's oauth_2_0 scheme lists the same).
SCOPES = frozenset(
    {
        "app-remote-control",
        "playlist-read-private",
        "playlist-read-collaborative",
        "playlist-modify-public",
        "playlist-modify-private",
        "user-library-read",
        "user-library-modify",
        "user-read-private",
        "user-read-email",
        "user-follow-read",
        "user-follow-modify",
        "user-top-read",
        "user-read-playback-position",
        "user-read-playback-state",
        "user-read-recently-played",
        "user-read-currently-playing",
        "user-modify-playback-state",
        "ugc-image-upload",
        "streaming",
    }
)
ALL_SCOPES = " ".join(sorted(SCOPES))

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
GRANT_TYPES = ("client_credentials", "authorization_code", "refresh_token")


class OAuthError(Exception):
    """A token-endpoint failure, answered as {"error", "error_description"}."""

    def __init__(self, status: int, error: str, description: str) -> None:
        """Remember what to answer."""
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class AuthorizePageError(Exception):
    """An /authorize request that must not redirect (unknown app, unregistered redirect URI)."""


class AuthorizeRedirectError(Exception):
    """An /authorize request refused by redirecting back with ?error=..."""

    def __init__(self, request: AuthorizeRequest, error: str, description: str) -> None:
        """Remember where to send the error."""
        super().__init__(f"{error}: {description}")
        self.request = request
        self.error = error
        self.description = description


@dataclass(frozen=True, slots=True)
class Client:
    """An app registered in the developer dashboard."""

    client_id: str
    client_secret: str | None
    redirect_uris: tuple[str, ...] | None

    def accepts_redirect(self, uri: str) -> bool:
        """Whether `uri` is registered; loopback URIs may use any port (RFC 8252 §7.3)."""
        if self.redirect_uris is None:
            return _is_default_redirect(uri)
        target = urlsplit(uri)
        for registered in self.redirect_uris:
            if registered == uri:
                return True
            known = urlsplit(registered)
            if (
                known.scheme == "http"
                and known.hostname in _LOOPBACK_HOSTS
                and (known.scheme, known.hostname, known.path, known.query)
                == (target.scheme, target.hostname, target.path, target.query)
            ):
                return True
        return False


def _is_default_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    if parts.fragment:
        return False
    if parts.scheme == "http":
        return parts.hostname in _LOOPBACK_HOSTS
    return parts.scheme == "https" and parts.hostname == "example.com"


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    """A validated /authorize request, waiting for the user's decision."""

    client_id: str
    redirect_uri: str
    state: str | None
    scope: str
    code_challenge: str


@dataclass(slots=True)
class AuthorizationCode:
    """A one-time code handed to the redirect URI."""

    request: AuthorizeRequest
    user_id: str
    expires_at: float
    family: str
    used: bool = False


@dataclass(slots=True)
class AccessToken:
    """A bearer token for the Web API; `user_id` is None for client-credentials tokens."""

    client_id: str
    user_id: str | None
    scope: str
    expires_at: float
    family: str | None
    revoked: bool = False


@dataclass(slots=True)
class RefreshToken:
    """A refresh token; `family` ties it to the authorization that created it."""

    client_id: str
    user_id: str
    scope: str
    issued_at: float
    family: str
    revoked: bool = False
    replaced: bool = False


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def normalize_scope(scope: str) -> str:
    """Scopes in request order, without duplicates or extra spaces."""
    return " ".join(dict.fromkeys(scope.split()))


class Accounts:
    """The accounts service's state and rules; the HTTP layer lives in accounts_http."""

    def __init__(self, clock: SimClock, known_users: Callable[[], list[str]]) -> None:
        """Start with no apps and no grants; `known_users` lists who may approve."""
        self.clock = clock
        self.known_users = known_users
        self.rotate_refresh_tokens = False
        self.access_token_lifetime = 3600
        self.refresh_token_lifetime: float | None = None
        self.code_lifetime = 600.0
        self.auto_approve = True
        # Spotify lets an app with a secret use PKCE without it; True demands the secret.
        self.require_client_secret = False
        self.grant_scope_override: str | None = None
        self._approve_as: str | None = None
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.pending: dict[str, AuthorizeRequest] = {}

    def __repr__(self) -> str:
        """Count grants instead of listing them: their keys are credentials."""
        return (
            f"Accounts(clients={sorted(self.clients)!r}, "
            f"access_tokens={len(self.access_tokens)}, refresh_tokens={len(self.refresh_tokens)})"
        )

    @property
    def approve_as(self) -> str:
        """The user who approves authorization requests (the first user unless set)."""
        return self._approve_as if self._approve_as is not None else self.known_users()[0]

    @approve_as.setter
    def approve_as(self, user_id: str) -> None:
        if user_id not in self.known_users():
            raise ValueError(f"unknown user {user_id!r}")
        self._approve_as = user_id

    def add_client(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_uris: list[str] | tuple[str, ...] | None = None,
    ) -> Client:
        """Register an app (a public PKCE client when it has no secret)."""
        client = Client(
            client_id, client_secret, None if redirect_uris is None else tuple(redirect_uris)
        )
        self.clients[client_id] = client
        return client

    # --- /authorize ---------------------------------------------------------------------

    def validate_authorize(self, query: Mapping[str, str]) -> AuthorizeRequest:
        """Check an /authorize request; raise what Spotify would answer when it is wrong."""
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            raise AuthorizePageError("INVALID_CLIENT: Invalid client")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri or not client.accepts_redirect(redirect_uri):
            raise AuthorizePageError("INVALID_CLIENT: Invalid redirect URI")
        request = AuthorizeRequest(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            state=query.get("state"),
            scope=normalize_scope(query.get("scope", "")),
            code_challenge=query.get("code_challenge", ""),
        )
        if query.get("response_type") != "code":
            raise AuthorizeRedirectError(
                request, "unsupported_response_type", "response_type must be code"
            )
        if query.get("code_challenge_method") != "S256":
            raise AuthorizeRedirectError(
                request, "invalid_request", "code_challenge_method must be S256"
            )
        if not 43 <= len(request.code_challenge) <= 128:  # RFC 7636 §4.2 bounds
            raise AuthorizeRedirectError(request, "invalid_request", "Invalid code_challenge")
        unknown = [scope for scope in request.scope.split() if scope not in SCOPES]
        if unknown:
            raise AuthorizeRedirectError(request, "invalid_scope", f"Invalid scope: {unknown[0]}")
        return request

    def hold(self, request: AuthorizeRequest) -> str:
        """Park a request until the consent page answers; returns its transaction id."""
        txn = secrets.token_urlsafe(16)
        self.pending[txn] = request
        return txn

    def release(self, txn: str) -> AuthorizeRequest | None:
        """Take back a parked request (None if unknown or already decided)."""
        return self.pending.pop(txn, None)

    def approve(self, request: AuthorizeRequest, user_id: str | None = None) -> str:
        """Issue a one-time code for `request` as `user_id` (default: approve_as)."""
        code = "AQ" + secrets.token_urlsafe(96)
        self.codes[code] = AuthorizationCode(
            request=request,
            user_id=user_id or self.approve_as,
            expires_at=self.clock.now() + self.code_lifetime,
            family=secrets.token_hex(8),
        )
        return code

    # --- /api/token ---------------------------------------------------------------------

    def token(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """Answer a token request (RFC 6749 §4.1.3, §4.4, §6) or raise OAuthError."""
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "unsupported_grant_type", "grant_type parameter is missing")
        if grant_type not in GRANT_TYPES:
            raise OAuthError(
                400,
                "unsupported_grant_type",
                "grant_type must be client_credentials, authorization_code or refresh_token",
            )
        client = self._authenticate(form, basic, grant_type)
        if grant_type == "authorization_code":
            return self._exchange_code(client, form)
        if grant_type == "refresh_token":
            return self._refresh(client, form)
        return self._client_credentials(client)

    def _authenticate(
        self, form: Mapping[str, str], basic: tuple[str, str] | None, grant_type: str
    ) -> Client:
        form_id, form_secret = form.get("client_id"), form.get("client_secret")
        client_id: str | None
        secret: str | None
        if basic is not None:
            if form_secret is not None:
                raise OAuthError(
                    400, "invalid_request", "Only one client authentication method is allowed"
                )
            if form_id is not None and form_id != basic[0]:
                raise OAuthError(400, "invalid_request", "client_id does not match")
            client_id, secret = basic
        else:
            client_id, secret = form_id, form_secret
        client = self.clients.get(client_id or "")
        if client is None:
            raise OAuthError(401, "invalid_client", "Invalid client")
        if secret is not None:
            if client.client_secret is None or not hmac.compare_digest(
                secret.encode(), client.client_secret.encode()
            ):
                raise OAuthError(401, "invalid_client", "Invalid client secret")
        elif client.client_secret is not None and (
            self.require_client_secret or grant_type == "client_credentials"
        ):
            raise OAuthError(401, "invalid_client", "Invalid client secret")
        elif client.client_secret is None and grant_type == "client_credentials":
            raise OAuthError(400, "unauthorized_client", "Client credentials need a client secret")
        return client

    def _exchange_code(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        code_value = form.get("code")
        if not code_value:
            raise OAuthError(400, "invalid_request", "code must be supplied")
        redirect_uri = form.get("redirect_uri")
        if not redirect_uri:
            raise OAuthError(400, "invalid_request", "redirect_uri must be supplied")
        code = self.codes.get(code_value)
        if code is None or code.request.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        if code.used:
            # RFC 6749 §4.1.2: a replayed code revokes what it already bought.
            self._revoke_family(code.family)
            raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        if self.clock.now() >= code.expires_at:
            raise OAuthError(400, "invalid_grant", "Authorization code expired")
        if redirect_uri != code.request.redirect_uri:
            raise OAuthError(400, "invalid_grant", "Invalid redirect URI")
        verifier = form.get("code_verifier")
        if not verifier:
            raise OAuthError(400, "invalid_request", "code_verifier required")
        if not hmac.compare_digest(s256(verifier), code.request.code_challenge):
            raise OAuthError(400, "invalid_grant", "code_verifier was incorrect")
        code.used = True
        scope = (
            self.grant_scope_override
            if self.grant_scope_override is not None
            else code.request.scope
        )
        return self._issue(client.client_id, code.user_id, scope, code.family, with_refresh=True)

    def _refresh(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        value = form.get("refresh_token")
        if not value:
            raise OAuthError(400, "invalid_request", "refresh_token must be supplied")
        grant = self.refresh_tokens.get(value)
        if grant is None or grant.replaced or grant.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        if grant.revoked:
            raise OAuthError(400, "invalid_grant", "Refresh token revoked")
        if (
            self.refresh_token_lifetime is not None
            and self.clock.now() >= grant.issued_at + self.refresh_token_lifetime
        ):
            raise OAuthError(400, "invalid_grant", "Refresh token expired")
        scope = grant.scope
        requested = form.get("scope")
        if requested is not None:
            narrowed = normalize_scope(requested)
            if not set(narrowed.split()) <= set(scope.split()):
                raise OAuthError(400, "invalid_scope", "Requested scope exceeds the grant")
            scope = narrowed
        rotate = self.rotate_refresh_tokens
        if rotate:
            grant.replaced = True
        return self._issue(
            client.client_id, grant.user_id, scope, grant.family, with_refresh=rotate
        )

    def _client_credentials(self, client: Client) -> dict[str, Any]:
        token = "BQ" + secrets.token_urlsafe(96)
        lifetime = self.access_token_lifetime
        self.access_tokens[token] = AccessToken(
            client.client_id, None, "", self.clock.now() + lifetime, None
        )
        return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}

    def _issue(
        self, client_id: str, user_id: str, scope: str, family: str, *, with_refresh: bool
    ) -> dict[str, Any]:
        now = self.clock.now()
        access = "BQ" + secrets.token_urlsafe(96)
        lifetime = self.access_token_lifetime
        self.access_tokens[access] = AccessToken(client_id, user_id, scope, now + lifetime, family)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": scope,
        }
        if with_refresh:
            refresh = "AQ" + secrets.token_urlsafe(96)
            self.refresh_tokens[refresh] = RefreshToken(client_id, user_id, scope, now, family)
            body["refresh_token"] = refresh
        return body

    def issue(self, client_id: str, user_id: str, scope: str) -> dict[str, Any]:
        """Issue a user token directly, as if the authorize dance had just happened."""
        body = self._issue(client_id, user_id, scope, secrets.token_hex(8), with_refresh=True)
        body["expires_at"] = int(self.clock.now()) + body["expires_in"]
        return body

    # --- administration -----------------------------------------------------------------

    def _revoke_family(self, family: str) -> None:
        for refresh in self.refresh_tokens.values():
            if refresh.family == family:
                refresh.revoked = True
        for access in self.access_tokens.values():
            if access.family == family:
                access.revoked = True

    def revoke_refresh_tokens(self, user_id: str | None = None) -> None:
        """Make refresh tokens (of one user, or all) answer "Refresh token revoked"."""
        for refresh in self.refresh_tokens.values():
            if user_id is None or refresh.user_id == user_id:
                refresh.revoked = True

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far answer 401 "The access token expired"."""
        past = self.clock.now() - 1
        for access in self.access_tokens.values():
            access.expires_at = min(access.expires_at, past)

    def lookup(self, token: str) -> AccessToken | None:
        """The access token behind a bearer value, if the service issued it."""
        return self.access_tokens.get(token)
