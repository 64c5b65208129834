"""How fast the Web API models read Spotify's recorded answers (a parse micro-benchmark).

Parses the recorded albums, artists, shows, episodes, playback states and search
results under tests/fixtures/spotifyaio many times and prints the median time per
round, so a change to how models read JSON can be measured before and after.

    .venv/min/bin/python bench/parse_models.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.spotify_webapi.webapi import (  # noqa: E402
    Album,
    Artist,
    Episode,
    PlaybackState,
    SearchResult,
    Show,
)

RECORDED = ROOT / "tests" / "fixtures" / "spotifyaio" / "2026"
PARSERS: dict[str, Any] = {
    "get_album.json": Album.from_dict,
    "artist.json": Artist.from_dict,
    "show.json": Show.from_dict,
    "episode.json": Episode.from_dict,
    "playback_1.json": PlaybackState.from_dict,
    "playback_episode_1.json": PlaybackState.from_dict,
    "search.json": SearchResult.from_dict,
}


def main() -> int:
    """Time the rounds; print the median per round and per answer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    answers = [(PARSERS[name], json.loads((RECORDED / name).read_text())) for name in PARSERS]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for parse, answer in answers:
            parse(answer)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{len(answers)} recorded answers, {rounds} rounds")
    print(
        f"median per round: {median * 1e6:.1f} µs ({median * 1e6 / len(answers):.1f} µs per answer)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
