"""Spotify's token endpoint down: refresh seldom, and report the outage once, not per poll.

While the endpoint fails, every poll would ask for a refresh again. Refreshing instead
backs off: polls in between fail at once without a request, and the coordinator logs the
outage once when it starts and once when it ends. The refresh itself is AuthClient's
request (application_credentials.py), so HA logs no line per failed attempt.
"""

from __future__ import annotations

import logging
import time

from .const import TOKEN_RETRY_BACKOFF

_LOGGER = logging.getLogger(__name__)


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
