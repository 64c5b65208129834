"""AuthClient: an asyncio port of spotifywebapipython's OAuth2 client.

It keeps the original's public names (CamelCase included) so code written for
spotifywebapipython reads the same, but runs on aiohttp and oauthlib, never
blocks the event loop, and shares one refresh among concurrent callers.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import logging
import math
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2 import BackendApplicationClient, Client, WebApplicationClient

from . import interactive
from .errors import (
    AuthClientError,
    AuthorizationError,
    AuthorizationTimeoutError,
    InsecureApiUrlError,
    NotAuthorizedError,
    RateLimitError,
    ServiceError,
    StateMismatchError,
    authorization_error,
)
from .outgoing import origin, origin_text, readable_once, resender
from .response import Response
from .scopes import ScopeInput, scope_list, scope_set
from .tokenstore import (
    STORAGE_FILE_NAME,
    FileTokenStore,
    TokenStore,
    default_token_dir,
    exclusive,
    token_key,
)
from .urls import SPOTIFY_API_URL, SPOTIFY_AUTHORIZE_URL, SPOTIFY_TOKEN_URL, require_safe_url
from .wire import read_token_answer, retry_after_seconds, token_from_response, token_is_fresh

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from types import TracebackType

_LOGGER = logging.getLogger(__name__)

type TokenDict = dict[str, Any]

CLIENT_CREDENTIALS: Final = "Client Credentials"
DEFAULT_ID: Final = "Shared"
# Refresh this long before the token's expiry, so a request never races it.
EXPIRY_MARGIN_SECONDS: Final = 60
REQUEST_TIMEOUT: Final = aiohttp.ClientTimeout(total=30)
CODE_VERIFIER_LENGTH: Final = 64
OOB_REDIRECT_URI: Final = "urn:ietf:wg:oauth:2.0:oob"
# Form fields of a token request that no message may repeat, even if the server echoes them.
_SECRET_FIELDS: Final = frozenset({"client_secret", "code", "code_verifier", "refresh_token"})

__all__ = [
    "AuthClient",
    "ScopeInput",
    "retry_after_seconds",
    "scope_list",
    "scope_set",
]


class AuthClient:
    """OAuth2 client for Spotify's accounts service, and an authorized HTTP client for its API."""

    def __init__(
        self,
        authorizationType: str,
        authorizationUrl: str | None = None,
        tokenUrl: str | None = None,
        scope: str | list[str] | None = None,
        clientId: str | None = None,
        clientSecret: str | None = None,
        oauth2Client: Client | None = None,
        oauth2Session: aiohttp.ClientSession | None = None,
        tokenProviderId: str | None = None,
        tokenProfileId: str | None = None,
        tokenStorageDir: str | None = None,
        tokenUpdater: Callable[[], TokenDict | Awaitable[TokenDict]] | None = None,
        *,
        tokenStorageFile: str = STORAGE_FILE_NAME,
        tokenStore: TokenStore | None = None,
        apiBaseUrl: str = SPOTIFY_API_URL,
    ) -> None:
        """Configure the client; does no I/O: the stored token is read on first use."""
        self._authorization_type = authorizationType
        self._authorization_url = require_safe_url(
            authorizationUrl or SPOTIFY_AUTHORIZE_URL, "authorizationUrl"
        )
        self._token_url = require_safe_url(tokenUrl or SPOTIFY_TOKEN_URL, "tokenUrl")
        self._api_base_url = require_safe_url(apiBaseUrl, "apiBaseUrl").rstrip("/")
        self._api_origin = origin(self._api_base_url)
        self._scope = scope_list(scope)
        self._client_id = clientId or ""
        self._client_secret = clientSecret
        client_class = (
            BackendApplicationClient
            if authorizationType == CLIENT_CREDENTIALS
            else WebApplicationClient
        )
        # No scope on the oauthlib client: it would add it to every refresh request.
        self._oauth2_client: Client = oauth2Client or client_class(self._client_id)
        self._session = oauth2Session
        self._owns_session = oauth2Session is None
        self._token_provider_id = tokenProviderId or DEFAULT_ID
        self._token_profile_id = tokenProfileId or DEFAULT_ID
        self._token_updater = tokenUpdater
        directory = Path(tokenStorageDir) if tokenStorageDir else default_token_dir()
        self._token_store: TokenStore = tokenStore or FileTokenStore(directory / tokenStorageFile)
        self._token: TokenDict | None = None
        self._token_loaded = False
        self._state: str | None = None
        self._code_verifier: str | None = None
        self._redirect_uri: str | None = None
        self._refresh: asyncio.Future[TokenDict] | None = None
        self._rejected_access_token: str | None = None

    def __repr__(self) -> str:
        """Identify the client without revealing any credential."""
        return (
            f"{type(self).__name__}(authorizationType={self._authorization_type!r}, "
            f"clientId={self._client_id!r}, tokenKey={self._token_key!r}, "
            f"isAuthorized={self.IsAuthorized})"
        )

    async def __aenter__(self) -> Self:
        """Load the stored token (as the original's constructor does); close on exit."""
        await self._ensure_loaded()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the HTTP session if this client created it."""
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if this client created it; a caller's session is left open."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    # Properties of the original class.

    @property
    def AuthorizationType(self) -> str:
        """OAuth2 authorization type title (e.g. "Client Credentials")."""
        return self._authorization_type

    @property
    def AuthorizationUrl(self) -> str:
        """URL where the user grants access."""
        return self._authorization_url

    @property
    def ClientId(self) -> str:
        """The application's client id."""
        return self._client_id

    @property
    def CodeVerifier(self) -> str | None:
        """PKCE code verifier of the pending authorization, if any."""
        return self._code_verifier

    @property
    def IsAuthorized(self) -> bool:
        """Whether there is a token with an access token."""
        return bool(self._token and self._token.get("access_token"))

    @property
    def Session(self) -> aiohttp.ClientSession:
        """The aiohttp session used for every request (created on first use if none was given)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    @property
    def TokenProfileId(self) -> str:
        """Profile part of the key under which the token is stored."""
        return self._token_profile_id

    @TokenProfileId.setter
    def TokenProfileId(self, value: str) -> None:
        self._token_profile_id = value or DEFAULT_ID

    @property
    def TokenUrl(self) -> str:
        """URL where tokens are requested and refreshed."""
        return self._token_url

    @property
    def Token(self) -> TokenDict | None:
        """The current token dictionary, if any."""
        return self._token

    @Token.setter
    def Token(self, token: TokenDict | None) -> None:
        self._token = dict(token) if token is not None else None
        self._token_loaded = True

    @property
    def RejectedAccessToken(self) -> str | None:
        """The access token the API just refused with a 401, while the refresh it caused runs.

        A ``tokenUpdater`` reads it to refresh even a token that, by its expiry,
        still looks valid (e.g. revoked early).
        """
        return self._rejected_access_token

    @property
    def _token_key(self) -> str:
        return token_key(self._token_provider_id, self._client_id, self._token_profile_id)

    # Token lifecycle.

    async def LoadToken(self) -> TokenDict | None:
        """Load the stored token; one lacking a requested scope is removed, as the original does."""
        token = await self._token_store.load(self._token_key)
        if token is not None and self._scope and self.HasScopeChanged(token):
            _LOGGER.info("Stored token for %s lacks requested scopes; removing it", self._token_key)
            await self._token_store.delete(self._token_key)
            token = None
        self._token = token
        self._token_loaded = True
        return token

    async def _ensure_loaded(self) -> None:
        """Read the stored token once, unless a token was set or fetched before."""
        if not self._token_loaded and self._token is None:
            await self.LoadToken()

    async def SaveToken(self, token: TokenDict | None = None) -> None:
        """Store ``token`` under this client's key; None removes it (the session is unchanged)."""
        if token is None:
            await self._token_store.delete(self._token_key)
        else:
            await self._token_store.save(self._token_key, token)

    @staticmethod
    async def HasTokenForKey(
        clientId: str | None = None,
        tokenProviderId: str | None = None,
        tokenProfileId: str | None = None,
        tokenStorageDir: str | None = None,
        tokenStorageFile: str | None = None,
    ) -> bool:
        """Whether the tokens file holds a token under the key these ids make."""
        directory = Path(tokenStorageDir) if tokenStorageDir else default_token_dir()
        store = FileTokenStore(directory / (tokenStorageFile or STORAGE_FILE_NAME))
        key = token_key(
            tokenProviderId or DEFAULT_ID, clientId or DEFAULT_ID, tokenProfileId or DEFAULT_ID
        )
        return await store.load(key) is not None

    async def Logout(self) -> None:
        """Remove the stored token; the current token stays in memory (as in the original)."""
        await self._token_store.delete(self._token_key)

    def HasScopeChanged(
        self, token: TokenDict | None, scope: str | list[str] | None = None
    ) -> bool:
        """Whether ``token`` lacks any scope requested (a granted superset is fine)."""
        if token is None:
            return True
        requested = scope_set(self._scope if scope is None else scope)
        return not requested <= scope_set(token.get("scope"))

    def process_url(self, api: str) -> str:
        """Join a relative API path to the API base URL; an absolute URL must be on its origin.

        The bearer token goes with every request, so a URL elsewhere (another
        host, port or scheme) is refused before anything is sent.
        """
        if "://" not in api and not api.startswith("//"):
            return f"{self._api_base_url}/{api.lstrip('/')}"
        target = origin(api)
        if target != self._api_origin:
            raise InsecureApiUrlError(
                f"refusing to send the access token to {origin_text(target)}: "
                f"it goes to {origin_text(self._api_origin)} only"
            )
        return api

    def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
        """Build the authorize URL with a fresh ``state`` and PKCE S256; return it and the state."""
        if self._authorization_type == CLIENT_CREDENTIALS:
            raise AuthClientError("the Client Credentials grant has no authorization step")
        state = kwargs.pop("state", None) or secrets.token_urlsafe(32)
        redirect_uri = kwargs.pop("redirect_uri", None)
        verifier = self._oauth2_client.create_code_verifier(CODE_VERIFIER_LENGTH)
        challenge = self._oauth2_client.create_code_challenge(verifier, "S256")
        # One value per name: a keyword given by the caller replaces the default, in place.
        params: dict[str, str] = {"response_type": "code", "client_id": self._client_id}
        if redirect_uri:
            params["redirect_uri"] = redirect_uri
        if self._scope:
            params["scope"] = " ".join(self._scope)
        params |= {"state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
        for key, value in kwargs.items():
            if value is not None:
                params[key] = " ".join(scope_list(value)) if key == "scope" else str(value)
        self._state, self._code_verifier, self._redirect_uri = state, verifier, redirect_uri
        return add_params_to_uri(self._authorization_url, list(params.items())), state

    async def FetchToken(self, **kwargs: Any) -> TokenDict:
        """Exchange an authorization code (or client credentials) for a token and store it."""
        if self._authorization_type == CLIENT_CREDENTIALS:
            body = self._oauth2_client.prepare_request_body(
                scope=" ".join(self._scope) or None,
                include_client_id=True,
                client_secret=self._client_secret,
                **kwargs,
            )
            return await self._accept_token(await self._token_request(body))
        code = self._authorization_code(kwargs)
        redirect_uri = kwargs.pop("redirect_uri", None) or self._redirect_uri
        body = self._oauth2_client.prepare_request_body(
            code=code,
            redirect_uri=redirect_uri,
            include_client_id=True,
            code_verifier=self._code_verifier,
            client_secret=self._client_secret,
            **kwargs,
        )
        # A code and its verifier are good for one exchange only.
        self._state = self._code_verifier = None
        return await self._accept_token(await self._token_request(body))

    def _authorization_code(self, kwargs: dict[str, Any]) -> str:
        """Take the code out of ``code=`` or ``authorization_response=``, checking ``state``."""
        response_url = kwargs.pop("authorization_response", None)
        code: str | None = kwargs.pop("code", None)
        returned_state: str | None = kwargs.pop("state", None)
        query: dict[str, str] = {}
        if response_url is not None:
            query = dict(parse_qsl(urlsplit(str(response_url)).query))
            code = query.get("code")
            returned_state = query.get("state")
            if self._state is not None and returned_state is None:
                raise StateMismatchError("the authorization response carries no state")
        if returned_state is not None and not _same_secret(returned_state, self._state):
            raise StateMismatchError("the authorization response's state is not the one issued")
        if "error" in query:
            raise authorization_error(query["error"], query.get("error_description"))
        if not code:
            raise AuthClientError("no authorization code was given")
        return code

    async def RefreshToken(self, **kwargs: Any) -> TokenDict:
        """Get a new token: from ``tokenUpdater`` if set, else with the refresh_token grant."""
        if self._refresh is None:
            self._refresh = asyncio.ensure_future(self._refresh_once(**kwargs))
            self._refresh.add_done_callback(self._refresh_done)
        # Shielded: a cancelled caller must not cancel the refresh others are waiting for.
        return await asyncio.shield(self._refresh)

    def _refresh_done(self, future: asyncio.Future[TokenDict]) -> None:
        self._refresh = None
        if not future.cancelled():
            future.exception()  # retrieved here, so a failure nobody awaited is not reported twice

    async def _refresh_once(self, **kwargs: Any) -> TokenDict:
        if self._token_updater is not None:
            result = self._token_updater()
            token = await result if inspect.isawaitable(result) else result
            if not isinstance(token, dict) or not token.get("access_token"):
                raise NotAuthorizedError("the token updater returned no access token")
            # The host (e.g. Home Assistant) owns persistence: nothing is written here.
            self._token = dict(token)
            return self._token
        if self._authorization_type == CLIENT_CREDENTIALS:
            return await self.FetchToken(**kwargs)
        # Under the store's lock, so that processes sharing tokens.json refresh one at a time.
        async with exclusive(self._token_store) as stored:
            entry = await stored.load(self._token_key)
            newer = self._newer_than_held(entry)
            if newer is not None and self._is_fresh(newer):
                _LOGGER.debug("Adopting the token another process stored for %s", self._token_key)
                self._token = newer
                return newer
            return await self._refresh_grant(stored, newer or self._token or {}, kwargs)

    def _newer_than_held(self, entry: TokenDict | None) -> TokenDict | None:
        """The stored entry, if another writer replaced the token this client holds."""
        if entry is None or not entry.get("access_token"):
            return None
        held = (self._token or {}).get("access_token")
        if entry["access_token"] in (held, self._rejected_access_token):
            return None
        if self._scope and self.HasScopeChanged(entry):
            return None
        return entry

    async def _refresh_grant(
        self, stored: TokenStore, base: TokenDict, kwargs: dict[str, Any]
    ) -> TokenDict:
        """Use ``base``'s refresh token; forget it only if the store still holds the refused one."""
        refresh_token = base.get("refresh_token")
        if not refresh_token:
            raise NotAuthorizedError("there is no refresh token; authorize again")
        body = self._oauth2_client.prepare_refresh_body(
            refresh_token=refresh_token,
            client_id=self._client_id,
            client_secret=self._client_secret,
            **kwargs,
        )
        try:
            token = await self._token_request(body, base.get("scope"))
        except AuthorizationError as err:
            if err.error == "invalid_grant":
                _LOGGER.warning(
                    "Refresh refused for %s (%s); authorization is needed again",
                    self._token_key,
                    err.description or err.error,
                )
                self._token = None
                current = await stored.load(self._token_key)
                if current is not None and current.get("refresh_token") == refresh_token:
                    await stored.delete(self._token_key)
            raise
        # Spotify often omits refresh_token from refresh answers: the old one stays valid.
        # (token_from_response drops a null, empty or mistyped one, so this covers those.)
        token.setdefault("refresh_token", refresh_token)
        self._token = token
        await stored.save(self._token_key, token)
        return token

    async def _accept_token(self, token: TokenDict) -> TokenDict:
        """Make ``token`` current and, unless a host owns persistence, store it."""
        self._token = token
        self._token_loaded = True
        if self._token_updater is None:
            await self._token_store.save(self._token_key, token)
        return token

    async def _token_request(self, body: str, previous_scope: Any = None) -> TokenDict:
        """POST a form to the token endpoint and return the token, mapping every failure.

        Redirects are not followed: the form carries the client secret and a code
        or refresh token, which go to the configured token URL and nowhere else
        (RFC 6749 §3.2); a 3xx is a ``TokenRedirectError``.
        """
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        try:
            async with self.Session.post(
                self._token_url,
                data=body,
                headers=headers,
                timeout=REQUEST_TIMEOUT,
                allow_redirects=False,
            ) as resp:
                status, resp_headers, raw = resp.status, resp.headers, await read_token_answer(resp)
        except (TimeoutError, aiohttp.ClientError) as err:
            raise ServiceError(f"token endpoint unreachable: {type(err).__name__}") from err
        sent = [value for name, value in parse_qsl(body) if name in _SECRET_FIELDS]
        return token_from_response(status, resp_headers, raw, previous_scope, withheld=sent)

    # Requests to the API.

    async def request(self, method: str, api: str, **kwargs: Any) -> Response:
        """Send an authorized request; refresh when needed and retry once after a 401."""
        url = self.process_url(api)
        await self._ensure_loaded()
        token = await self._usable_token()
        kwargs = await readable_once(kwargs)
        resend = resender(kwargs)
        response = await self._send(method, url, token, kwargs)
        if response.status == 401:  # noqa: PLR2004
            token = await self._token_after(token)
            response = await self._send(method, url, token, resend())
        if response.status == 429:  # noqa: PLR2004
            raise RateLimitError(retry_after_seconds(response.headers))
        if response.status >= 500:  # noqa: PLR2004
            raise ServiceError(
                f"{method} {urlsplit(url).path} failed with HTTP {response.status}",
                response.status,
            )
        return response

    async def get(self, api: str, **kwargs: Any) -> Response:
        """Send a GET request."""
        return await self.request("GET", api, **kwargs)

    async def post(self, api: str, **kwargs: Any) -> Response:
        """Send a POST request."""
        return await self.request("POST", api, **kwargs)

    async def put(self, api: str, **kwargs: Any) -> Response:
        """Send a PUT request."""
        return await self.request("PUT", api, **kwargs)

    async def patch(self, api: str, **kwargs: Any) -> Response:
        """Send a PATCH request."""
        return await self.request("PATCH", api, **kwargs)

    async def delete(self, api: str, **kwargs: Any) -> Response:
        """Send a DELETE request."""
        return await self.request("DELETE", api, **kwargs)

    async def head(self, api: str, **kwargs: Any) -> Response:
        """Send a HEAD request."""
        return await self.request("HEAD", api, **kwargs)

    async def options(self, api: str, **kwargs: Any) -> Response:
        """Send an OPTIONS request."""
        return await self.request("OPTIONS", api, **kwargs)

    def _is_fresh(self, token: TokenDict | None) -> bool:
        return token is not None and token_is_fresh(token, EXPIRY_MARGIN_SECONDS)

    async def _usable_token(self) -> TokenDict:
        """The current token, refreshed first when missing or about to expire."""
        token = self._token
        if self._is_fresh(token):
            assert token is not None  # noqa: S101 - narrowed by _is_fresh
            return token
        if (
            token is None
            and self._token_updater is None
            and self._authorization_type != CLIENT_CREDENTIALS
        ):
            raise NotAuthorizedError("not authorized: no token; authorize first")
        return await self.RefreshToken()

    async def _token_after(self, rejected: TokenDict) -> TokenDict:
        """A token other than the one the API just rejected, refreshing only if nobody has."""
        current = self._token
        if current is not None and current is not rejected and self._is_fresh(current):
            return current
        self._rejected_access_token = rejected.get("access_token")
        try:
            return await self.RefreshToken()
        finally:
            self._rejected_access_token = None

    async def _send(
        self, method: str, url: str, token: TokenDict, kwargs: dict[str, Any]
    ) -> Response:
        options = dict(kwargs)
        headers = dict(options.pop("headers", None) or {})
        headers["Authorization"] = f"{token.get('token_type') or 'Bearer'} {token['access_token']}"
        options.setdefault("timeout", REQUEST_TIMEOUT)
        try:
            async with self.Session.request(method, url, headers=headers, **options) as resp:
                body = await resp.read()
                return Response(method, url, resp.status, resp.headers, body)
        except (TimeoutError, aiohttp.ClientError) as err:
            raise ServiceError(
                f"{method} {urlsplit(url).path} failed: {type(err).__name__}"
            ) from err

    # Interactive authorization (standalone use; Home Assistant has its own flow).

    async def _current_token_is_good(self, token_test: Callable[[AuthClient], Any] | None) -> bool:
        """Whether the existing token can be kept instead of authorizing again."""
        if self._token is None:
            await self.LoadToken()
        if not self.IsAuthorized or self.HasScopeChanged(self._token):
            return False
        if not self._is_fresh(self._token):
            try:
                await self.RefreshToken()
            except AuthClientError:
                return False
        if token_test is None:
            return True
        try:
            result = token_test(self)
            if inspect.isawaitable(result):
                result = await result
        except Exception:  # the seed's contract: any failure means "authorize again"
            _LOGGER.debug("token_test raised; authorizing again", exc_info=True)
            return False
        status = getattr(result, "status", getattr(result, "status_code", 200))
        return int(status) // 100 != 4  # noqa: PLR2004

    async def AuthorizeWithConsole(
        self,
        authorization_prompt_message: str | None = (
            "Please visit this URL to authorize this application: {url}"
        ),
        open_browser: bool = True,
        code_message: str = "Enter the authorization code: ",
        token_audience: str | None = None,
        force: bool = False,
        token_test: Callable[[AuthClient], Any] | None = None,
        *,
        input_func: Callable[[str], str] = input,
        **kwargs: Any,
    ) -> TokenDict:
        """Authorize without a local server: the user pastes the code or the redirected URL."""
        if not force and await self._current_token_is_good(token_test):
            assert self._token is not None  # noqa: S101 - checked above
            return self._token
        kwargs.setdefault("redirect_uri", OOB_REDIRECT_URI)
        url, _state = self.authorization_url(**kwargs)
        await interactive.show_authorization_url(url, authorization_prompt_message, open_browser)
        answer = (await interactive.ask(input_func, code_message)).strip()
        fetch = interactive.console_answer(answer)
        if token_audience:
            fetch["audience"] = token_audience
        return await self.FetchToken(**fetch)

    async def AuthorizeWithServer(
        self,
        host: str | None = None,
        bind_addr: str | None = None,
        port: int | list[int] = 8080,
        authorization_prompt_message: str | None = (
            "Please visit this URL to authorize this application: {url}"
        ),
        success_message: str = (
            "The authentication flow has completed; you may close this window (or tab)."
        ),
        open_browser: bool = True,
        redirect_uri_path: str | None = "/",
        timeout_seconds: float | None = 120,
        token_audience: str | None = None,
        force: bool = False,
        token_test: Callable[[AuthClient], Any] | None = None,
        *,
        redirect_uri_trailing_slash: bool | None = None,
        **kwargs: Any,
    ) -> TokenDict:
        """Authorize through a temporary loopback web server that receives the redirect.

        ``redirect_uri_path`` is 1.0.296's argument; ``redirect_uri_trailing_slash``
        (older releases) still works: False means no path at all.
        """
        if timeout_seconds is not None and not (
            math.isfinite(timeout_seconds) and timeout_seconds > 0
        ):
            raise ValueError(f"timeout_seconds must be a positive number, not {timeout_seconds!r}")
        if not force and await self._current_token_is_good(token_test):
            assert self._token is not None  # noqa: S101 - checked above
            return self._token
        if redirect_uri_trailing_slash is not None:
            redirect_uri_path = "/" if redirect_uri_trailing_slash else None
        host = host or "localhost"
        path = redirect_uri_path or ""
        audience = {"audience": token_audience} if token_audience else {}

        async def exchange(response_url: str) -> TokenDict:
            return await self.FetchToken(authorization_response=response_url, **audience)

        callback = interactive.CallbackServer(exchange, success_message, path or "/")
        bound_port = await callback.start(bind_addr or host, port)
        try:
            redirect_uri = f"http://{host}:{bound_port}{path}"
            url, state = self.authorization_url(redirect_uri=redirect_uri, **kwargs)
            callback.expect_state(state)
            await interactive.show_authorization_url(
                url, authorization_prompt_message, open_browser
            )
            try:
                return await callback.wait(timeout_seconds)
            except TimeoutError as err:
                raise AuthorizationTimeoutError(
                    f"no authorization response within {timeout_seconds} seconds"
                ) from err
        finally:
            await callback.stop()


def _same_secret(given: str, expected: str | None) -> bool:
    """Compare in constant time, so the answer's timing says nothing about ``expected``."""
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())
