"""Command line for standalone use: authorize, show stored tokens, log out.

    python -m custom_components.spotify_webapi.oauthcli authorize --client-id ID
    python -m custom_components.spotify_webapi.oauthcli status
    python -m custom_components.spotify_webapi.oauthcli logout --client-id ID

Tokens go to tokens.json (spotifywebapipython's layout). Output names keys, expiry and
scopes, never a token value.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import select
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from .authclient import AuthClient, scope_list
from .errors import (
    AuthClientError,
    AuthorizationError,
    AuthorizationTimeoutError,
    RateLimitError,
    ServiceError,
    StateMismatchError,
)
from .tokenstore import STORAGE_FILE_NAME, FileTokenStore, default_token_dir, token_key
from .urls import ENV_ACCOUNTS_URL, accounts_endpoints

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

PROG: Final = "python -m custom_components.spotify_webapi.oauthcli"
AUTHORIZATION_TYPE: Final = "Authorization Code PKCE"
# spotifywebapipython files authorization-code (PKCE) tokens under this provider id.
DEFAULT_PROVIDER: Final = "SpotifyWebApiAuthCodePkce"
DEFAULT_PROFILE: Final = "Shared"
# Keeps the secret out of the process list when set instead of --client-secret.
ENV_CLIENT_SECRET: Final = "SPOTIFY_WEBAPI_CLIENT_SECRET"  # noqa: S105 - a variable name
# What a media player needs: playback state and control, the user, and what to browse.
DEFAULT_SCOPES: Final = (
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
    "user-read-private",
    "user-read-email",
    "user-read-recently-played",
    "user-top-read",
    "user-library-read",
    "playlist-read-private",
    "playlist-read-collaborative",
)

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130


class UsageError(Exception):
    """Input the user can fix (exit 2), found after argparse has accepted the command line."""


def _key_part(value: str) -> str:
    """Validate one part of a storage key: "/" separates the parts, so it cannot be in one."""
    if not value.strip() or "/" in value or value != value.strip():
        raise argparse.ArgumentTypeError(f"{value!r} must be non-empty, without '/' or spaces")
    return value


def _port(value: str) -> int:
    """Validate a TCP port; 0 lets the system choose a free one."""
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:  # noqa: PLR2004 - the TCP port range
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535)")
    return port


def _positive_seconds(value: str) -> float:
    """Validate a timeout in seconds: a positive, finite number ("nan" and "inf" are not)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of all three commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Authorize this library with Spotify and manage the stored tokens.",
        epilog=f"{ENV_ACCOUNTS_URL} overrides the accounts service (https, or http on loopback).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    store = argparse.ArgumentParser(add_help=False)
    store.add_argument(
        "--token-dir",
        type=Path,
        default=None,
        help=f"directory of {STORAGE_FILE_NAME} (default: {default_token_dir()})",
    )
    key = argparse.ArgumentParser(add_help=False)
    key.add_argument(
        "--profile",
        type=_key_part,
        default=DEFAULT_PROFILE,
        help=f"token profile id (default: {DEFAULT_PROFILE})",
    )
    key.add_argument(
        "--provider",
        type=_key_part,
        default=DEFAULT_PROVIDER,
        help=f"token provider id (default: {DEFAULT_PROVIDER})",
    )

    authorize = commands.add_parser(
        "authorize",
        parents=[store, key],
        help="authorize with Spotify and store the token",
        description="Run the authorization-code flow with PKCE and store the token.",
    )
    authorize.add_argument(
        "--client-id",
        type=_key_part,
        required=True,
        help="the app's client id (developer dashboard)",
    )
    authorize.add_argument(
        "--client-secret",
        default=None,
        help=f"the app's secret, if it has one (or set {ENV_CLIENT_SECRET}); PKCE needs none",
    )
    authorize.add_argument(
        "--scope",
        action="extend",
        nargs="+",
        default=None,
        metavar="SCOPE",
        help=f"scopes to request, space- or comma-separated (default: {' '.join(DEFAULT_SCOPES)})",
    )
    authorize.add_argument(
        "--host",
        default="127.0.0.1",
        help="host of the redirect URI (default: %(default)s; Spotify rejects 'localhost')",
    )
    authorize.add_argument(
        "--port",
        type=_port,
        default=8080,
        help="port of the redirect URI http://HOST:PORT/ (default: %(default)s)",
    )
    authorize.add_argument(
        "--console",
        action="store_true",
        help="no local server: paste the URL the browser was redirected to",
    )
    authorize.add_argument(
        "--no-browser", action="store_true", help="print the URL only, do not open a browser"
    )
    authorize.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=120.0,
        help="seconds to wait for the redirect (default: %(default)s)",
    )
    authorize.add_argument(
        "--force", action="store_true", help="authorize again even if a valid token is stored"
    )

    status = commands.add_parser(
        "status",
        parents=[store],
        help="list stored tokens: keys, expiry, scopes",
        description="List stored tokens (keys, expiry, scopes; never the tokens themselves).",
    )
    status.add_argument("--client-id", type=_key_part, default=None, help="only this client")
    status.add_argument("--profile", type=_key_part, default=None, help="only this profile")

    logout = commands.add_parser(
        "logout",
        parents=[store, key],
        help="remove the stored token of a client and profile",
    )
    logout.add_argument("--client-id", type=_key_part, required=True, help="the app's client id")
    return parser


def _tokens_file(args: argparse.Namespace) -> Path:
    directory: Path = args.token_dir if args.token_dir is not None else default_token_dir()
    return directory.expanduser() / STORAGE_FILE_NAME


