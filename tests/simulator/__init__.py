"""A Spotify accounts + Web API simulator for tests, served over real loopback HTTP.

    async with SpotifySimulator() as sim:          # 127.0.0.1, ephemeral port
        token = sim.issue_token("alice")            # or run /authorize + /api/token
        sim.fail_next("/v1/me/player", 429, retry_after=5)
        sim.clock.advance(3600)                     # tokens expire, playback moves on

Users: alice (Premium, playing), bob (Free), carol (Premium, no active device).
Audiobooks: four; alice (US) saved the first and the third, which is sold in GB and
IE only, and left the first in chapter 2 (`sim.player().resume_points`).
`sim.requests` logs what clients sent; `recorder` keeps exchanges for spec checks.
"""

from __future__ import annotations

from .clock import SimClock
from .recorder import Exchange, LoggedRequest, Recorder, recorder
from .simulator import SpotifySimulator

__all__ = ["Exchange", "LoggedRequest", "Recorder", "SimClock", "SpotifySimulator", "recorder"]
