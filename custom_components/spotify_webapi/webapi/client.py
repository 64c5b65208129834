"""SpotifyWebApiClient: typed async calls to Spotify's Web API over an AuthClient."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from custom_components.spotify_webapi.oauthcli.errors import (
    AuthClientError,
    RateLimitError,
    ServiceError,
)

from . import arguments
from .arguments import AlbumGroup, SearchType, TimeRange, UriLike
from .errors import (
    InvalidArgumentError,
    SpotifyAuthorizationError,
    SpotifyRateLimitError,
    SpotifyResponseError,
    SpotifyServiceUnavailableError,
)
from .models import (
    Album,
    Artist,
    Audiobook,
    Chapter,
    CurrentUser,
    Device,
    Episode,
    Page,
    PlaybackState,
    PlayHistory,
    Playlist,
    PlaylistItem,
    Queue,
    RepeatMode,
    SavedAlbum,
    SavedAudiobook,
    SavedShow,
    SavedTrack,
    SearchResult,
    Show,
    SimplifiedAudiobook,
    SimplifiedChapter,
    Track,
)
from .models._parse import expect_object, get_objects, get_str
from .rate_gate import RateLimitGate
from .responses import error_for, json_body
from .uris import (
    CONTEXT_TYPES,
    LIBRARY_CONTAINS_TYPES,
    LIBRARY_TYPES,
    PLAYABLE_TYPES,
    PLAYLIST_ITEM_TYPES,
    ItemType,
    to_spotify_id,
    to_spotify_uri,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from custom_components.spotify_webapi.oauthcli.response import Response

    from .models._parse import JsonObject

# Most list endpoints serve at most 50 items a page; search and artist albums 10 (2026).
PAGE_SIZE: Final = 50
SEARCH_PAGE_SIZE: Final = 10
ARTIST_ALBUMS_PAGE_SIZE: Final = 10
PLAYLIST_ADD_MAX: Final = 100
# Ask for episodes too: without it Spotify reports a playing episode as `item: null`.
_PLAYABLE_KINDS: Final = "track,episode"
# Query parameters that say where a page starts; a next link sets its own.
_POSITION: Final = frozenset({"limit", "offset", "after", "before"})


class SpotifyWebApiClient:
    """Spotify's Web API as typed async methods; every request goes through ``_request``."""

    def __init__(
        self,
        auth: AuthClient,
        *,
        clock: Callable[[], float] | None = None,
        gate: RateLimitGate | None = None,
    ) -> None:
        """Send every request through ``auth``, held back by ``gate`` after a 429.

        Give the clients of one Spotify app the same ``gate``: Spotify limits the app.
        Without one the client has its own, timed on ``clock`` (monotonic seconds).
        """
        self._auth = auth
        self._gate = gate if gate is not None else RateLimitGate(clock)

    @property
    def rate_limited_for(self) -> float:
        """Seconds until Spotify's last ``Retry-After`` has passed (0 when not limited)."""
        return self._gate.wait

    # --- the one way out --------------------------------------------------------------

    async def _request(
        self,
        method: str,
        api: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        player_command: bool = False,
    ) -> Response:
        """Send a request and return the answer, or raise the SpotifyError that explains it."""
        if (wait := self.rate_limited_for) > 0:
            raise SpotifyRateLimitError(wait)
        options: dict[str, Any] = {}
        if params:
            options["params"] = dict(params)
        if body is not None:
            options["json"] = dict(body)
        try:
            response = await self._auth.request(method, api, **options)
        except RateLimitError as err:
            self._gate.close_for(err.retry_after)
            raise SpotifyRateLimitError(err.retry_after) from err
        except ServiceError as err:
            raise SpotifyServiceUnavailableError(str(err), err.status) from err
        except AuthClientError as err:
            # No token, or the refresh was refused (invalid_grant): authorize again.
            raise SpotifyAuthorizationError(str(err)) from err
        if not response.ok:
            raise error_for(response, player_command=player_command)
        return response

    async def _get(self, api: str, params: Mapping[str, str] | None = None) -> object:
        """GET ``api`` and return its JSON (None for an empty answer)."""
        return json_body(await self._request("GET", api, params=params))

    async def _command(
        self,
        method: str,
        api: str,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        """Send a player command; its answer carries nothing (a 404 means no active device)."""
        await self._request(method, api, params=params, body=body, player_command=True)

    # --- paging -----------------------------------------------------------------------

    async def _paged[T](
        self,
        api: str,
        parse_item: Callable[[JsonObject], T],
        *,
        limit: int,
        page_size: int = PAGE_SIZE,
        params: Mapping[str, str] | None = None,
        key: str | None = None,
    ) -> Page[T]:
        """Up to ``limit`` items from ``api``, following ``next`` as far as needed."""
        arguments.positive_int(limit, "limit")
        first_params = {**(params or {}), "limit": str(min(limit, page_size))}
        first = _page(await self._get(api, first_params), parse_item, key, min(limit, page_size))
        # Spotify's next links may drop filters such as additional_types: carry them over.
        carry = {name: value for name, value in (params or {}).items() if name not in _POSITION}
        return await self._fill(first, parse_item, limit=limit, key=key, carry=carry)

    async def _fill[T](
        self,
        first: Page[T],
        parse_item: Callable[[JsonObject], T],
        *,
        limit: int,
        key: str | None = None,
        carry: Mapping[str, str] | None = None,
    ) -> Page[T]:
        """``first`` extended by the pages after it until it covers ``limit`` positions or ends.

        Spotify's list positions, not the items, are counted: a null entry takes a place,
        and a page may hold fewer entries than asked for while its ``next`` link still
        moves on by the full limit. The next link says where the list really continues.
        """
        items = list(first.items)
        positions = first.positions
        page = first
        covered = _covered(first, page, positions)
        while covered < limit and page.next and page.positions:
            remaining = limit - covered
            next_link = _next_link(page.next, remaining, carry or {}, page.next_offset)
            page = _page(await self._get(self._relative(next_link)), parse_item, key, remaining)
            items.extend(page.items)
            positions += page.positions
            previous, covered = covered, _covered(first, page, positions)
            if covered <= previous:
                break  # a next link that does not move on would loop forever
        return replace(
            first,
            items=tuple(items),
            positions=positions,
            limit=limit,
            next=page.next,
            next_offset=page.next_offset,
            cursors=page.cursors,
        )

    def _relative(self, link: str) -> str:
        """A ``next`` link as a path below the API base, so the token never goes elsewhere."""
        base = self._auth.process_url("")
        if not link.startswith(base):
            raise SpotifyResponseError("Spotify's next link points outside the Web API")
        return link[len(base) :]

    # --- user -------------------------------------------------------------------------

    async def get_current_user(self) -> CurrentUser:
        """The signed-in user's profile (``product`` may be missing)."""
        return CurrentUser.from_dict(await self._get("me"))

    # --- player -----------------------------------------------------------------------

    async def get_playback_state(self) -> PlaybackState | None:
        """What is playing where; None when nothing is (Spotify answers 204)."""
        data = await self._get("me/player", {"additional_types": _PLAYABLE_KINDS})
        return None if data is None else PlaybackState.from_dict(data)

    async def get_devices(self) -> list[Device]:
        """The user's available Spotify Connect devices."""
        data = expect_object(await self._get("me/player/devices"), "devices")
        return list(get_objects(data, "devices", Device.from_dict))

    async def transfer_playback(self, device_id: str, *, play: bool = False) -> None:
        """Move playback to ``device_id``; ``play`` starts it there, else the state is kept."""
        body = {"device_ids": [arguments.device_id(device_id)], "play": play}
        await self._command("PUT", "me/player", body=body)

    async def start_playback(
        self,
        *,
        context_uri: UriLike | None = None,
        uris: UriLike | Iterable[UriLike] | None = None,
        offset: int | UriLike | None = None,
        position_ms: int | None = None,
        device_id: str | None = None,
    ) -> None:
        """Play a context (album, artist, playlist, show, audiobook, Liked Songs) or items.

        With neither, resume. Items are tracks, episodes or chapters.
        """
        body: dict[str, Any] = {}
        if context_uri is not None and uris is not None:
            raise InvalidArgumentError("give context_uri or uris, not both")
        if context_uri is not None:
            body["context_uri"] = to_spotify_uri(context_uri, *CONTEXT_TYPES).player_uri
        if uris is not None:
            body["uris"] = arguments.playable_uris(uris)
        if offset is not None:
            if not body:
                raise InvalidArgumentError("offset needs a context_uri or uris to start in")
            body["offset"] = arguments.offset_object(offset)
        if position_ms is not None:
            body["position_ms"] = arguments.non_negative_int(position_ms, "position_ms")
        await self._command(
            "PUT", "me/player/play", arguments.device_params(device_id), body=body or None
        )

    async def pause_playback(self, *, device_id: str | None = None) -> None:
        """Pause playback."""
        await self._command("PUT", "me/player/pause", arguments.device_params(device_id))

    async def skip_to_next(self, *, device_id: str | None = None) -> None:
        """Skip to the next item in the queue."""
        await self._command("POST", "me/player/next", arguments.device_params(device_id))

    async def skip_to_previous(self, *, device_id: str | None = None) -> None:
        """Skip to the previous item."""
        await self._command("POST", "me/player/previous", arguments.device_params(device_id))

    async def seek(self, position_ms: int, *, device_id: str | None = None) -> None:
        """Jump to ``position_ms`` in the current item."""
        position = arguments.non_negative_int(position_ms, "position_ms")
        params = {"position_ms": str(position), **arguments.device_params(device_id)}
        await self._command("PUT", "me/player/seek", params)

    async def set_repeat(self, mode: RepeatMode | str, *, device_id: str | None = None) -> None:
        """Repeat the track, the context, or nothing."""
        if mode not in RepeatMode:
            raise InvalidArgumentError(f"repeat mode must be track, context or off, got {mode!r}")
        params = {"state": RepeatMode(mode).value, **arguments.device_params(device_id)}
        await self._command("PUT", "me/player/repeat", params)

    async def set_volume(self, volume_percent: int, *, device_id: str | None = None) -> None:
        """Set the device's volume (0 to 100; checked before sending)."""
        volume = arguments.volume_percent(volume_percent)
        params = {"volume_percent": str(volume), **arguments.device_params(device_id)}
        await self._command("PUT", "me/player/volume", params)

    async def set_shuffle(self, state: bool, *, device_id: str | None = None) -> None:
        """Turn shuffle on or off."""
        params = {**arguments.query_params(state=state), **arguments.device_params(device_id)}
        await self._command("PUT", "me/player/shuffle", params)

    async def get_queue(self) -> Queue:
        """What plays now and next."""
        return Queue.from_dict(await self._get("me/player/queue"))

    async def add_to_queue(self, uri: UriLike, *, device_id: str | None = None) -> None:
        """Queue a track, an episode or a chapter to play next."""
        item = to_spotify_uri(uri, *PLAYABLE_TYPES).player_uri
        await self._command(
            "POST", "me/player/queue", {"uri": item, **arguments.device_params(device_id)}
        )

    async def get_recently_played(
        self, *, limit: int = PAGE_SIZE, after: int | None = None, before: int | None = None
    ) -> Page[PlayHistory]:
        """Tracks played recently, newest first; ``after``/``before`` are Unix ms cursors."""
        if after is not None and before is not None:
            raise InvalidArgumentError("give after or before, not both")
        params = arguments.query_params(
            after=None if after is None else arguments.non_negative_int(after, "after"),
            before=None if before is None else arguments.non_negative_int(before, "before"),
        )
        return await self._paged(
            "me/player/recently-played", PlayHistory.from_dict, limit=limit, params=params
        )

    # --- playlists --------------------------------------------------------------------

    async def get_current_user_playlists(
        self, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[Playlist]:
        """Playlists the user owns or follows."""
        return await self._paged(
            "me/playlists", Playlist.from_dict, limit=limit, params=arguments.offset_params(offset)
        )

    async def get_playlist(self, playlist: UriLike) -> Playlist:
        """One playlist, with the first page of its items."""
        playlist_id = to_spotify_id(playlist, ItemType.PLAYLIST)
        data = await self._get(f"playlists/{playlist_id}", {"additional_types": _PLAYABLE_KINDS})
        return Playlist.from_dict(data)

    async def get_playlist_items(
        self, playlist: UriLike, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[PlaylistItem]:
        """Up to ``limit`` items of a playlist from ``offset`` (``/items``, not ``/tracks``)."""
        playlist_id = to_spotify_id(playlist, ItemType.PLAYLIST)
        params = {"additional_types": _PLAYABLE_KINDS, **arguments.offset_params(offset)}
        return await self._paged(
            f"playlists/{playlist_id}/items", PlaylistItem.from_dict, limit=limit, params=params
        )

    async def add_to_playlist(
        self, playlist: UriLike, uris: UriLike | Iterable[UriLike], *, position: int | None = None
    ) -> str | None:
        """Add tracks and episodes (at ``position``, else at the end); the new snapshot id."""
        playlist_id = to_spotify_id(playlist, ItemType.PLAYLIST)
        items = arguments.playable_uris(uris, PLAYLIST_ITEM_TYPES)
        if len(items) > PLAYLIST_ADD_MAX:
            raise InvalidArgumentError(f"at most {PLAYLIST_ADD_MAX} items can be added at once")
        body: dict[str, Any] = {"uris": items}
        if position is not None:
            body["position"] = arguments.non_negative_int(position, "position")
        answer = json_body(await self._request("POST", f"playlists/{playlist_id}/items", body=body))
        return get_str(expect_object(answer, "snapshot"), "snapshot_id")

    async def create_playlist(
        self, name: str, *, description: str | None = None, public: bool | None = None
    ) -> Playlist:
        """Create an empty playlist of the signed-in user."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("a playlist needs a name")
        body: dict[str, Any] = {"name": name}
        if description is not None:
            body["description"] = description
        if public is not None:
            body["public"] = public
        return Playlist.from_dict(json_body(await self._request("POST", "me/playlists", body=body)))

    # --- library ----------------------------------------------------------------------

    async def save_to_library(self, uris: UriLike | Iterable[UriLike]) -> None:
        """Save items to the user's library (2026's one endpoint for every kind)."""
        params = {"uris": arguments.library_uris(uris, LIBRARY_TYPES)}
        await self._request("PUT", "me/library", params=params)

    async def remove_from_library(self, uris: UriLike | Iterable[UriLike]) -> None:
        """Remove items from the user's library."""
        params = {"uris": arguments.library_uris(uris, LIBRARY_TYPES)}
        await self._request("DELETE", "me/library", params=params)

    async def library_contains(self, uris: UriLike | Iterable[UriLike]) -> list[bool]:
        """Whether each item is in the user's library, in the order asked."""
        wanted = arguments.library_uris(uris, LIBRARY_CONTAINS_TYPES)
        answer = await self._get("me/library/contains", {"uris": wanted})
        count = wanted.count(",") + 1
        if not isinstance(answer, list) or len(answer) != count:
            raise SpotifyResponseError("Spotify's library answer does not match the items asked")
        if not all(isinstance(value, bool) for value in answer):
            raise SpotifyResponseError(
                "Spotify's library answer holds something else than booleans"
            )
        return list(answer)

    async def get_saved_tracks(
        self, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[SavedTrack]:
        """The user's Liked Songs, most recently saved first."""
        return await self._paged(
            "me/tracks", SavedTrack.from_dict, limit=limit, params=arguments.offset_params(offset)
        )

    async def get_saved_albums(
        self, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[SavedAlbum]:
        """Albums in the user's library."""
        return await self._paged(
            "me/albums", SavedAlbum.from_dict, limit=limit, params=arguments.offset_params(offset)
        )

    async def get_saved_shows(self, *, limit: int = PAGE_SIZE, offset: int = 0) -> Page[SavedShow]:
        """Podcasts the user follows."""
        return await self._paged(
            "me/shows", SavedShow.from_dict, limit=limit, params=arguments.offset_params(offset)
        )

    async def get_saved_audiobooks(
        self, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[SavedAudiobook]:
        """Audiobooks in the user's library (save and remove them through ``/me/library``)."""
        return await self._paged(
            "me/audiobooks",
            SavedAudiobook.from_dict,
            limit=limit,
            params=arguments.offset_params(offset),
        )

    async def get_followed_artists(
        self, *, limit: int = PAGE_SIZE, after: str | None = None
    ) -> Page[Artist]:
        """Artists the user follows; ``after`` is the last artist ID already seen."""
        params = {"type": "artist"}
        if after is not None:
            params["after"] = to_spotify_id(after, ItemType.ARTIST)
        return await self._paged(
            "me/following", Artist.from_dict, limit=limit, params=params, key="artists"
        )

    async def get_top_artists(
        self, *, time_range: TimeRange | None = None, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[Artist]:
        """The user's most listened-to artists."""
        return await self._paged(
            "me/top/artists", Artist.from_dict, limit=limit, params=_top_params(time_range, offset)
        )

    async def get_top_tracks(
        self, *, time_range: TimeRange | None = None, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[Track]:
        """The user's most listened-to tracks."""
        return await self._paged(
            "me/top/tracks", Track.from_dict, limit=limit, params=_top_params(time_range, offset)
        )

    # --- catalog ----------------------------------------------------------------------

    async def get_album(self, album: UriLike) -> Album:
        """One album, with the first page of its tracks."""
        return Album.from_dict(await self._get(f"albums/{to_spotify_id(album, ItemType.ALBUM)}"))

    async def get_artist(self, artist: UriLike) -> Artist:
        """One artist, with images and genres."""
        artist_id = to_spotify_id(artist, ItemType.ARTIST)
        return Artist.from_dict(await self._get(f"artists/{artist_id}"))

    async def get_track(self, track: UriLike) -> Track:
        """One track, with its album."""
        return Track.from_dict(await self._get(f"tracks/{to_spotify_id(track, ItemType.TRACK)}"))

    async def get_show(self, show: UriLike) -> Show:
        """One podcast, with the first page of its episodes."""
        return Show.from_dict(await self._get(f"shows/{to_spotify_id(show, ItemType.SHOW)}"))

    async def get_episode(self, episode: UriLike) -> Episode:
        """One podcast episode, with its show."""
        episode_id = to_spotify_id(episode, ItemType.EPISODE)
        return Episode.from_dict(await self._get(f"episodes/{episode_id}"))

    async def get_audiobook(self, audiobook: UriLike) -> Audiobook:
        """One audiobook, with the first page of its chapters and their resume points."""
        book_id = to_spotify_id(audiobook, ItemType.AUDIOBOOK)
        return Audiobook.from_dict(await self._get(f"audiobooks/{book_id}"))

    async def get_audiobook_chapters(
        self, audiobook: UriLike, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[SimplifiedChapter]:
        """An audiobook's chapters, in order, each with where the user left off."""
        book_id = to_spotify_id(audiobook, ItemType.AUDIOBOOK)
        return await self._paged(
            f"audiobooks/{book_id}/chapters",
            SimplifiedChapter.from_dict,
            limit=limit,
            params=arguments.offset_params(offset),
        )

    async def get_book_resume_point(self, audiobook: UriLike) -> tuple[str, int] | None:
        """Where the user left off in a book: the first chapter not fully played, and the ms.

        Spotify keeps a resume point per chapter, not per book, so the chapters are read
        page by page until one is not finished; None when every chapter is (or none is
        listed), to start the book from its beginning.
        """
        offset = 0
        while True:
            page = await self.get_audiobook_chapters(audiobook, offset=offset)
            for chapter in page.items:
                point = chapter.resume_point
                if chapter.uri and not (point and point.fully_played):
                    return chapter.uri, (point.resume_position_ms or 0) if point else 0
            if not page.next or not page.positions:
                return None
            following = page.next_offset
            offset = following if following is not None else offset + page.positions

    async def get_chapter(self, chapter: UriLike) -> Chapter:
        """One chapter of an audiobook, with its book."""
        chapter_id = to_spotify_id(chapter, ItemType.CHAPTER)
        return Chapter.from_dict(await self._get(f"chapters/{chapter_id}"))

    async def get_album_tracks(
        self, album: UriLike, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[Track]:
        """An album's tracks, in order."""
        album_id = to_spotify_id(album, ItemType.ALBUM)
        return await self._paged(
            f"albums/{album_id}/tracks",
            Track.from_dict,
            limit=limit,
            params=arguments.offset_params(offset),
        )

    async def get_artist_albums(
        self,
        artist: UriLike,
        *,
        include_groups: Iterable[AlbumGroup | str] | None = None,
        limit: int = ARTIST_ALBUMS_PAGE_SIZE,
        offset: int = 0,
    ) -> Page[Album]:
        """An artist's albums, optionally only some groups (albums, singles, ...)."""
        artist_id = to_spotify_id(artist, ItemType.ARTIST)
        params = arguments.offset_params(offset)
        if include_groups is not None:
            params["include_groups"] = arguments.comma_list(
                include_groups, AlbumGroup, "include_groups"
            )
        return await self._paged(
            f"artists/{artist_id}/albums",
            Album.from_dict,
            limit=limit,
            page_size=ARTIST_ALBUMS_PAGE_SIZE,
            params=params,
        )

    async def get_show_episodes(
        self, show: UriLike, *, limit: int = PAGE_SIZE, offset: int = 0
    ) -> Page[Episode]:
        """A show's episodes, newest first."""
        show_id = to_spotify_id(show, ItemType.SHOW)
        return await self._paged(
            f"shows/{show_id}/episodes",
            Episode.from_dict,
            limit=limit,
            params=arguments.offset_params(offset),
        )

    async def search(
        self,
        query: str,
        types: Iterable[SearchType | str],
        *,
        limit: int = SEARCH_PAGE_SIZE,
        offset: int = 0,
        market: str | None = None,
    ) -> SearchResult:
        """Up to ``limit`` matches of ``query`` per type; ``market`` may be ``from_token``."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidArgumentError("the search query must not be empty")
        wanted = arguments.comma_list(types, SearchType, "types")
        arguments.positive_int(limit, "limit")
        params = {
            "q": query,
            "type": wanted,
            "limit": str(min(limit, SEARCH_PAGE_SIZE)),
            **arguments.offset_params(offset),
        }
        if market is not None:
            params["market"] = market
        result = SearchResult.from_dict(
            await self._get("search", params), at_most=min(limit, SEARCH_PAGE_SIZE)
        )
        # Each type's page continues on its own `next` link, answered wrapped in its key.
        # Spotify spells the query `query=` there; keep the documented `q` too.
        carry = {"q": query} | ({"market": market} if market is not None else {})
        return replace(
            result,
            tracks=await self._fill_type(result.tracks, Track.from_dict, "tracks", limit, carry),
            albums=await self._fill_type(result.albums, Album.from_dict, "albums", limit, carry),
            artists=await self._fill_type(
                result.artists, Artist.from_dict, "artists", limit, carry
            ),
            playlists=await self._fill_type(
                result.playlists, Playlist.from_dict, "playlists", limit, carry
            ),
            shows=await self._fill_type(result.shows, Show.from_dict, "shows", limit, carry),
            episodes=await self._fill_type(
                result.episodes, Episode.from_dict, "episodes", limit, carry
            ),
            audiobooks=await self._fill_type(
                result.audiobooks, SimplifiedAudiobook.from_dict, "audiobooks", limit, carry
            ),
        )

    async def _fill_type[T](
        self,
        page: Page[T] | None,
        parse_item: Callable[[JsonObject], T],
        key: str,
        limit: int,
        carry: Mapping[str, str],
    ) -> Page[T] | None:
        """One type's page of a search, completed to ``limit`` (its next answer is wrapped)."""
        if page is None:
            return None
        return await self._fill(page, parse_item, limit=limit, key=key, carry=carry)


def _page[T](
    data: object, parse_item: Callable[[JsonObject], T], key: str | None, at_most: int
) -> Page[T]:
    """Parse a page of at most ``at_most`` entries, unwrapped from ``key`` where nested."""
    if key is not None:
        data = expect_object(data, key).get(key)
    return Page.from_dict(data, parse_item, at_most=at_most)


def _covered[T](first: Page[T], last: Page[T], positions: int) -> int:
    """How much of the list from ``first`` on has been read, by the last page's next link."""
    if first.offset is not None and last.next_offset is not None:
        return last.next_offset - first.offset
    return positions  # cursor paging, or the last page: count the entries


def _next_link(
    link: str, remaining: int, carry: Mapping[str, str], offset: int | None = None
) -> str:
    """``link`` asking for at most ``remaining`` items (from ``offset``), ``carry`` filled in."""
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    sizes = [int(value) for name, value in query if name == "limit" and value.isdecimal()]
    size = max(1, min([remaining, *sizes]))
    replaced = {"limit"} if offset is None else {"limit", "offset"}
    query = [(name, value) for name, value in query if name not in replaced]
    present = {name for name, _ in query}
    query += [(name, value) for name, value in carry.items() if name not in present]
    if offset is not None:
        query.append(("offset", str(offset)))
    query.append(("limit", str(size)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _top_params(time_range: TimeRange | None, offset: int) -> dict[str, str]:
    params = arguments.offset_params(offset)
    if time_range is not None:
        params["time_range"] = arguments.member(time_range, TimeRange, "time_range")
    return params
