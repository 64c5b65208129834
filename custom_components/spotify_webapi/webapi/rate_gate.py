"""The Retry-After gate: after a 429 nothing is sent until Spotify's wait has passed.

Spotify rate-limits an app (its client id), not one account or one endpoint, so the
clients of every account signed in through the same app share one gate.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class RateLimitGate:
    """When requests may be sent again; shared by the clients of one Spotify app."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        """Time the wait on ``clock`` (monotonic seconds; ``time.monotonic`` by default)."""
        self._clock = clock
        self._open_at = 0.0

    def _now(self) -> float:
        # time.monotonic is looked up on each call, so a test clock patching it is seen.
        return self._clock() if self._clock is not None else time.monotonic()

    @property
    def wait(self) -> float:
        """Seconds until requests may be sent again (0 when the gate is open)."""
        return max(0.0, self._open_at - self._now())

    def close_for(self, seconds: float) -> None:
        """Hold every request back for ``seconds``; a shorter wait never shortens a longer one."""
        self._open_at = max(self._open_at, self._now() + seconds)
