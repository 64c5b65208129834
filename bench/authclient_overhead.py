"""What AuthClient costs per request, and whether concurrent callers share one refresh.

Run: .venv/min/bin/python bench/authclient_overhead.py [--requests 2000] [--concurrent 1000]

1. Overhead: GETs against a loopback aiohttp server answering small JSON, through
   ``AuthClient.get`` and through the raw ``aiohttp`` session, interleaved in one run
   (ABBA order per pair, so drift and ordering affect both sides equally). Prints each
   side's median per-request time and their ratio (target <= 1.10).
2. Single flight: many concurrent GETs through an AuthClient (no tokenUpdater) whose
   token has expired. Prints the API requests sent and the token requests made; the
   latter must be exactly 1, else the script exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore

TARGET_RATIO = 1.10
WARMUP = 200
# Long enough that all concurrent callers arrive while the one refresh is in flight.
TOKEN_ENDPOINT_DELAY = 0.05


@dataclass
class Counters:
    """What the loopback server saw."""

    api_requests: int = 0
    rejected: int = 0
    token_requests: int = 0


class BenchServer:
    """Loopback accounts + API stand-in: /api/token issues tokens, /v1/ping needs the latest."""

    def __init__(self) -> None:
        """Start with one valid token and no traffic."""
        self.counters = Counters()
        self.accepted_bearer = "token-0"
        self._issued = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        """Listen on an ephemeral 127.0.0.1 port."""
        app = web.Application()
        app.router.add_get("/v1/ping", self._ping)
        app.router.add_post("/api/token", self._token)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _ping(self, request: web.Request) -> web.Response:
        self.counters.api_requests += 1
        if request.headers.get("Authorization") != f"Bearer {self.accepted_bearer}":
            self.counters.rejected += 1
            return web.json_response({"error": {"status": 401, "message": "expired"}}, status=401)
        return web.json_response({"ok": True, "n": self.counters.api_requests})

    async def _token(self, request: web.Request) -> web.Response:
        self.counters.token_requests += 1
        form = await request.post()
        if form.get("grant_type") != "refresh_token":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        await asyncio.sleep(TOKEN_ENDPOINT_DELAY)
        self._issued += 1
        self.accepted_bearer = f"token-{self._issued}"
        return web.json_response(
            {"access_token": self.accepted_bearer, "token_type": "Bearer", "expires_in": 3600}
        )


def make_client(
    server: BenchServer, session: aiohttp.ClientSession, token: dict[str, Any]
) -> AuthClient:
    """An AuthClient on the bench server, sharing the caller's session, tokens in memory."""
    client = AuthClient(
        "Authorization Code PKCE",
        f"{server.base_url}/authorize",
        f"{server.base_url}/api/token",
        clientId="bench-client",
        oauth2Session=session,
        tokenStore=MemoryTokenStore(),
        apiBaseUrl=f"{server.base_url}/v1",
    )
    client.Token = token
    return client


async def measure_overhead(server: BenchServer, requests: int) -> tuple[float, float]:
    """Median seconds per GET: (AuthClient, raw aiohttp), interleaved ABBA."""
    url = f"{server.base_url}/v1/ping"
    token = {
        "access_token": server.accepted_bearer,
        "token_type": "Bearer",
        "refresh_token": "refresh",
        "expires_at": time.time() + 3600,
    }
    headers = {"Authorization": f"Bearer {server.accepted_bearer}"}
    async with aiohttp.ClientSession() as session:
        client = make_client(server, session, token)

        async def through_client() -> int:
            started = time.perf_counter_ns()
            response = await client.get("ping")
            elapsed = time.perf_counter_ns() - started
            if response.status != 200:  # noqa: PLR2004
                raise RuntimeError(f"AuthClient GET answered {response.status}")
            return elapsed

        async def raw() -> int:
            started = time.perf_counter_ns()
            async with session.get(url, headers=headers) as response:
                await response.read()
                status = response.status
            elapsed = time.perf_counter_ns() - started
            if status != 200:  # noqa: PLR2004
                raise RuntimeError(f"raw GET answered {status}")
            return elapsed

        for _ in range(WARMUP):
            await through_client()
            await raw()
        client_times: list[int] = []
        raw_times: list[int] = []
        for pair in range(requests):
            if pair % 2:
                client_times.append(await through_client())
                raw_times.append(await raw())
            else:
                raw_times.append(await raw())
                client_times.append(await through_client())
    return statistics.median(client_times) / 1e9, statistics.median(raw_times) / 1e9


async def measure_single_flight(server: BenchServer, concurrent: int) -> Counters:
    """Fire ``concurrent`` GETs on an expired token; count what reached the server."""
    expired = {
        "access_token": "expired-token",
        "token_type": "Bearer",
        "refresh_token": "refresh",
        "expires_at": time.time() - 10,
    }
    server.counters = Counters()
    async with aiohttp.ClientSession() as session:
        client = make_client(server, session, expired)
        responses = await asyncio.gather(*(client.get("ping") for _ in range(concurrent)))
    failed = [r.status for r in responses if r.status != 200]  # noqa: PLR2004
    if failed:
        print(f"  {len(failed)} requests failed (statuses {sorted(set(failed))})")
    return server.counters


async def run(requests: int, concurrent: int) -> int:
    """Run both measurements and report; return the exit status."""
    server = BenchServer()
    await server.start()
    try:
        client_median, raw_median = await measure_overhead(server, requests)
        counters = await measure_single_flight(server, concurrent)
    finally:
        await server.stop()

    ratio = client_median / raw_median
    print(f"Overhead: {requests} GETs each, interleaved, against {server.base_url}")
    print(f"  raw aiohttp     median {raw_median * 1e6:8.1f} µs")
    print(f"  AuthClient.get  median {client_median * 1e6:8.1f} µs")
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  ratio           {ratio:.3f} (target <= {TARGET_RATIO:.2f}: {verdict})")
    print(f"Single flight: {concurrent} concurrent GETs on an expired token, no tokenUpdater")
    print(f"  API requests sent:    {counters.api_requests} ({counters.rejected} rejected)")
    single = counters.token_requests == 1
    verdict = "ok" if single else "FAIL"
    print(f"  token requests made:  {counters.token_requests} (must be 1: {verdict})")
    return 0 if single else 1


def main() -> int:
    """Parse the sizes and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="GETs per side")
    parser.add_argument("--concurrent", type=int, default=1000, help="single-flight callers")
    args = parser.parse_args()
    return asyncio.run(run(args.requests, args.concurrent))


if __name__ == "__main__":
    sys.exit(main())
