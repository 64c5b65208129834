"""Requests per page of the media browser, ours against a reproduction of core's browse.

Run: .venv/min/bin/python bench/browse_economy.py

Against the simulator on loopback, through the real AuthClient and Web API client,
browses four long or typical lists to their end, "More" page after "More" page: a
1,000-item playlist, 1,000 Liked Songs, the longest album and the longest show. Ours
is ``SpotifyBrowser``; core is reproduced from Home Assistant core's ``spotify``
browse_media (spotifyaio's default page of 48 for Liked Songs and a show's episodes,
the show read as well, a playlist's and an album's embedded first page; core never
pages further). Prints the requests each page cost and the items each side reaches.
Target: one request for the first page at most, and exactly one for each later page.
Exits 1 when it is missed.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.spotify_webapi.browse.media import SpotifyBrowser
from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore
from custom_components.spotify_webapi.webapi import SpotifyWebApiClient
from tests.simulator import SpotifySimulator
from tests.simulator.ids import uri
from tests.simulator.library import Saved

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.components.media_player import BrowseMedia

USER: Final = "alice"
LONG: Final = 1000
CORE_PAGE: Final = 48  # spotifyaio's default limit


@dataclass(slots=True)
class Walk:
    """What browsing one list to its end cost."""

    subject: str
    requests: list[int] = field(default_factory=list)  # per page
    items: int = 0


def api_requests(sim: SpotifySimulator) -> int:
    """Web API requests the simulator has seen (token requests aside)."""
    return len([r for r in sim.requests if r.path.startswith("/v1/")])


def children(node: BrowseMedia) -> tuple[list[BrowseMedia], BrowseMedia | None]:
    """The listed children and the trailing "More" node, if any."""
    listed = list(node.children or [])
    if listed and listed[-1].media_class == "directory":
        return listed[:-1], listed[-1]
    return listed, None


async def walk_ours(
    sim: SpotifySimulator, browser: SpotifyBrowser, subject: str, kind: str, node_id: str
) -> Walk:
    """Browse ``node_id`` and every "More" after it; count the requests of each page."""
    walk = Walk(subject)
    next_id: str | None = node_id
    while next_id is not None:
        before = api_requests(sim)
        node = await browser.browse(kind, next_id)
        walk.requests.append(api_requests(sim) - before)
        listed, more = children(node)
        walk.items += len(listed)
        next_id = None if more is None else more.media_content_id
    return walk


async def walk_core(
    sim: SpotifySimulator, subject: str, read: Callable[[], Awaitable[int]]
) -> Walk:
    """Core's one page: what ``read`` shows, and the requests it made."""
    before = api_requests(sim)
    items = await read()
    return Walk(subject, [api_requests(sim) - before], items)


def populate(sim: SpotifySimulator) -> tuple[str, str, str]:
    """A 1,000-item playlist and 1,000 Liked Songs for the user; the longest album and show."""
    world = sim.world
    track_ids = list(world.catalogue.tracks)
    items = [uri("track", track_ids[n % len(track_ids)]) for n in range(LONG)]
    playlist = world.add_playlist("thousand", "A Thousand Songs", USER, items)
    library = world.libraries[USER]
    library.playlists.append(playlist.id)
    library.saved_tracks = [
        Saved(
            track_ids[(7 * n) % len(track_ids)], f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}Z"
        )
        for n in range(LONG)
    ]
    album = max(world.catalogue.albums.values(), key=lambda a: len(a.track_ids))
    show = max(world.catalogue.shows.values(), key=lambda s: len(s.episode_ids))
    return uri("playlist", playlist.id), uri("album", album.id), uri("show", show.id)


async def run() -> tuple[list[Walk], list[Walk]]:
    """Walk the four lists with our browser and with core's reproduction."""
    async with SpotifySimulator() as sim, aiohttp.ClientSession() as http:
        playlist, album, show = populate(sim)
        auth = AuthClient(
            "Authorization Code PKCE",
            authorizationUrl=f"{sim.accounts_url}/authorize",
            tokenUrl=f"{sim.accounts_url}/api/token",
            clientId=sim.DEFAULT_CLIENT_ID,
            clientSecret=sim.DEFAULT_CLIENT_SECRET,
            oauth2Session=http,
            tokenStore=MemoryTokenStore(),
            apiBaseUrl=sim.api_url,
        )
        auth.Token = sim.issue_token(USER)
        api = SpotifyWebApiClient(auth)
        browser = SpotifyBrowser(api, USER, say=lambda key, **_: key)
        ours = [
            await walk_ours(sim, browser, "playlist, 1,000 items", "playlist", playlist),
            await walk_ours(
                sim,
                browser,
                "Liked Songs, 1,000",
                "current_user_saved_tracks",
                "current_user_saved_tracks",
            ),
            await walk_ours(sim, browser, "album (longest)", "album", album),
            await walk_ours(sim, browser, "show (longest)", "show", show),
        ]

        async def core_playlist() -> int:
            found = await api.get_playlist(playlist)
            return 0 if found.items is None else len(found.items.items)

        async def core_liked() -> int:
            return len((await api.get_saved_tracks(limit=CORE_PAGE)).items)

        async def core_album() -> int:
            found = await api.get_album(album)
            return 0 if found.tracks is None else len(found.tracks.items)

        async def core_show() -> int:
            episodes = await api.get_show_episodes(show, limit=CORE_PAGE)
            await api.get_show(show)
            return len(episodes.items)

        core = [
            await walk_core(sim, ours[0].subject, core_playlist),
            await walk_core(sim, ours[1].subject, core_liked),
            await walk_core(sim, ours[2].subject, core_album),
            await walk_core(sim, ours[3].subject, core_show),
        ]
    return ours, core


def main() -> int:
    """Print the table and judge the target."""
    ours, core = asyncio.run(run())
    print(
        f"{'list':<22} {'ours: pages':>11} {'1st page':>8} {'later pages':>11} {'items':>6}"
        f"   {'core: requests':>14} {'items':>6}"
    )
    met = True
    for mine, theirs in zip(ours, core, strict=True):
        later = sorted(set(mine.requests[1:]))
        later_text = "-" if not later else "/".join(str(n) for n in later)
        print(
            f"{mine.subject:<22} {len(mine.requests):>11} {mine.requests[0]:>8} {later_text:>11}"
            f" {mine.items:>6}   {theirs.requests[0]:>14} {theirs.items:>6}"
        )
        met = met and mine.requests[0] <= 1 and all(n == 1 for n in mine.requests[1:])
    print(
        "\nlater pages: the requests each page after the first cost;"
        " items: how many of the list each side lets the user reach"
    )
    print(f"\n{'met   ' if met else 'MISSED'}  first page <= 1 request, each later page 1 request")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
