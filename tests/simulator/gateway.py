"""What every request passes through: the request log, scripted faults and bearer auth."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import web

from .faults_http import fault_response
from .recorder import Exchange, LoggedRequest, recorder
from .responses import ApiError, api_error

if TYPE_CHECKING:
    from .simulator import SpotifySimulator
    from .users import User

API_PREFIX = "/v1"
_PREMIUM_MESSAGE = (
    "Active premium subscription required for the owner of the app. When the subscription "
    "status changes, it can take a few hours before requests are allowed again."
)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a Web API request acts for: a user with granted scopes, or an app alone."""

    client_id: str
    user: User | None
    scope: frozenset[str]

    def require(self, *scopes: str) -> User:
        """The signed-in user, if the token is a user's and carries `scopes`."""
        if self.user is None:
            raise ApiError(401, "Valid user authentication required")
        if not set(scopes) <= self.scope:
            raise ApiError(403, "Insufficient client scope")
        return self.user

    def require_any(self, *scopes: str) -> User:
        """The signed-in user, if the token carries at least one of `scopes`."""
        user = self.require()
        if self.scope.isdisjoint(scopes):
            raise ApiError(403, "Insufficient client scope")
        return user


# aiohttp 3.11 (Home Assistant 2025.4) has no typed RequestKey yet.
_CALLER = "spotify_caller"
_SCRIPTED = "spotify_scripted_fault"


def caller(request: web.Request) -> Caller:
    """The authenticated caller of a Web API request."""
    found = request[_CALLER]
    if not isinstance(found, Caller):
        raise TypeError("the gateway did not authenticate this request")
    return found


def _parse_body(request: web.Request, raw: bytes) -> tuple[dict[str, str] | None, Any | None]:
    if not raw:
        return None, None
    if request.content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)), None
    try:
        return None, json.loads(raw)
    except ValueError:
        return None, None


def _is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class Gateway:
    """aiohttp middlewares bound to one simulator."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Serve `sim`."""
        self._sim = sim

    def middlewares(self) -> list[Any]:
        """Outermost first: log, fault, then Web API auth and error mapping."""
        return [self.log, self.fault, self.api]

    @web.middleware
    async def log(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Record the request and its answer in sim.requests and the suite-wide recorder."""
        raw = await request.read()
        form, body = _parse_body(request, raw)
        status = 500
        response: web.StreamResponse | None = None
        try:
            response = await handler(request)
        except web.HTTPException as err:
            status = err.status
            raise
        else:
            status = response.status
            return response
        finally:
            self._sim.requests.append(
                LoggedRequest(
                    method=request.method,
                    path=request.path,
                    query=dict(request.query),
                    headers=dict(request.headers),
                    form=form,
                    json=body,
                    status=status,
                )
            )
            recorder.add(
                Exchange(
                    method=request.method,
                    url=str(request.url),
                    path=request.path,
                    route=getattr(request.match_info.route.resource, "canonical", request.path),
                    scripted=request.get(_SCRIPTED, False),
                    query=dict(request.query),
                    request_headers=dict(request.headers),
                    request_body=raw,
                    status=status,
                    response_headers=dict(response.headers) if response is not None else {},
                    response_body=(
                        response.body
                        if isinstance(response, web.Response) and isinstance(response.body, bytes)
                        else b""
                    ),
                )
            )

    @web.middleware
    async def fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Answer with the next scripted fault for this route, if any."""
        fault = self._sim.faults.take(request.method, request.path)
        if fault is not None:
            response = await fault_response(fault, request.path)
            if response is not None:
                request[_SCRIPTED] = True
                return response
        result: web.StreamResponse = await handler(request)
        return result

    @web.middleware
    async def api(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Authenticate Web API calls and turn ApiError into Spotify's error objects."""
        if not _is_api(request.path):
            result: web.StreamResponse = await handler(request)
            return result
        try:
            request[_CALLER] = self._authenticate(request)
            result = await handler(request)
        except ApiError as err:
            response = err.response()
            if err.status == HTTPStatus.UNAUTHORIZED:
                # RFC 6750 §3: tell the client why its bearer token was refused.
                response.headers["WWW-Authenticate"] = (
                    f'Bearer realm="spotify", error="invalid_token", '
                    f'error_description="{err.message}"'
                )
            return response
        except web.HTTPNotFound:
            return api_error(404, "Service not found")
        except web.HTTPMethodNotAllowed:
            return api_error(405, "Method not allowed")
        return result

    def _authenticate(self, request: web.Request) -> Caller:
        header = request.headers.get("Authorization")
        if header is None:
            raise ApiError(401, "No token provided")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(400, "Only valid bearer authentication supported")
        token = self._sim.accounts.lookup(value.strip())
        if token is None or token.revoked:
            raise ApiError(401, "Invalid access token")
        if self._sim.clock.now() >= token.expires_at:
            raise ApiError(401, "The access token expired")
        if self._sim.premium_required:
            raise ApiError(403, _PREMIUM_MESSAGE)
        user = None if token.user_id is None else self._sim.users.get(token.user_id)
        return Caller(token.client_id, user, frozenset(token.scope.split()))
