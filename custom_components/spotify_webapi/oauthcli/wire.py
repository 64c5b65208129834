"""Reading outside input: token answers, ``Retry-After``, JSON; odd values are distrusted.

Every reader here is bounded: in size, in nesting, in the numbers it believes.
What does not fit is the package's typed error (or a safe default), never a
``RecursionError``, an ``OverflowError`` or a token that looks fresh forever.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Final, TypeGuard

from .errors import (
    RateLimitError,
    ServerErrorServiceError,
    ServiceError,
    TemporarilyUnavailableServiceError,
    TokenRedirectError,
    TokenTypeError,
    authorization_error,
)
from .scopes import scope_list

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

    import aiohttp

# A wait longer than this is a server bug, not advice: timers built on it would never fire.
MAX_RETRY_AFTER: Final = 86_400.0
# Spotify's tokens last an hour; a day is generous. A longer lifetime is capped, so a
# bogus ``expires_in`` cannot make a token look fresh forever (a refresh is cheap).
MAX_TOKEN_LIFETIME: Final = 86_400.0
# The last second a datetime can name (9999-12-31T23:59:59Z): a later "expiry" is no time.
LAST_MOMENT: Final = 253_402_300_799.0
# A token answer is a few hundred bytes: anything past this is not one, and is not read.
MAX_TOKEN_ANSWER_BYTES: Final = 64 * 1024
# Token answers are flat and tokens.json nests three deep. JSON much deeper than that is
# neither, and copying or writing it back would recurse as deep as it nests.
MAX_JSON_DEPTH: Final = 32
DEFAULT_RETRY_AFTER: Final = 1.0
_DELTA_SECONDS = re.compile(r"^\d+(\.\d+)?$")
_TRANSIENT_ERRORS: Final = {
    "server_error": ServerErrorServiceError,
    "temporarily_unavailable": TemporarilyUnavailableServiceError,
}
_HTTP_REQUEST_TIMEOUT: Final = 408
_HTTP_TOO_MANY: Final = 429
_HTTP_REDIRECTS_FROM: Final = 300
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
    status: int,
    headers: Mapping[str, str],
    raw: bytes,
    previous_scope: Any = None,
    withheld: Collection[str] = (),
) -> dict[str, Any]:
    """The token in a token endpoint answer, or the typed error it amounts to.

    ``withheld`` are the secrets the request carried (client secret, code, refresh
    token): a server that echoes one, or the answer's own tokens, in what becomes
    an error message finds it cut out.
    """
    if _HTTP_REDIRECTS_FROM <= status < _HTTP_BAD_REQUEST:
        raise TokenRedirectError(
            f"the token endpoint answered HTTP {status} (a redirect); token requests follow "
            "none, so nothing was sent elsewhere",
            status,
        )
    if status == _HTTP_TOO_MANY:
        raise RateLimitError(retry_after_seconds(headers))
    if status >= _HTTP_SERVER_ERROR or status == _HTTP_REQUEST_TIMEOUT:
        raise ServiceError(f"token endpoint failed with HTTP {status}", status)
    payload = json_object(raw)
    secrets = [*withheld, *_token_strings(payload)]
    error = payload.get("error")
    description = _redacted(_str_or_none(payload.get("error_description")), secrets)
    if isinstance(error, str) and error in _TRANSIENT_ERRORS:
        raise _TRANSIENT_ERRORS[error](f"token endpoint: {error}", status)
    if status >= _HTTP_BAD_REQUEST or error is not None:
        # Only a string is an error code; anything else could be any part of the answer.
        code = _redacted(error, secrets) if _nonempty_str(error) else f"http_{status}"
        raise authorization_error(code or "", description, status)
    if not _nonempty_str(payload.get("access_token")):
        raise ServiceError("token endpoint answered without an access token", status)
    token_type = payload.get("token_type")
    if token_type is not None and str(token_type).lower() != "bearer":
        named = _redacted(str(token_type), secrets) or ""
        raise TokenTypeError(f"the token endpoint issued a {named[:20]!r} token")
    return _normalized(payload, previous_scope)


def _normalized(payload: dict[str, Any], previous_scope: Any) -> dict[str, Any]:
    """An accepted token answer in the shape AuthClient and tokens.json expect."""
    # RFC 6749 §6: a missing refresh token means "keep the one you have"; so does a
    # null, empty or mistyped one, which must never replace a good refresh token.
    if "refresh_token" in payload and not _nonempty_str(payload["refresh_token"]):
        del payload["refresh_token"]
    # The expiry is ours to compute from expires_in: a server-sent expires_at is not trusted.
    payload.pop("expires_at", None)
    expires_in = _seconds(payload.get("expires_in"))
    if expires_in is None:
        payload.pop("expires_in", None)
    else:
        payload["expires_in"] = expires_in
        payload["expires_at"] = time.time() + expires_in
    # RFC 6749 §5.1: an omitted scope is the one requested, i.e. what was granted before.
    if "scope" not in payload and previous_scope is not None:
        payload["scope"] = previous_scope
    if "scope" in payload:  # a list of names, as oauthlib and the original store it
        payload["scope"] = scope_list(payload["scope"])
    return payload


def _seconds(value: object) -> int | float | None:
    """A lifetime in seconds, from a number or a numeric string, capped; None if unusable."""
    number: float
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _DELTA_SECONDS.match(value.strip()):
        number = float(value)  # a long digit string is inf: the cap below handles it
    elif isinstance(value, (int, float)) and value >= 0:
        number = float(min(value, MAX_TOKEN_LIFETIME))  # an int past float's range, too
    else:
        return None
    number = min(number, MAX_TOKEN_LIFETIME)
    return int(number) if number.is_integer() else number


def token_is_fresh(token: Mapping[str, Any], margin: float, now: float | None = None) -> bool:
    """Whether ``token`` has an access token that is good for ``margin`` more seconds.

    A token without a usable expiry is taken as fresh (the API's 401 will tell).
    An expiry that is no moment in time (Infinity, NaN, past the year 9999) is
    not believed: that token is refreshed. A far but real date is believed:
    tokens.json is shared with hosts whose policies this package does not know;
    lifetimes are capped where they enter, in ``token_from_response``.
    """
    if not _nonempty_str(token.get("access_token")):
        return False
    expires_at = token.get("expires_at")
    if isinstance(expires_at, bool) or not isinstance(expires_at, (int, float, str)):
        return True
    try:
        moment = float(expires_at)
    except ValueError:
        return True
    except OverflowError:  # an integer past float's range
        return False
    if not math.isfinite(moment) or moment > LAST_MOMENT:
        return False
    return moment - (time.time() if now is None else now) > margin


def parse_json(raw: bytes | str) -> Any:
    """Parse JSON nested at most ``MAX_JSON_DEPTH`` deep; raise ``ValueError`` otherwise.

    ``json.loads`` recurses once per level: deep enough input raises
    ``RecursionError``, which no caller expects. It is a ``ValueError`` here.
    """
    try:
        value = json.loads(raw)
    except RecursionError as err:
        raise ValueError("JSON nested too deeply") from err
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether arrays and objects in ``value`` nest deeper than ``limit`` (without recursing)."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children: Any
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def json_object(raw: bytes) -> dict[str, Any]:
    """Parse a JSON object; anything else becomes an empty dict (callers check fields)."""
    try:
        value = parse_json(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


async def read_token_answer(resp: aiohttp.ClientResponse) -> bytes:
    """The body of a token endpoint answer, refusing one past ``MAX_TOKEN_ANSWER_BYTES``.

    Read chunk by chunk, so a server sending megabytes is cut off, not buffered.
    """
    limit = MAX_TOKEN_ANSWER_BYTES
    too_large = ServiceError(
        f"the token endpoint's answer exceeds {limit // 1024} KiB; it is not a token",
        resp.status,
    )
    if resp.content_length is not None and resp.content_length > limit:
        raise too_large
    body = bytearray()
    async for chunk in resp.content.iter_chunked(16 * 1024):
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _token_strings(payload: Mapping[str, Any]) -> list[str]:
    return [
        value
        for value in (payload.get("access_token"), payload.get("refresh_token"))
        if _nonempty_str(value)
    ]


def _redacted(text: str | None, secrets: Iterable[str]) -> str | None:
    """The server's words with every secret in them cut out, so none reaches a message."""
    if text is None:
        return None
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _nonempty_str(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value)
