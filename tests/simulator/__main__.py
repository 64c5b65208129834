"""Run the simulator standalone: `python -m tests.simulator --host 127.0.0.1 --port 4010`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .simulator import SpotifySimulator


async def _serve(host: str, port: int) -> None:
    sim = SpotifySimulator()
    await sim.start(host, port)
    try:
        print(f"Spotify simulator listening on {sim.base_url}")  # noqa: T201  a CLI prints
        print(f"  SPOTIFY_WEBAPI_ACCOUNTS_URL={sim.accounts_url}")  # noqa: T201
        print(f"  SPOTIFY_WEBAPI_API_URL={sim.api_url}")  # noqa: T201
        print(f"  client id:     {sim.DEFAULT_CLIENT_ID}")  # noqa: T201
        print(f"  client secret: {sim.DEFAULT_CLIENT_SECRET}", flush=True)  # noqa: T201
        await asyncio.Event().wait()
    finally:
        await sim.stop()


def main() -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4010)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port))


if __name__ == "__main__":
    main()
