"""A real `hass` process on loopback, with a generated configuration and our integration."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .processes import ChildProcess

if TYPE_CHECKING:
    from collections.abc import Mapping

PROJECT = Path(__file__).resolve().parents[2]
# The venv whose hass runs: .venv/dev (HA 2025.4.4), or another one named by the
# environment (scripts/test --leg newest points it at .venv/newest).
ENV_DEV_VENV = "SPOTIFY_WEBAPI_DEV_VENV"
DEV_VENV = Path(os.environ.get(ENV_DEV_VENV) or PROJECT / ".venv" / "dev")
HASS = DEV_VENV / "bin" / "hass"
# The integration's own names (oauthcli.urls; tests/e2e checks they agree). Not imported:
# this process must not depend on importing the integration, which hass loads by itself.
DOMAIN = "spotify_webapi"
ENV_ACCOUNTS_URL = "SPOTIFY_WEBAPI_ACCOUNTS_URL"
ENV_API_URL = "SPOTIFY_WEBAPI_API_URL"
ENDPOINT_VARS = frozenset({ENV_ACCOUNTS_URL, ENV_API_URL})

# Only what the frontend and the integration need: `default_config` would load `my`, and
# then HA would send Spotify my.home-assistant.io as the redirect URI instead of its own.
CONFIG_HEADER = "# Written by tests/devserver on every start"
CONFIGURATION = f"""\
{CONFIG_HEADER}; change tests/devserver/hass.py instead.
homeassistant:
  name: Spotify Web API dev
  country: NL
  currency: EUR
  language: en
  time_zone: Europe/Amsterdam
  unit_system: metric
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  internal_url: "http://127.0.0.1:{{port}}"
http:
  server_host: 127.0.0.1
  server_port: {{port}}
config:
frontend:
media_source:
logger:
  default: warning
  logs:
    homeassistant.setup: info
    custom_components.spotify_webapi: debug
    # No libturbojpeg on this machine: only camera snapshots get slower, and there are none.
    homeassistant.components.camera.img_util: critical
"""


def skip_wizard_extras(config_dir: Path) -> None:
    """On a new config, leave only the wizard's user step to do (HassClient.create_owner).

    The core-config step would start the met, radio_browser, google_translate and
    shopping_list flows, which fail loudly in a `--skip-pip` hass without their packages.
    """
    onboarding = config_dir / ".storage" / "onboarding"
    if onboarding.exists():
        return
    onboarding.parent.mkdir(parents=True, exist_ok=True)
    store = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config", "analytics", "integration"]},
    }
    fd = os.open(onboarding, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(store, out)


def missing_dev_venv_message() -> str:
    """What to run when the dev venv is not there."""
    return (
        f"{HASS} not found: run scripts/bootstrap --leg dev (scripts/test and "
        "scripts/develop create it too)"
    )


class HassProcess:
    """`hass -c CONFIG --skip-pip` on 127.0.0.1:PORT with the integration linked into CONFIG."""

    def __init__(
        self,
        config_dir: Path,
        port: int,
        *,
        env: Mapping[str, str] | None = None,
        output: Path | None = None,
        custom_components: Path = PROJECT / "custom_components",
        extra_configuration: str = "",
    ) -> None:
        """Describe the instance; `env` adds to our environment, `output` captures its log.

        `custom_components` is linked into the config: the project's, or an installed copy.
        `extra_configuration` is YAML appended to configuration.yaml (scripts, helpers).
        """
        self.config_dir = config_dir
        self.extra_configuration = extra_configuration
        self.custom_components = custom_components
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        args = [str(HASS), "-c", str(config_dir), "--skip-pip"]
        if output is not None:
            args.append("--log-no-color")
        # The endpoint overrides come from `env` alone: a stray one in ours must not leak in.
        inherited = {key: value for key, value in os.environ.items() if key not in ENDPOINT_VARS}
        self.child = ChildProcess(
            "hass", args, env={**inherited, **(env or {})}, cwd=config_dir, output=output
        )

    def __repr__(self) -> str:
        """Where it runs."""
        return f"HassProcess({self.url!r}, config_dir={str(self.config_dir)!r})"

    def write_config(self) -> None:
        """(Re)write configuration.yaml and link `custom_components` into the config."""
        if not HASS.exists():
            raise RuntimeError(missing_dev_venv_message())
        self.config_dir.mkdir(parents=True, exist_ok=True)
        configuration = CONFIGURATION.format(port=self.port) + self.extra_configuration
        (self.config_dir / "configuration.yaml").write_text(configuration)
        link = self.config_dir / "custom_components"
        target = self.custom_components
        if link.is_symlink() and link.resolve() != target:
            link.unlink()
        if not link.is_symlink():
            link.symlink_to(target, target_is_directory=True)

    async def start(self) -> None:
        """Write the configuration and start hass; HassClient.wait_until_up waits for it."""
        await asyncio.to_thread(self.write_config)
        await self.child.start()

    async def stop(self, grace: float = 30.0) -> int | None:
        """Stop hass as HA stops on SIGTERM (stores are flushed), killing it after `grace`."""
        return await self.child.stop(grace)
