"""A client of Home Assistant's HTTP and websocket APIs, doing what the frontend does."""

from __future__ import annotations

import asyncio
import itertools
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .processes import ChildProcess

JSON = Any
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")


class HassApiError(Exception):
    """Home Assistant answered something other than what the caller expected."""


class HassClient:
    """One signed-in user of one Home Assistant: onboarding, REST, websocket commands."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        """Talk to `base_url` (http://HOST:PORT) through `session`."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        # IndieAuth: a client id is a URL, and the frontend's is HA's own address.
        self.client_id = f"{self.base_url}/"
        self.access_token: str | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        """Where it talks to (never the token)."""
        return f"HassClient({self.base_url!r}, signed_in={self.access_token is not None})"

    # --- startup and sign-in -------------------------------------------------------------

    async def wait_until_up(self, within: float, process: ChildProcess | None = None) -> None:
        """Wait until HA's HTTP server answers; fail early if `process` exits meanwhile."""

        async def answered() -> bool:
            if process is not None and process.returncode is not None:
                raise HassApiError(f"hass exited with status {process.returncode} while starting")
            try:
                # Always served; answers 400 until the owner exists, 200 after.
                async with self.session.get(f"{self.base_url}/auth/providers") as resp:
                    return resp.status < HTTPStatus.INTERNAL_SERVER_ERROR
            except aiohttp.ClientError:
                return False

        await poll_until(answered, within, "Home Assistant's HTTP server to answer")

    async def onboarding_steps(self) -> dict[str, bool]:
        """Each onboarding step and whether it is done."""
        async with self.session.get(f"{self.base_url}/api/onboarding") as resp:
            if resp.status == HTTPStatus.NOT_FOUND:
                # Onboarded: HA no longer serves the onboarding views at all.
                return dict.fromkeys(ONBOARDING_STEPS, True)
            steps = await _json(resp, HTTPStatus.OK)
        return {step["step"]: step["done"] for step in steps}

    async def create_owner(self, name: str, username: str, password: str) -> None:
        """The onboarding wizard's first step: the owner's account; signs in as the owner."""
        user = {
            "client_id": self.client_id,
            "name": name,
            "username": username,
            "password": password,
            "language": "en",
        }
        async with self.session.post(f"{self.base_url}/api/onboarding/users", json=user) as resp:
            code = (await _json(resp, HTTPStatus.OK))["auth_code"]
        await self._token_from_code(code)

    async def finish_onboarding(self) -> None:
        """The wizard's remaining steps, as the frontend posts them (signed in)."""
        steps = await self.onboarding_steps()
        bodies: dict[str, dict[str, str]] = {
            "core_config": {},
            "analytics": {},
            "integration": {
                "client_id": self.client_id,
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
        }
        for step, body in bodies.items():
            if not steps.get(step, True):
                await self.rest("POST", f"/api/onboarding/{step}", body)

    async def login(self, username: str, password: str) -> None:
        """Sign in through the login flow of HA's own auth provider."""
        start = {
            "client_id": self.client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": self.client_id,
        }
        async with self.session.post(f"{self.base_url}/auth/login_flow", json=start) as resp:
            flow = await _json(resp, HTTPStatus.OK)
        step = {"client_id": self.client_id, "username": username, "password": password}
        url = f"{self.base_url}/auth/login_flow/{flow['flow_id']}"
        async with self.session.post(url, json=step) as resp:
            result = await _json(resp, HTTPStatus.OK)
        if result.get("type") != "create_entry":
            raise HassApiError(f"login refused: {result.get('errors')}")
        await self._token_from_code(result["result"])

    async def _token_from_code(self, code: str) -> None:
        form = {"grant_type": "authorization_code", "code": code, "client_id": self.client_id}
        async with self.session.post(f"{self.base_url}/auth/token", data=form) as resp:
            self.access_token = (await _json(resp, HTTPStatus.OK))["access_token"]

    async def wait_until_running(self, within: float) -> None:
        """Wait until HA has finished starting (every integration set up or given up)."""

        async def running() -> bool:
            config = await self.rest("GET", "/api/config")
            return bool(config["state"] == "RUNNING")

        await poll_until(running, within, "Home Assistant to finish starting")

    # --- REST -----------------------------------------------------------------------------

    async def rest(
        self,
        method: str,
        path: str,
        body: JSON | None = None,
        *,
        expect: int = HTTPStatus.OK,
    ) -> JSON:
        """Call the REST API as the signed-in user; the decoded answer (None when empty)."""
        if self.access_token is None:
            raise HassApiError("not signed in")
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            # The frontend names its origin; HA builds the OAuth redirect URI from it.
            "HA-Frontend-Base": self.base_url,
        }
        async with self.session.request(
            method, f"{self.base_url}{path}", json=body, headers=headers
        ) as resp:
            return await _json(resp, expect)

    async def call_service(
        self, domain: str, service: str, data: dict[str, Any], *, return_response: bool = False
    ) -> JSON:
        """POST /api/services/DOMAIN/SERVICE (with ?return_response for actions that answer)."""
        path = f"/api/services/{domain}/{service}"
        if return_response:
            path += "?return_response"
        return await self.rest("POST", path, data)

    async def state(self, entity_id: str) -> dict[str, Any]:
        """The entity's state object."""
        state: dict[str, Any] = await self.rest("GET", f"/api/states/{entity_id}")
        return state

    async def entries(self, domain: str) -> list[dict[str, Any]]:
        """The config entries of `domain`, as the integrations page lists them."""
        found: list[dict[str, Any]] = await self.rest(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )
        return found

    async def flows_in_progress(self) -> list[dict[str, Any]]:
        """Config flows in progress (discovered and reauth flows included)."""
        flows: list[dict[str, Any]] = await self.ws({"type": "config_entries/flow/progress"})
        return flows

    # --- websocket ------------------------------------------------------------------------

    async def ws(self, command: dict[str, Any]) -> JSON:
        """Send one websocket command and return its result (raise on an error answer)."""
        socket = await self._websocket()
        message_id = next(self._ids)
        await socket.send_json({**command, "id": message_id})
        while True:
            answer = await socket.receive_json()
            if answer.get("id") == message_id and answer.get("type") == "result":
                break
        if not answer["success"]:
            raise HassApiError(f"{command['type']} failed: {answer['error']}")
        return answer["result"]

    async def _websocket(self) -> aiohttp.ClientWebSocketResponse:
        if self._ws is not None and not self._ws.closed:
            return self._ws
        socket = await self.session.ws_connect(f"{self.base_url}/api/websocket")
        if (await socket.receive_json())["type"] != "auth_required":
            raise HassApiError("the websocket did not ask for authentication")
        await socket.send_json({"type": "auth", "access_token": self.access_token})
        answer = await socket.receive_json()
        if answer["type"] != "auth_ok":
            await socket.close()
            raise HassApiError(f"websocket authentication failed: {answer.get('message')}")
        self._ws = socket
        return socket

    async def close(self) -> None:
        """Close the websocket (the HTTP session belongs to the caller)."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None


async def _json(resp: aiohttp.ClientResponse, expect: int) -> JSON:
    """The decoded body of a response with the expected status; raise with HA's answer otherwise."""
    text = await resp.text()
    if resp.status != expect:
        raise HassApiError(f"{resp.method} {resp.url.path} answered {resp.status}: {text[:300]}")
    if not text:
        return None
    return await resp.json(content_type=None)


async def poll_until(
    check: Callable[[], Awaitable[bool]], within: float, what: str, interval: float = 0.25
) -> None:
    """Call `check` until it is true; raise TimeoutError naming `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up waiting for {what} after {within:.0f} s")
        await asyncio.sleep(interval)
