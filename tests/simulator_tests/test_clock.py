"""The controllable clock."""

from __future__ import annotations

import time

import pytest

from tests.simulator import SimClock


def test_follows_real_time_plus_advances() -> None:
    clock = SimClock()
    before = time.time()

    clock.advance(100)

    assert not clock.frozen
    assert before + 100 <= clock.now() <= time.time() + 100


def test_freeze_and_unfreeze_keep_the_reading() -> None:
    clock = SimClock()
    clock.advance(50)
    clock.freeze()
    frozen_at = clock.now()

    time.sleep(0.01)
    assert clock.now() == frozen_at
    clock.advance(5)
    assert clock.now() == frozen_at + 5
    clock.unfreeze()

    assert not clock.frozen
    assert frozen_at + 5 <= clock.now() < frozen_at + 6


def test_never_goes_back() -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        SimClock(frozen_at=10).advance(-1)
