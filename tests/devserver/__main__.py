"""`scripts/develop`: a real Home Assistant on 127.0.0.1 with the integration and the simulator.

    python -m tests.devserver [--port 8123] [--sim-port 4010] [--reset] [--real]

The simulator runs in this process; hass runs as a child in its own process group and
logs to the console. Ctrl-C (or SIGTERM) stops hass cleanly, then the simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import aiohttp

from tests.simulator import SpotifySimulator

from .grants import load_grants_file, save_grants_file
from .hass import (
    CONFIG_HEADER,
    DOMAIN,
    ENV_ACCOUNTS_URL,
    ENV_API_URL,
    PROJECT,
    HassProcess,
    skip_wizard_extras,
)
from .hass_api import HassApiError, HassClient

DEV_DIR = PROJECT / ".dev"
# A loopback-only instance made for development: a fixed, printed account is the point.
DEV_NAME, DEV_USERNAME, DEV_PASSWORD = "Developer", "dev", "dev"
STARTUP_TIMEOUT = 180.0
GRANTS_SAVE_INTERVAL = 15.0
REAL_CLIENT_ID, REAL_CLIENT_SECRET = "SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def ensure_credential(client: HassClient, client_id: str, secret: str, name: str) -> bool:
    """Add the app as application credentials unless it is there; whether it was added."""
    existing = await client.ws({"type": "application_credentials/list"})
    if any(item["domain"] == DOMAIN and item["client_id"] == client_id for item in existing):
        return False
    await client.ws(
        {
            "type": "application_credentials/create",
            "domain": DOMAIN,
            "client_id": client_id,
            "client_secret": secret,
            "name": name,
        }
    )
    return True


async def sign_in(client: HassClient) -> None:
    """Onboard on the first run, sign in on later ones."""
    if not (await client.onboarding_steps()).get("user", False):
        await client.create_owner(DEV_NAME, DEV_USERNAME, DEV_PASSWORD)
    else:
        await client.login(DEV_USERNAME, DEV_PASSWORD)
    await client.finish_onboarding()


async def _save_grants_regularly(sim: SpotifySimulator, path: Path) -> None:
    """So that even a killed run leaves grants the next run accepts."""
    while True:
        await asyncio.sleep(GRANTS_SAVE_INTERVAL)
        await asyncio.to_thread(save_grants_file, sim.accounts, path)


class DevServer:
    """The simulator (unless --real) and hass, started and stopped together."""

    def __init__(self, args: argparse.Namespace) -> None:
        """Take the command line."""
        self.args = args
        self.config_dir: Path = args.config
        self.grants_path = self.config_dir.parent / "simulator-grants.json"
        self.sim: SpotifySimulator | None = None
        self.hass: HassProcess | None = None

    async def run(self) -> int:
        """Run until Ctrl-C or until hass exits; hass's exit status (0 after Ctrl-C)."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        saver: asyncio.Task[None] | None = None
        try:
            env = await self._start_simulator()
            if self.sim is not None:
                saver = asyncio.create_task(_save_grants_regularly(self.sim, self.grants_path))
            await asyncio.to_thread(skip_wizard_extras, self.config_dir)
            self.hass = HassProcess(self.config_dir, self.args.port, env=env)
            await self.hass.start()
            return await self._serve(stop, self.hass)
        finally:
            if saver is not None:
                saver.cancel()
            await self._stop()

    async def _serve(self, stop: asyncio.Event, hass: HassProcess) -> int:
        """Prepare hass, then wait; Ctrl-C and a hass exit end the wait at any moment."""
        exited = asyncio.create_task(hass.child.wait())
        stopped = asyncio.create_task(stop.wait())
        prepared = asyncio.create_task(self._prepare(hass))
        tasks = (exited, stopped, prepared)
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if prepared.done() and not (stopped.done() or exited.done()):
                prepared.result()  # its failure, if it failed
                await asyncio.wait((exited, stopped), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
        if exited.done() and not stopped.done():
            _say(f"hass exited with status {exited.result()}")
            return exited.result() or 1
        _say("Stopping Home Assistant ...")
        return 0

    async def _start_simulator(self) -> dict[str, str]:
        """Start the simulator with its consent page; the environment that points hass at it."""
        if self.args.real:
            return {}
        sim = SpotifySimulator()
        sim.accounts.auto_approve = False  # show the Agree / Cancel page in the browser
        restored = await asyncio.to_thread(load_grants_file, sim.accounts, self.grants_path)
        await sim.start("127.0.0.1", self.args.sim_port)
        self.sim = sim
        if restored:
            _say(f"Simulator: restored {restored} grant(s) of the previous run")
        return {
            ENV_ACCOUNTS_URL: sim.accounts_url,
            ENV_API_URL: sim.api_url,
        }

    async def _prepare(self, hass: HassProcess) -> None:
        """Wait for hass, onboard or sign in, register the app, and say how to go on."""
        async with aiohttp.ClientSession() as session:
            client = HassClient(session, hass.url)
            try:
                await self._sign_in_and_register(client, hass)
            finally:
                await client.close()
        self._banner(hass)

    async def _sign_in_and_register(self, client: HassClient, hass: HassProcess) -> None:
        await client.wait_until_up(STARTUP_TIMEOUT, hass.child)
        await sign_in(client)
        await client.wait_until_running(STARTUP_TIMEOUT)
        if self.sim is not None:
            await ensure_credential(
                client, self.sim.DEFAULT_CLIENT_ID, self.sim.DEFAULT_CLIENT_SECRET, "Simulator app"
            )
        elif os.environ.get(REAL_CLIENT_ID) and os.environ.get(REAL_CLIENT_SECRET):
            await ensure_credential(
                client,
                os.environ[REAL_CLIENT_ID],
                os.environ[REAL_CLIENT_SECRET],
                "Spotify developer app",
            )

    def _banner(self, hass: HassProcess) -> None:
        url = hass.url
        lines = [
            "",
            f"Home Assistant is running at {url}  (config: {self.config_dir})",
            f"  sign in as:    {DEV_USERNAME} / {DEV_PASSWORD}",
        ]
        if self.sim is not None:
            user = self.sim.users[self.sim.accounts.approve_as].display_name
            lines += [
                f"  Spotify:       simulator at {self.sim.base_url}, signed in as {user}",
                f"  credentials:   'Simulator app' (client id {self.sim.DEFAULT_CLIENT_ID})",
            ]
        else:
            credentials = f"set {REAL_CLIENT_ID} and {REAL_CLIENT_SECRET}, or use the dialog"
            lines += [
                "  Spotify:       the real one; register this redirect URI in your app:",
                f"                 {url}/auth/external/callback",
                f"  credentials:   {credentials}",
            ]
        lines += [
            "Open the URL, then Settings > Devices & services > Add integration > Spotify Web API.",
            "Ctrl-C stops everything; scripts/develop --reset starts from scratch.",
            "",
        ]
        _say("\n".join(lines))

    async def _stop(self) -> None:
        if self.hass is not None:
            await self.hass.stop()
        if self.sim is not None:
            await asyncio.to_thread(save_grants_file, self.sim.accounts, self.grants_path)
            await self.sim.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of scripts/develop."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Home Assistant with this integration, against the Spotify simulator.",
    )
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant's port")
    parser.add_argument("--sim-port", type=int, default=4010, help="the simulator's port")
    parser.add_argument(
        "--config",
        type=Path,
        default=DEV_DIR / "config",
        help="Home Assistant's config directory (default: .dev/config)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the config (user, entries) and start afresh"
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help=f"use Spotify itself (your developer app: set {REAL_CLIENT_ID} and "
        f"{REAL_CLIENT_SECRET}, or enter them in the UI)",
    )
    return parser.parse_args(argv)


def _made_by_us(config_dir: Path) -> bool:
    """Whether --reset may delete `config_dir`: absent, empty, or holding our configuration."""
    if not config_dir.exists() or not any(config_dir.iterdir()):
        return True
    configuration = config_dir / "configuration.yaml"
    return configuration.is_file() and configuration.read_text().startswith(CONFIG_HEADER)


def main() -> int:
    """Entry point."""
    args = parse_args()
    args.config = args.config.resolve()
    if args.reset:
        if not _made_by_us(args.config):
            _say(f"error: {args.config} does not look like a config scripts/develop made")
            return 2
        shutil.rmtree(args.config, ignore_errors=True)
        (args.config.parent / "simulator-grants.json").unlink(missing_ok=True)
        _say(f"Reset: removed {args.config}")
    try:
        return asyncio.run(DevServer(args).run())
    except (HassApiError, TimeoutError, OSError) as err:
        _say(f"error: {err}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
