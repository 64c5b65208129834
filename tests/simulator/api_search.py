"""Web API: GET /search across tracks, albums, artists, playlists, shows, episodes, books."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import params
from .gateway import caller
from .paging import offset_page
from .responses import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .catalogue import Album, Track
    from .simulator import SpotifySimulator

SEARCH_TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
SEARCH_OFFSET_MAX = 1000


def _terms(query: str) -> list[str]:
    """Lower-cased words; field filters like artist:"x y" just become words."""
    words = []
    for word in query.replace('"', " ").split():
        _, _, value = word.rpartition(":")
        if value:
            words.append(value.lower())
    return words


def _matches(terms: list[str], text: str) -> bool:
    haystack = text.lower()
    return all(term in haystack for term in terms)


def _relevance(query: str, name: str) -> int:
    """Like Spotify, the name itself first, then names that start with it, then the rest."""
    wanted, actual = " ".join(_terms(query)), name.lower()
    if actual == wanted:
        return 0
    return 1 if actual.startswith(wanted) else 2


class SearchRoutes:
    """GET /search."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Search `sim`'s catalogue."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The search route."""
        return [web.get("/v1/search", self.search)]

    def _candidates(self, kind: str, query: str) -> tuple[list[Any], Callable[[Any], Any]]:
        terms = _terms(query)
        world = self._sim.world
        catalogue = world.catalogue
        renderer = self._sim.renderer()

        def credited(item: Track | Album) -> str:
            names = " ".join(catalogue.artists[a].name for a in item.artist_ids)
            return f"{item.name} {names}"

        # kind -> (candidates, searchable text, renderer)
        sources: dict[str, tuple[Iterable[Any], Callable[[Any], str], Callable[[Any], Any]]] = {
            "track": (catalogue.tracks.values(), credited, renderer.track),
            "album": (catalogue.albums.values(), credited, renderer.simplified_album),
            "artist": (catalogue.artists.values(), lambda a: a.name, renderer.artist),
            "playlist": (
                [p for p in world.playlists.values() if p.public],
                lambda p: p.name,
                renderer.simplified_playlist,
            ),
            "show": (
                catalogue.shows.values(),
                lambda s: f"{s.name} {s.publisher}",
                renderer.simplified_show,
            ),
            "episode": (catalogue.episodes.values(), lambda e: e.name, renderer.simplified_episode),
            "audiobook": (
                catalogue.audiobooks.values(),
                lambda b: " ".join((b.name, *b.authors, *b.narrators)),
                renderer.simplified_audiobook,
            ),
        }
        candidates, text, render = sources[kind]
        found = [item for item in candidates if _matches(terms, text(item))]
        return sorted(found, key=lambda item: _relevance(query, item.name)), render

    async def search(self, request: web.Request) -> web.Response:
        """Search by words in names; one paging object per requested type."""
        caller(request)
        # Spotify's own next/previous links spell the query `query=`; both work.
        query = request.query.get("q", request.query.get("query", "")).strip()
        if not query:
            raise ApiError(400, "No search query")
        raw_types = params.required(request, "type")
        kinds = raw_types.split(",")
        if not all(kind in SEARCH_TYPES for kind in kinds):
            raise ApiError(400, "Bad search type field")
        limit = params.limit(request, default=5, maximum=10)
        offset = params.offset(request, maximum=SEARCH_OFFSET_MAX)
        market = params.market(request)
        body = {}
        for kind in dict.fromkeys(kinds):
            found, render = self._candidates(kind, query)
            extra = {"query": query, "type": kind}
            if market:
                extra["market"] = market
            body[f"{kind}s"] = offset_page(
                found,
                render,
                base=f"{self._sim.api_url}/search",
                offset=offset,
                limit=limit,
                params=extra,
            )
        return web.json_response(body)