def _describe_expiry(token: dict[str, Any], now: float) -> str:
    expires_at = token.get("expires_at")
    if not isinstance(expires_at, (int, float)) or isinstance(expires_at, bool):
        return "unknown"
    try:
        when = datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):  # inf, nan, or past the calendar's years
        return "not a time (the token is refreshed on use)"
    minutes = round(abs(expires_at - now) / 60)
    return (
        f"{when} (in {minutes} min)" if expires_at > now else f"{when} (expired {minutes} min ago)"
    )


def _describe(key: str, token: dict[str, Any]) -> list[str]:
    """Lines about one token: its key, expiry, scopes; never a credential."""
    scopes = scope_list(token.get("scope"))
    return [
        key,
        f"  expires:       {_describe_expiry(token, time.time())}",
        f"  scopes:        {' '.join(scopes) or '(none)'}",
        f"  refresh token: {'yes' if token.get('refresh_token') else 'no'}",
    ]


def _interruptible_reader(stdin: TextIO, stop: threading.Event) -> Callable[[str], str]:
    """An ``input`` that gives up once ``stop`` is set.

    AuthorizeWithConsole reads in an executor thread; a plain ``input`` there keeps
    asyncio.run from finishing after Ctrl-C until the user presses Enter.
    """

    def read(prompt: str) -> str:
        print(prompt, end="", flush=True)
        while not stop.is_set():
            ready, _, _ = select.select([stdin], [], [], 0.2)
            if ready:
                line = stdin.readline()
                if not line:
                    raise EOFError
                return line
        raise EOFError

    return read


async def _authorize(args: argparse.Namespace) -> int:
    try:
        authorize_url, token_url = accounts_endpoints(os.environ.get(ENV_ACCOUNTS_URL))
    except ValueError as err:
        raise UsageError(str(err)) from err
    scope = scope_list(" ".join(args.scope)) if args.scope is not None else list(DEFAULT_SCOPES)
    path = _tokens_file(args)
    redirect_uri = f"http://{args.host}:{args.port}/"
    async with AuthClient(
        AUTHORIZATION_TYPE,
        authorize_url,
        token_url,
        scope=scope,
        clientId=args.client_id,
        clientSecret=args.client_secret or os.environ.get(ENV_CLIENT_SECRET) or None,
        tokenProviderId=args.provider,
        tokenProfileId=args.profile,
        tokenStorageDir=str(path.parent),
        tokenStorageFile=path.name,
    ) as client:
        if args.console:
            print(f"The app must have {redirect_uri} as a redirect URI.", flush=True)
            stop_reading = threading.Event()
            # Windows cannot select() on a console: there Ctrl-C waits for Enter.
            if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux only
                read_answer: Callable[[str], str] = input
            else:
                read_answer = _interruptible_reader(sys.stdin, stop_reading)
            try:
                token = await client.AuthorizeWithConsole(
                    open_browser=not args.no_browser,
                    code_message="Paste the URL your browser was sent to (or the code): ",
                    force=args.force,
                    input_func=read_answer,
                    redirect_uri=redirect_uri,
                )
            finally:
                stop_reading.set()
        else:
            token = await client.AuthorizeWithServer(
                host=args.host,
                port=args.port,
                open_browser=not args.no_browser,
                timeout_seconds=args.timeout,
                force=args.force,
            )
    key = token_key(args.provider, args.client_id, args.profile)
    print(f"Authorized. The token is stored in {path}:", *_describe(key, token), sep="\n")
    return EXIT_OK


async def _status(args: argparse.Namespace) -> int:
    path = _tokens_file(args)
    tokens = await FileTokenStore(path).load_all()
    shown = 0
    for key, token in tokens.items():
        _provider, _, rest = key.partition("/")
        client_id, _, profile = rest.partition("/")
        if args.client_id is not None and client_id != args.client_id:
            continue
        if args.profile is not None and profile != args.profile:
            continue
        print(*_describe(key, token), sep="\n")
        shown += 1
    if not shown:
        print(f"No matching token is stored in {path}.", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


async def _logout(args: argparse.Namespace) -> int:
    path = _tokens_file(args)
    key = token_key(args.provider, args.client_id, args.profile)
    store = FileTokenStore(path)
    if key not in await store.load_all():
        print(f"No token is stored under {key} in {path}; nothing to do.")
        return EXIT_OK
    # Endpoints are not used by a logout; the defaults keep a bad environment from mattering.
    async with AuthClient(
        AUTHORIZATION_TYPE,
        clientId=args.client_id,
        tokenProviderId=args.provider,
        tokenProfileId=args.profile,
        tokenStore=store,
    ) as client:
        await client.Logout()
    print(f"Removed the token stored under {key} from {path}.")
    return EXIT_OK


_COMMANDS = {"authorize": _authorize, "status": _status, "logout": _logout}


def _failure_message(err: BaseException) -> str:
    """One line for a failure: what the server said, never a credential."""
    match err:
        case AuthorizationError(error="access_denied"):
            message = "the authorization was refused (access_denied)"
        case AuthorizationError():
            detail = f"{err.error}: {err.description}" if err.description else err.error
            message = f"the accounts service refused the authorization: {detail}"
        case AuthorizationTimeoutError() | StateMismatchError():
            message = f"authorization failed: {err}"
        case RateLimitError() | ServiceError():
            message = f"the accounts service failed: {err}"
        case EOFError():
            message = "no authorization response was entered"
        case OSError(filename=str() as filename):
            message = f"{err.strerror or err}: {filename}"
        case _:
            message = str(err) or type(err).__name__
    return message


async def async_main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit status; argparse errors raise SystemExit(2)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return await _COMMANDS[args.command](args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (AuthClientError, OSError, EOFError) as err:
        print(f"error: {_failure_message(err)}", file=sys.stderr)
        return EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI in a fresh event loop."""
    try:
        return asyncio.run(async_main(argv))
    except KeyboardInterrupt:
        print("\ncancelled", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
