"""Turn a scripted Fault into the HTTP answer a client would see."""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import TYPE_CHECKING

from aiohttp import web

from .responses import api_error, oauth_error

if TYPE_CHECKING:
    from .faults import Fault

_OAUTH_ERRORS = {400: "invalid_request", 401: "invalid_client", 403: "access_denied"}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def fault_response(fault: Fault, path: str) -> web.Response | None:
    """The faulty answer, or None when the fault only delays a normal answer."""
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.status is None and fault.body is None:
        return None
    status = fault.status if fault.status is not None else 200
    retry_after = fault.retry_after
    if retry_after is None and status == HTTPStatus.TOO_MANY_REQUESTS:
        retry_after = 1  # Spotify always tells a rate-limited client when to come back
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    if fault.body is not None:
        return web.Response(
            body=fault.body, status=status, headers=headers, content_type="application/json"
        )
    if path.startswith("/v1/") or path == "/v1":
        message = fault.description or _phrase(status)
        return api_error(status, message, reason=fault.error, headers=headers)
    error = fault.error or _OAUTH_ERRORS.get(status, "server_error")
    response = oauth_error(status, error, fault.description)
    response.headers.update(headers)
    return response
