"""A controllable clock, so tests can expire tokens and move playback without sleeping."""

from __future__ import annotations

import time


class SimClock:
    """Epoch-like seconds that follow real time plus an offset, or stand still when frozen."""

    def __init__(self, *, frozen_at: float | None = None) -> None:
        """Follow real time, or stand still at `frozen_at` when given."""
        self._offset = 0.0
        self._frozen_at = frozen_at

    @property
    def frozen(self) -> bool:
        """Whether time only moves through `advance`."""
        return self._frozen_at is not None

    def now(self) -> float:
        """Seconds since the epoch as the simulator sees them."""
        if self._frozen_at is not None:
            return self._frozen_at
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward (tokens expire, playback progresses) without waiting."""
        if seconds < 0:
            raise ValueError("the simulator clock only moves forward")
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds

    def freeze(self) -> None:
        """Stop following real time, so progress and expiry become exact."""
        if self._frozen_at is None:
            self._frozen_at = self.now()

    def unfreeze(self) -> None:
        """Follow real time again from the current reading."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at - time.time()
            self._frozen_at = None
