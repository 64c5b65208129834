"""Error bodies in the two shapes Spotify uses: OAuth (accounts) and Web API."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def oauth_error(status: int, error: str, description: str | None = None) -> web.Response:
    """An accounts-service error as RFC 6749 §5.2 describes it."""
    body: dict[str, Any] = {"error": error}
    if description is not None:
        body["error_description"] = description
    return web.json_response(body, status=status)


def api_error(
    status: int,
    message: str,
    *,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """A Web API error object: {"error": {"status", "message"[, "reason"]}}."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    return web.json_response({"error": error}, status=status, headers=headers)


class ApiError(Exception):
    """Raised inside Web API handlers to answer with a Spotify error object."""

    def __init__(self, status: int, message: str, *, reason: str | None = None) -> None:
        """Remember what to answer."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason

    def response(self) -> web.Response:
        """The HTTP answer for this error."""
        return api_error(self.status, self.message, reason=self.reason)
