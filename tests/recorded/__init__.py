"""Recorded real Spotify responses (``tests/fixtures``), and a loopback server that replays them."""

from __future__ import annotations

from .replay import RECORDINGS, ReplayServer, recording

__all__ = ["RECORDINGS", "ReplayServer", "recording"]
