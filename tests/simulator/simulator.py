"""SpotifySimulator: accounts service and Web API on one loopback aiohttp server."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from . import artwork
from .accounts import ALL_SCOPES, Accounts
from .accounts_http import AccountsRoutes
from .api_catalogue import CatalogueRoutes
from .api_library import LibraryRoutes
from .api_player import PlayerRoutes
from .api_playlist_edit import PlaylistEditRoutes
from .api_search import SearchRoutes
from .api_users import UserRoutes
from .clock import SimClock
from .controls_http import WAKE_PATH, ControlRoutes
from .faults import Fault, FaultPlan
from .gateway import API_PREFIX, Gateway
from .render import Renderer
from .users import User, default_users
from .world import World

if TYPE_CHECKING:
    from types import TracebackType

    from .player import Player
    from .recorder import LoggedRequest


class SpotifySimulator:
    """A stateful stand-in for accounts.spotify.com and api.spotify.com, for tests."""

    DEFAULT_CLIENT_ID = "sim-client-id"
    DEFAULT_CLIENT_SECRET = "sim-client-secret"  # a fixture, not a credential

    def __init__(self, *, clock: SimClock | None = None) -> None:
        """Build the simulated world; `start` (or `async with`) serves it."""
        self.clock = clock or SimClock()
        self.users: dict[str, User] = default_users()
        self.world = World(self.clock, self.users)
        self.accounts = Accounts(self.clock, lambda: list(self.users))
        self.accounts.add_client(self.DEFAULT_CLIENT_ID, self.DEFAULT_CLIENT_SECRET)
        self.faults = FaultPlan()
        self.requests: list[LoggedRequest] = []
        self.omit_product = False
        self.premium_required = False
        self._runner: web.AppRunner | None = None
        self._wake_ups: list[asyncio.TimerHandle] = []
        # (user id, device name) of every wake-up signal received.
        self.wake_signals: list[tuple[str, str]] = []
        self._base_url: str | None = None

    def __repr__(self) -> str:
        """Where it listens (nothing secret)."""
        return f"SpotifySimulator(base_url={self._base_url!r})"

    # --- lifecycle ----------------------------------------------------------------------

    def build_app(self) -> web.Application:
        """The aiohttp application serving both halves."""
        app = web.Application(middlewares=Gateway(self).middlewares())
        app.add_routes(AccountsRoutes(self.accounts).routes())
        app.add_routes(ControlRoutes(self).routes())
        app.add_routes(artwork.routes())
        for routes in (
            UserRoutes,
            PlayerRoutes,
            LibraryRoutes,
            CatalogueRoutes,
            SearchRoutes,
            PlaylistEditRoutes,
        ):
            app.add_routes(routes(self).routes())
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0 picks a free port)."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        runner = web.AppRunner(self.build_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = runner.addresses[0][1]
        shown_host = f"[{host}]" if ":" in host else host
        self._base_url = f"http://{shown_host}:{bound_port}"

    async def stop(self) -> None:
        """Stop listening and close connections; pending wake-ups are dropped."""
        for handle in self._wake_ups:
            handle.cancel()
        self._wake_ups.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._base_url = None

    async def __aenter__(self) -> Self:
        """Start on an ephemeral loopback port."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop."""
        await self.stop()

    # --- addresses ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """http://HOST:PORT of the running simulator."""
        if self._base_url is None:
            raise RuntimeError("the simulator is not running")
        return self._base_url

    @property
    def accounts_url(self) -> str:
        """Base of /authorize and /api/token."""
        return self.base_url

    @property
    def api_url(self) -> str:
        """Base of the Web API (…/v1)."""
        return self.base_url + API_PREFIX

    def renderer(self, listener: User | None = None, market: str | None = None) -> Renderer:
        """Renders objects with hrefs on this simulator's address.

        For a `listener`, chapters carry their resume points and say whether they play
        in `market` (default: the listener's country).
        """
        world = self.world
        if listener is None:
            return Renderer(self.api_url, world.catalogue, self.users, world.playlists)
        player = world.players[listener.id]
        player.sync()  # a chapter that ended since the last request counts as played
        return Renderer(
            self.api_url,
            world.catalogue,
            self.users,
            world.playlists,
            resume_points=player.resume_points,
            market=market or listener.country,
        )

    # --- test controls ------------------------------------------------------------------

    def add_client(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_uris: list[str] | None = None,
    ) -> None:
        """Register an app; without redirect_uris any loopback or https://example.com URI works."""
        self.accounts.add_client(client_id, client_secret, redirect_uris)

    def player(self, user_id: str | None = None) -> Player:
        """A user's player (default: the user /authorize approves as), to inspect or set up."""
        return self.world.players[user_id or self.accounts.approve_as]

    @property
    def wake_url(self) -> str:
        """POST {"device": name, "user": id, "after": seconds} here to wake a device."""
        return self.base_url + WAKE_PATH

    def wake_device(self, name: str, *, after: float = 0.0, user_id: str | None = None) -> None:
        """A wake-up signal: the device wakes (if it can) `after` seconds from now."""
        player = self.player(user_id)
        player.named(name)  # unknown names fail now, not later
        self.wake_signals.append((user_id or self.accounts.approve_as, name))
        if after <= 0:
            player.wake(name)
            return
        handle = asyncio.get_running_loop().call_later(after, player.wake, name)
        self._wake_ups.append(handle)

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.requests.clear()

    def revoke_refresh_tokens(self, user_id: str | None = None) -> None:
        """Later refreshes answer invalid_grant "Refresh token revoked"."""
        self.accounts.revoke_refresh_tokens(user_id)

    def expire_access_tokens(self) -> None:
        """Every access token issued so far answers 401 on the Web API."""
        self.accounts.expire_access_tokens()

    def issue_token(
        self,
        user_id: str | None = None,
        client_id: str | None = None,
        scope: str | None = None,
    ) -> dict[str, Any]:
        """A token dict as if the user had just authorized the app (all scopes by default)."""
        user = user_id or self.accounts.approve_as
        if user not in self.users:
            raise ValueError(f"unknown user {user!r}")
        client = client_id or self.DEFAULT_CLIENT_ID
        if client not in self.accounts.clients:
            raise ValueError(f"unknown client {client!r}")
        return self.accounts.issue(client, user, ALL_SCOPES if scope is None else scope)

    def fail_next(
        self,
        path: str,
        status: int | None,
        *,
        method: str | None = None,
        count: int = 1,
        error: str | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        body: bytes | None = None,
    ) -> None:
        """Script the next `count` requests to `path` to fail, stall or answer `body`."""
        self.faults.add(
            Fault(
                path=path,
                method=method,
                remaining=count,
                status=status,
                error=error,
                description=description,
                retry_after=retry_after,
                delay=delay,
                body=body,
            )
        )
