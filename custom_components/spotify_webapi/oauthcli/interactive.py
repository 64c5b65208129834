"""The user-facing half of standalone authorization: a console prompt and a loopback server.

Home Assistant has its own flow and never loads this; scripts and the CLI do,
through ``AuthClient.AuthorizeWithConsole`` and ``AuthClient.AuthorizeWithServer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import threading
import webbrowser
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import AuthClientError, StateMismatchError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_LOGGER = logging.getLogger(__name__)

type Exchange = Callable[[str], Awaitable[dict[str, Any]]]


async def show_authorization_url(url: str, message: str | None, open_browser: bool) -> None:
    """Print the prompt and open the browser without blocking the loop."""
    if message is not None:
        print(message.format(url=url), flush=True)  # noqa: T201 - the documented prompt
    if open_browser:
        # webbrowser.open can block for seconds (it may spawn a process).
        await asyncio.get_running_loop().run_in_executor(None, webbrowser.open, url)


async def ask(input_func: Callable[[str], str], prompt: str) -> str:
    """Run a blocking prompt in a daemon thread.

    Not in the default executor: a cancelled wait (Ctrl-C) would leave a thread
    blocked in ``input`` that ``asyncio.run`` waits for until Enter is pressed.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def settle(result: str | None, error: BaseException | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result or "")

    def read() -> None:
        result: str | None = None
        error: BaseException | None = None
        try:
            result = input_func(prompt)
        except BaseException as err:  # noqa: BLE001 - handed to the awaiting coroutine
            error = err
        with contextlib.suppress(RuntimeError):  # the loop may be gone after a cancel
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=read, name="authclient-prompt", daemon=True).start()
    return await answer


def console_answer(answer: str) -> dict[str, Any]:
    """FetchToken arguments from what the user pasted: a bare code, a URL or its query."""
    if "code=" in answer or "error=" in answer:
        # A full URL (any scheme, e.g. urn:...:oob?code=...) or its bare query string.
        query = answer.split("?", 1)[1] if "?" in answer else answer
        return {"authorization_response": f"/?{query}"}
    return {"code": answer}


class CallbackServer:
    """Loopback HTTP server that receives the authorization redirect and exchanges the code."""

    def __init__(self, exchange: Exchange, success_message: str, path: str = "/") -> None:
        """Answer redirects to ``path`` by calling ``exchange`` with the request's URL."""
        self._exchange = exchange
        self._success_message = success_message
        self._path = path or "/"
        self.result: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._in_flight: asyncio.Task[dict[str, Any]] | None = None
        self._runner: web.AppRunner | None = None
        self._state: str | None = None

    def expect_state(self, state: str) -> None:
        """Take only redirects carrying ``state``; answer any other at once (see ``_handle``)."""
        self._state = state

    async def start(self, bind_addr: str, ports: int | list[int]) -> int:
        """Listen on the first free port; return it."""
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        candidates = [ports] if isinstance(ports, int) else list(ports)
        if not candidates:
            raise AuthClientError("no port was given for the authorization server")
        for candidate in candidates:
            site = web.TCPSite(self._runner, bind_addr, candidate)
            try:
                await site.start()
            except OSError:
                _LOGGER.debug("Port %s is busy; trying the next one", candidate)
                continue
            server = site._server  # noqa: SLF001 - the only way to learn an ephemeral port
            sockets = getattr(server, "sockets", None) or []
            return int(sockets[0].getsockname()[1]) if sockets else candidate
        await self.stop()
        raise AuthClientError(f"none of the ports {candidates} is free on {bind_addr}")

    async def wait(self, seconds: float | None) -> dict[str, Any]:
        """The token, once the redirect arrived and its code was exchanged.

        At the deadline an exchange already under way is waited for (it has its
        own HTTP timeout): the user did their part, and its token must not be
        stored after the caller was told that authorization timed out.
        """
        try:
            return await asyncio.wait_for(asyncio.shield(self.result), seconds)
        except TimeoutError:
            exchange = self._in_flight
            if exchange is None:
                raise
        # _settle was registered first, so it has run once wait() returns.
        await asyncio.wait([exchange])
        if not self.result.done():  # the request in flight was a stray one
            raise TimeoutError
        return self.result.result()

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        query = request.query
        if request.path != self._path or not ("code" in query or "error" in query):
            return web.Response(status=404, text="Not found")
        if not self._carries_state(query.getall("state", [])):
            # A stray or forged request is refused before anything starts, so it can
            # neither hold the server busy nor make it turn the real redirect away.
            return _page(400, "The authorization response was not expected (state mismatch).")
        if self.result.done() or self._in_flight is not None:
            return _page(409, "This authorization has already been handled.")
        # A task of its own: stopping the server must not cancel an exchange half-way.
        exchange = asyncio.ensure_future(self._exchange(str(request.rel_url)))
        self._in_flight = exchange
        exchange.add_done_callback(self._settle)
        try:
            await asyncio.shield(exchange)
        except StateMismatchError:
            # A stray or forged request: keep waiting for the real redirect.
            return _page(400, "The authorization response was not expected (state mismatch).")
        except Exception as err:  # noqa: BLE001 - the caller gets it through `result`
            return _page(400, f"Authorization failed: {err}")
        return _page(200, self._success_message)

    def _carries_state(self, given: list[str]) -> bool:
        """Whether a request carries exactly the expected state (compared in constant time)."""
        if self._state is None or len(given) != 1:
            return False
        return hmac.compare_digest(given[0].encode(), self._state.encode())

    def _settle(self, exchange: asyncio.Task[dict[str, Any]]) -> None:
        """Hand the exchange's outcome to ``result``, whatever became of the request."""
        self._in_flight = None
        if self.result.done():
            return
        if exchange.cancelled():
            self.result.cancel()
            return
        err = exchange.exception()
        if isinstance(err, StateMismatchError):
            return
        if err is not None:
            self.result.set_exception(err)
        else:
            self.result.set_result(exchange.result())


def _page(status: int, message: str) -> web.Response:
    body = f"<!doctype html><html><body><p>{html.escape(message)}</p></body></html>"
    return web.Response(status=status, text=body, content_type="text/html")
