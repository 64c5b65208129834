"""Reading what servers answer: token responses and ``Retry-After``, distrusting odd values."""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Final

from .errors import (
    RateLimitError,
    ServerErrorServiceError,
    ServiceError,
    TemporarilyUnavailableServiceError,
    TokenTypeError,
    authorization_error,
)
from .scopes import scope_list

if TYPE_CHECKING:
    from collections.abc import Mapping

# A wait longer than this is a server bug, not advice: timers built on it would never fire.
MAX_RETRY_AFTER: Final = 86_400.0
DEFAULT_RETRY_AFTER: Final = 1.0
_DELTA_SECONDS = re.compile(r"^\d+(\.\d+)?$")
_TRANSIENT_ERRORS: Final = {
    "server_error": ServerErrorServiceError,
    "temporarily_unavailable": TemporarilyUnavailableServiceError,
}
_HTTP_REQUEST_TIMEOUT: Final = 408
_HTTP_TOO_MANY: Final = 429
_HTTP_BAD_REQUEST: Final = 400
_HTTP_SERVER_ERROR: Final = 500


def retry_after_seconds(headers: Mapping[str, str], default: float = DEFAULT_RETRY_AFTER) -> float:
    """Seconds to wait from ``Retry-After``: delta-seconds or an HTTP date, within a day.

    Anything else (``inf``, ``nan``, negative, exponent forms, garbage) gives ``default``.
    """
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return default
    if _DELTA_SECONDS.match(value):
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return default
    if when.tzinfo is None:  # "-0000" (RFC 5322: zone unknown); HTTP dates are UTC
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


def token_from_response(
    status: int, headers: Mapping[str, str], raw: bytes, previous_scope: Any = None
) -> dict[str, Any]:
    """The token in a token endpoint answer, or the typed error it amounts to."""
    if status == _HTTP_TOO_MANY:
        raise RateLimitError(retry_after_seconds(headers))
    if status >= _HTTP_SERVER_ERROR or status == _HTTP_REQUEST_TIMEOUT:
        raise ServiceError(f"token endpoint failed with HTTP {status}", status)
    payload = json_object(raw)
    error = payload.get("error")
    description = _str_or_none(payload.get("error_description"))
    if isinstance(error, str) and error in _TRANSIENT_ERRORS:
        raise _TRANSIENT_ERRORS[error](f"token endpoint: {error}", status)
    if status >= _HTTP_BAD_REQUEST or error is not None:
        raise authorization_error(str(error) if error else f"http_{status}", description, status)
    if not isinstance(payload.get("access_token"), str):
        raise ServiceError("token endpoint answered without an access token", status)
    token_type = payload.get("token_type")
    if token_type is not None and str(token_type).lower() != "bearer":
        raise TokenTypeError(f"the token endpoint issued a {str(token_type)[:20]!r} token")
    expires_in = _seconds(payload.get("expires_in"))
    if expires_in is None:
        payload.pop("expires_in", None)
    else:
        payload["expires_in"] = expires_in
        payload["expires_at"] = time.time() + expires_in
    # RFC 6749 §5.1: an omitted scope is the one requested, i.e. what was granted before.
    if "scope" not in payload and previous_scope is not None:
        payload["scope"] = previous_scope
    if isinstance(payload.get("scope"), str):
        payload["scope"] = scope_list(payload["scope"])  # a list, as oauthlib and the original
    return payload


def _seconds(value: object) -> int | float | None:
    """A lifetime in seconds, from a number or a numeric string; None if unusable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _DELTA_SECONDS.match(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() else number
    if isinstance(value, (int, float)) and math.isfinite(value) and value >= 0:
        return value
    return None


def json_object(raw: bytes) -> dict[str, Any]:
    """Parse a JSON object; anything else becomes an empty dict (callers check fields)."""
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
