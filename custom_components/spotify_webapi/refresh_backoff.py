"""Spotify's token endpoint down: refresh seldom, and let the outage be logged once, not per poll.

While the endpoint fails, every poll would ask HA to refresh again, and HA (2025.x) logs an
error for each failed token request. Refreshing instead backs off, polls in between fail at
once without a request, and HA's line for a failed attempt is held back: a transient failure
leaves it at debug level (the coordinator logs the outage once when it starts and once when
it ends), a refusal lets it through, since it explains the reauthorization that follows.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Final

from .const import DOMAIN, TOKEN_RETRY_BACKOFF

if TYPE_CHECKING:
    from collections.abc import Iterator

_LOGGER = logging.getLogger(__name__)

# Where HA's OAuth2 helper logs "Token request for <domain> failed (...)".
HA_OAUTH_LOGGER: Final = "homeassistant.helpers.config_entry_oauth2_flow"
_TOKEN_REQUEST_LINE: Final = f"Token request for {DOMAIN} "

# The records held during the current refresh attempt (per task: entries refresh concurrently).
_held: ContextVar[list[logging.LogRecord] | None] = ContextVar("held_token_lines", default=None)


class _HoldTokenRequestLines(logging.Filter):
    """Holds HA's lines about our token requests while a refresh attempt runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        held = _held.get()
        if held is None or not record.getMessage().startswith(_TOKEN_REQUEST_LINE):
            return True
        held.append(record)
        return False


_FILTER: Final = _HoldTokenRequestLines()


class HeldLines:
    """HA's token request lines of one refresh attempt, to let through or to keep quiet."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        """Wrap the records the attempt produced."""
        self._records = records

    def release(self) -> None:
        """Log them as HA meant to: a refusal deserves its explanation."""
        for record in self._records:
            logging.getLogger(record.name).handle(record)

    def demote(self) -> None:
        """Keep them at debug level: the outage is reported by the coordinator instead."""
        for record in self._records:
            _LOGGER.debug("%s", record.getMessage())


@contextmanager
def held_token_request_lines() -> Iterator[HeldLines]:
    """Hold HA's token request lines logged inside the block (this task only)."""
    oauth_logger = logging.getLogger(HA_OAUTH_LOGGER)
    if _FILTER not in oauth_logger.filters:
        oauth_logger.addFilter(_FILTER)
    records: list[logging.LogRecord] = []
    reset = _held.set(records)
    try:
        yield HeldLines(records)
    finally:
        _held.reset(reset)


class RefreshBackoff:
    """When the next token refresh may be tried after the endpoint failed, doubling, bounded."""

    def __init__(self, name: str) -> None:
        """Nothing failed yet for the account called ``name``."""
        self._name = name
        self._failures = 0
        self._retry_at = 0.0
        self.last_failure = ""

    @property
    def wait(self) -> float:
        """Seconds before the next refresh may be tried (0 when it may be now)."""
        return max(0.0, self._retry_at - time.monotonic())

    def failed(self, reason: str) -> None:
        """The endpoint failed again: wait twice as long as last time, up to the bound."""
        first, last = TOKEN_RETRY_BACKOFF
        delay = min(last, first * 2**self._failures)
        self._failures += 1
        self._retry_at = time.monotonic() + delay
        self.last_failure = reason
        _LOGGER.debug(
            "Token refresh of %s failed (%s); next try in %.0f s", self._name, reason, delay
        )

    def succeeded(self) -> None:
        """The endpoint answered: refresh normally again."""
        if self._failures:
            _LOGGER.debug("Token refresh of %s works again", self._name)
        self._failures = 0
        self._retry_at = 0.0
        self.last_failure = ""
