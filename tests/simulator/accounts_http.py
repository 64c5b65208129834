"""The accounts service's HTTP face: /authorize (with an optional consent page) and /api/token."""

from __future__ import annotations

import base64
import binascii
import html
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiohttp import web

from .accounts import (
    AuthorizePageError,
    AuthorizeRedirectError,
    AuthorizeRequest,
    OAuthError,
)
from .responses import oauth_error

if TYPE_CHECKING:
    from .accounts import Accounts

_FORM_TYPE = "application/x-www-form-urlencoded"


def redirect_with(uri: str, params: dict[str, str]) -> str:
    """`uri` with `params` added to its query (keeping what it already has)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _page(title: str, body: str, status: int = 200) -> web.Response:
    text = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return web.Response(text=text, status=status, content_type="text/html")


def _answer(request: AuthorizeRequest, params: dict[str, str]) -> web.Response:
    if request.state is not None:
        params = {**params, "state": request.state}
    return web.Response(
        status=302, headers={"Location": redirect_with(request.redirect_uri, params)}
    )


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """Client id and secret from an HTTP Basic header; raise on a malformed one."""
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        raise OAuthError(401, "invalid_client", "Invalid client")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as err:
        raise OAuthError(401, "invalid_client", "Invalid client") from err
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise OAuthError(401, "invalid_client", "Invalid client")
    return client_id, secret


class AccountsRoutes:
    """aiohttp handlers bound to one Accounts instance."""

    def __init__(self, accounts: Accounts) -> None:
        """Serve `accounts`."""
        self._accounts = accounts

    def routes(self) -> list[web.RouteDef]:
        """The accounts service's routes."""
        return [
            web.get("/authorize", self.authorize),
            web.post("/authorize", self.decide),
            web.post("/api/token", self.token),
        ]

    async def authorize(self, request: web.Request) -> web.Response:
        """Validate the request, then approve at once or show the consent page."""
        accounts = self._accounts
        try:
            auth = accounts.validate_authorize(request.query)
        except AuthorizePageError as err:
            return _page("Error", f"<h1>{html.escape(str(err))}</h1>", status=400)
        except AuthorizeRedirectError as err:
            return _answer(err.request, {"error": err.error, "error_description": err.description})
        if accounts.auto_approve:
            return _answer(auth, {"code": accounts.approve(auth)})
        txn = accounts.hold(auth)
        scopes = "".join(f"<li>{html.escape(scope)}</li>" for scope in auth.scope.split())
        form = (
            f"<h1>Authorize {html.escape(auth.client_id)}</h1>"
            f"<p>Signed in as {html.escape(accounts.approve_as)}</p><ul>{scopes}</ul>"
            "<form method='post' action='/authorize'>"
            f"<input type='hidden' name='txn' value='{html.escape(txn)}'>"
            "<button type='submit' name='decision' value='approve' id='approve'>Agree</button>"
            "<button type='submit' name='decision' value='deny' id='deny'>Cancel</button>"
            "</form>"
        )
        return _page("Authorize", form)

    async def decide(self, request: web.Request) -> web.Response:
        """The consent page's answer: redirect with a code, or with access_denied."""
        form = await request.post()
        txn = form.get("txn")
        auth = self._accounts.release(txn) if isinstance(txn, str) else None
        if auth is None:
            return _page("Error", "<h1>This authorization request has expired</h1>", status=400)
        if form.get("decision") == "approve":
            return _answer(auth, {"code": self._accounts.approve(auth)})
        return _answer(auth, {"error": "access_denied"})

    async def token(self, request: web.Request) -> web.Response:
        """Exchange a code, refresh, or issue a client-credentials token."""
        try:
            body = await self._token(request)
        except OAuthError as err:
            response = oauth_error(err.status, err.error, err.description)
            if err.status == 401:  # RFC 6749 §5.2 asks for the challenge
                response.headers["WWW-Authenticate"] = 'Basic realm="accounts"'
            return response
        return web.json_response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def _token(self, request: web.Request) -> dict[str, Any]:
        if request.content_type != _FORM_TYPE:
            raise OAuthError(400, "invalid_request", f"Content-Type must be {_FORM_TYPE}")
        basic = _basic_credentials(request.headers.get("Authorization"))
        form = {key: str(value) for key, value in (await request.post()).items()}
        return self._accounts.token(form, basic)
