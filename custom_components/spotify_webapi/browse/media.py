"""Browsing and searching an account's Spotify library as Home Assistant media nodes.

Node ids are Spotify URIs (or a library category); a long list is answered in chunks,
the last child a "More" node whose id carries where the next chunk starts
(``<id>@<offset or cursor>``), so nothing is silently cut off. Each chunk costs one
request: a playlist's, album's or show's first chunk is the page its object embeds,
and its later chunks reuse the title and artwork remembered from the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.media_player.browse_media import BrowseMedia
from homeassistant.components.media_player.const import MediaClass
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import ServiceValidationError

from ..const import DOMAIN
from ..exceptions import translated_error
from ..texts import text
from ..webapi import (
    InvalidArgumentError,
    InvalidSpotifyUriError,
    ItemType,
    SearchType,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyUri,
    to_spotify_uri,
)
from ..webapi.uris import CONTEXT_TYPES, PLAYABLE_TYPES
from .headers import Header, headers_of
from .nodes import (
    album_node,
    artist_node,
    book_node,
    chapter_node,
    episode_node,
    image_url,
    kept_nodes,
    playable_node,
    playlist_node,
    show_node,
    track_node,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from homeassistant.core import HomeAssistant

    from ..webapi import Artist, Image, Page, SimplifiedAudiobook, SpotifyWebApiClient

MEDIA_PLAYER_PREFIX: Final = "spotify_webapi://"
LIBRARY: Final = "library"
PAGE_MARK: Final = "@"
# Children per answer: Spotify's largest page, so each answer costs one request.
CHUNK: Final = 50
ARTIST_ALBUMS_CHUNK: Final = 50  # Spotify serves an artist's albums 10 at a time
RECENTLY_PLAYED_LIMIT: Final = 50  # all Spotify keeps
SEARCH_LIMIT: Final = 10


class Category(StrEnum):
    """The library's top-level folders."""

    PLAYLISTS = "current_user_playlists"
    LIKED_SONGS = "current_user_saved_tracks"
    ALBUMS = "current_user_saved_albums"
    ARTISTS = "current_user_followed_artists"
    PODCASTS = "current_user_saved_shows"
    AUDIOBOOKS = "current_user_saved_audiobooks"
    RECENTLY_PLAYED = "current_user_recently_played"
    TOP_TRACKS = "current_user_top_tracks"
    TOP_ARTISTS = "current_user_top_artists"


_CATEGORY_CHILDREN: Final = {
    Category.PLAYLISTS: MediaClass.PLAYLIST,
    Category.LIKED_SONGS: MediaClass.TRACK,
    Category.ALBUMS: MediaClass.ALBUM,
    Category.ARTISTS: MediaClass.ARTIST,
    Category.PODCASTS: MediaClass.PODCAST,
    Category.AUDIOBOOKS: MediaClass.PODCAST,
    Category.RECENTLY_PLAYED: MediaClass.TRACK,
    Category.TOP_TRACKS: MediaClass.TRACK,
    Category.TOP_ARTISTS: MediaClass.ARTIST,
}
SEARCH_TYPES: Final = {
    MediaClass.TRACK: SearchType.TRACK,
    MediaClass.ALBUM: SearchType.ALBUM,
    MediaClass.ARTIST: SearchType.ARTIST,
    MediaClass.PLAYLIST: SearchType.PLAYLIST,
    MediaClass.PODCAST: SearchType.SHOW,
    MediaClass.EPISODE: SearchType.EPISODE,
}


@dataclass(slots=True)
class Listing:
    """One chunk of a node's children, and what the node itself shows."""

    title: str
    media_class: MediaClass
    children_class: MediaClass
    children: list[BrowseMedia]
    thumbnail: str | None = None
    can_play: bool = True
    more: str | None = None  # where the next chunk starts
    total: int | None = None


def _next_offset[T](page: Page[T], offset: int) -> str | None:
    """Where the next chunk starts: where Spotify's paging continues, null entries counted."""
    if not page.next:
        return None
    following = page.next_offset
    return str(following if following is not None else offset + page.positions)


def _items[T](page: Page[T] | None) -> tuple[T, ...]:
    return () if page is None else page.items


def _offset(page: str | None) -> int:
    if page is None:
        return 0
    if not page.isdecimal():
        raise InvalidArgumentError(f"not a page offset: {page!r}")
    return int(page)


# --- the browser --------------------------------------------------------------------------


class SpotifyBrowser:
    """Expands one account's library nodes through its Web API client."""

    def __init__(
        self,
        api: SpotifyWebApiClient,
        user_id: str | None,
        *,
        say: Callable[..., str],
        market: str | None = None,
        can_play_artist: bool = True,
    ) -> None:
        """Browse as ``user_id`` (whose playlists can be expanded).

        ``say(key, **placeholders)`` gives the browser's own words (folder names, "More…")
        in the user's language: ``texts.text`` bound to hass, from Home Assistant.
        ``market``: the user's country, where books are sold or not.
        """
        self._api = api
        self._say = say
        self._market = market
        self._user_id = user_id
        self._can_play_artist = can_play_artist
        self._headers = headers_of(api)

    async def browse(self, content_type: str | None, content_id: str | None) -> BrowseMedia:
        """The node ``content_type``/``content_id`` with (a chunk of) its children."""
        if content_type is None or content_type == LIBRARY:
            return self.library()
        content_id = content_id or content_type
        expand = _EXPANDERS.get(content_type)
        if expand is None:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="unknown_media_type",
                translation_placeholders={"media_type": content_type},
            )
        base_id, _, page = content_id.partition(PAGE_MARK)
        try:
            listing = await expand(self, base_id, page or None)
        except SpotifyForbiddenError as err:
            raise BrowseError(translation_domain=DOMAIN, translation_key="not_listable") from err
        except InvalidArgumentError as err:
            raise BrowseError(
                translation_domain=DOMAIN,
                translation_key="unknown_media",
                translation_placeholders={"media_id": content_id},
            ) from err
        except SpotifyError as err:
            raise translated_error(err) from err
        return self._node(content_type, content_id, base_id, listing)

    def library(self) -> BrowseMedia:
        """The root: the library's folders (Liked Songs can be played as a whole)."""
        return BrowseMedia(
            media_class=MediaClass.DIRECTORY,
            media_content_id=LIBRARY,
            media_content_type=LIBRARY,
            title="Spotify",
            can_play=False,
            can_expand=True,
            children_media_class=MediaClass.DIRECTORY,
            children=[
                BrowseMedia(
                    media_class=MediaClass.DIRECTORY,
                    media_content_id=category.value,
                    media_content_type=category.value,
                    title=self._category_title(category),
                    can_play=category is Category.LIKED_SONGS,
                    can_expand=True,
                    children_media_class=_CATEGORY_CHILDREN[category],
                )
                for category in Category
            ],
        )

    def _node(self, kind: str, content_id: str, base_id: str, listing: Listing) -> BrowseMedia:
        children = list(listing.children)
        if listing.more is not None:
            children.append(
                BrowseMedia(
                    media_class=MediaClass.DIRECTORY,
                    media_content_id=f"{base_id}{PAGE_MARK}{listing.more}",
                    media_content_type=kind,
                    title=self._more_title(listing.total),
                    can_play=False,
                    can_expand=True,
                    children_media_class=listing.children_class,
                )
            )
        return BrowseMedia(
            media_class=listing.media_class,
            media_content_id=content_id,
            media_content_type=kind,
            title=listing.title,
            can_play=listing.can_play and PAGE_MARK not in content_id,
            can_expand=True,
            children=children,
            children_media_class=listing.children_class,
            thumbnail=listing.thumbnail,
        )

    def _category_title(self, category: Category) -> str:
        return self._say(f"folder_{category.name.lower()}")

    def _more_title(self, total: int | None) -> str:
        """The node of a list's next page, with the list's size when Spotify tells it."""
        if total is None:
            return self._say("more")
        return self._say("more_of_total", total=str(total))

    def _category(
        self,
        category: Category,
        children: list[BrowseMedia],
        page: Page[Any] | None = None,
        more: str | None = None,
    ) -> Listing:
        return Listing(
            title=self._category_title(category),
            media_class=MediaClass.DIRECTORY,
            children_class=_CATEGORY_CHILDREN[category],
            children=children,
            can_play=category is Category.LIKED_SONGS,
            more=more,
            total=None if page is None else page.total,
        )

    # --- library folders ------------------------------------------------------------------

    async def _playlists(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_current_user_playlists(limit=CHUNK, offset=offset)
        nodes = kept_nodes(found.items, lambda p: playlist_node(p, self._user_id))
        return self._category(Category.PLAYLISTS, nodes, found, _next_offset(found, offset))

    async def _liked_songs(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_saved_tracks(limit=CHUNK, offset=offset)
        nodes = kept_nodes((saved.track for saved in found.items), playable_node)
        more = _next_offset(found, offset)
        return self._category(Category.LIKED_SONGS, nodes, found, more)

    async def _albums(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_saved_albums(limit=CHUNK, offset=offset)
        nodes = kept_nodes((saved.album for saved in found.items if saved.album), album_node)
        return self._category(Category.ALBUMS, nodes, found, _next_offset(found, offset))

    async def _artists(self, _: str, page: str | None) -> Listing:
        found = await self._api.get_followed_artists(limit=CHUNK, after=page)
        nodes = kept_nodes(found.items, self._artist)
        after = found.cursors.after if found.cursors and found.next else None
        return self._category(Category.ARTISTS, nodes, found, after)

    async def _podcasts(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_saved_shows(limit=CHUNK, offset=offset)
        nodes = kept_nodes((saved.show for saved in found.items if saved.show), show_node)
        return self._category(Category.PODCASTS, nodes, found, _next_offset(found, offset))

    async def _audiobooks(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_saved_audiobooks(limit=CHUNK, offset=offset)
        books = (saved.audiobook for saved in found.items if saved.audiobook)
        nodes = kept_nodes(books, self._book)
        return self._category(Category.AUDIOBOOKS, nodes, found, _next_offset(found, offset))

    async def _recently_played(self, _: str, page: str | None) -> Listing:
        found = await self._api.get_recently_played(limit=RECENTLY_PLAYED_LIMIT)
        # A track played twice is one entry: the most recent play.
        tracks = (played.track for played in found.items)
        nodes = kept_nodes(tracks, playable_node, unique=True)
        return self._category(Category.RECENTLY_PLAYED, nodes)

    async def _top_tracks(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_top_tracks(limit=CHUNK, offset=offset)
        nodes = kept_nodes(found.items, playable_node)
        return self._category(Category.TOP_TRACKS, nodes, found, _next_offset(found, offset))

    async def _top_artists(self, _: str, page: str | None) -> Listing:
        offset = _offset(page)
        found = await self._api.get_top_artists(limit=CHUNK, offset=offset)
        nodes = kept_nodes(found.items, self._artist)
        more = _next_offset(found, offset)
        return self._category(Category.TOP_ARTISTS, nodes, found, more)

    def _artist(self, artist: Artist) -> BrowseMedia | None:
        return artist_node(artist, can_play=self._can_play_artist)

    def _sold(self, book: SimplifiedAudiobook) -> bool:
        """Whether the user may play the book: sold in their market, not restricted."""
        return book.playable and book.available_in(self._market)

    def _book(self, book: SimplifiedAudiobook) -> BrowseMedia | None:
        return book_node(book, self._book_title(book), can_play=self._sold(book))

    def _book_title(self, book: SimplifiedAudiobook, *, narrators: bool = False) -> str:
        """Its name and authors (and narrators, on its own page); marked where not sold."""
        name = book.name or book.uri or ""
        title = name
        if book.authors:
            title = self._say("book_by", name=name, authors=", ".join(book.authors))
        if narrators and book.narrators:
            title = self._say("book_read_by", title=title, narrators=", ".join(book.narrators))
        return title if self._sold(book) else self._say("not_sold_here", name=title)

    # --- Spotify objects ------------------------------------------------------------------

    def _header(self, uri: str, offset: int) -> Header | None:
        """The remembered header, for a later chunk (the first one reads the object anew)."""
        return self._headers.get(uri) if offset else None

    def _remember(self, uri: str, name: str | None, images: tuple[Image, ...]) -> Header:
        header = Header(title=name or uri, thumbnail=image_url(images))
        self._headers.put(uri, header)
        return header

    async def _playlist(self, uri: str, page: str | None) -> Listing:
        offset = _offset(page)
        header, items = self._header(uri, offset), None
        if header is None:
            playlist = await self._api.get_playlist(uri)
            header = self._remember(uri, playlist.name, playlist.images)
            items = playlist.items if offset == 0 else None
        if items is None:
            items = await self._api.get_playlist_items(uri, limit=CHUNK, offset=offset)
        return Listing(
            title=header.title,
            media_class=MediaClass.PLAYLIST,
            children_class=MediaClass.TRACK,
            children=kept_nodes((entry.item for entry in items.items), playable_node),
            thumbnail=header.thumbnail,
            more=_next_offset(items, offset),
            total=items.total,
        )

    async def _album(self, uri: str, page: str | None) -> Listing:
        offset = _offset(page)
        header, tracks = self._header(uri, offset), None
        if header is None:
            album = await self._api.get_album(uri)
            header = self._remember(uri, album.name, album.images)
            tracks = album.tracks if offset == 0 else None
        if tracks is None:
            tracks = await self._api.get_album_tracks(uri, limit=CHUNK, offset=offset)
        thumbnail = header.thumbnail
        return Listing(
            title=header.title,
            media_class=MediaClass.ALBUM,
            children_class=MediaClass.TRACK,
            children=kept_nodes(tracks.items, lambda track: track_node(track, thumbnail)),
            thumbnail=thumbnail,
            more=_next_offset(tracks, offset),
            total=tracks.total,
        )

    async def _artist_albums(self, uri: str, page: str | None) -> Listing:
        offset = _offset(page)
        header = self._header(uri, offset)
        if header is None:
            artist = await self._api.get_artist(uri)
            header = self._remember(uri, artist.name, artist.images)
        albums = await self._api.get_artist_albums(uri, limit=ARTIST_ALBUMS_CHUNK, offset=offset)
        return Listing(
            title=header.title,
            media_class=MediaClass.ARTIST,
            children_class=MediaClass.ALBUM,
            children=kept_nodes(albums.items, album_node),
            thumbnail=header.thumbnail,
            can_play=self._can_play_artist,
            more=_next_offset(albums, offset),
            total=albums.total,
        )

    async def _show(self, uri: str, page: str | None) -> Listing:
        offset = _offset(page)
        header, episodes = self._header(uri, offset), None
        if header is None:
            show = await self._api.get_show(uri)
            header = self._remember(uri, show.name, show.images)
            episodes = show.episodes if offset == 0 else None
        if episodes is None:
            episodes = await self._api.get_show_episodes(uri, limit=CHUNK, offset=offset)
        return Listing(
            title=header.title,
            media_class=MediaClass.PODCAST,
            children_class=MediaClass.EPISODE,
            children=kept_nodes(episodes.items, episode_node),
            thumbnail=header.thumbnail,
            more=_next_offset(episodes, offset),
            total=episodes.total,
        )

    async def _audiobook(self, uri: str, page: str | None) -> Listing:
        offset = _offset(page)
        header, chapters, sold = self._header(uri, offset), None, True
        if header is None:
            book = await self._api.get_audiobook(uri)
            sold = self._sold(book)
            header = self._remember(uri, self._book_title(book, narrators=True), book.images)
            chapters = book.chapters if offset == 0 else None
        if chapters is None:
            chapters = await self._api.get_audiobook_chapters(uri, limit=CHUNK, offset=offset)
        thumbnail = header.thumbnail
        return Listing(
            title=header.title,
            media_class=MediaClass.PODCAST,
            children_class=MediaClass.EPISODE,
            children=kept_nodes(
                chapters.items,
                lambda chapter: chapter_node(
                    chapter, thumbnail, can_play=sold and chapter.playable
                ),
            ),
            thumbnail=thumbnail,
            can_play=sold,
            more=_next_offset(chapters, offset),
            total=chapters.total,
        )

    # --- search ---------------------------------------------------------------------------

    async def search(self, query: str, classes: Iterable[MediaClass] | None) -> list[BrowseMedia]:
        """Matches of ``query`` among the given media classes (all of them by default)."""
        wanted = set(classes or ())
        types = [kind for media_class, kind in SEARCH_TYPES.items() if media_class in wanted]
        if not query.strip() or (wanted and not types):
            return []
        try:
            found = await self._api.search(query, types or list(SearchType), limit=SEARCH_LIMIT)
        except SpotifyError as err:
            raise translated_error(err) from err
        return [
            *kept_nodes(_items(found.tracks), playable_node),
            *kept_nodes(_items(found.albums), album_node),
            *kept_nodes(_items(found.artists), self._artist),
            *kept_nodes(_items(found.playlists), lambda p: playlist_node(p, self._user_id)),
            *kept_nodes(_items(found.shows), show_node),
            *kept_nodes(_items(found.episodes), playable_node),
            *kept_nodes(_items(found.audiobooks), self._book),
        ]


type _Expander = Callable[[SpotifyBrowser, str, str | None], Awaitable[Listing]]

_EXPANDERS: Final[dict[str, _Expander]] = {
    Category.PLAYLISTS: SpotifyBrowser._playlists,  # noqa: SLF001 - the class's own table
    Category.LIKED_SONGS: SpotifyBrowser._liked_songs,  # noqa: SLF001
    Category.ALBUMS: SpotifyBrowser._albums,  # noqa: SLF001
    Category.ARTISTS: SpotifyBrowser._artists,  # noqa: SLF001
    Category.PODCASTS: SpotifyBrowser._podcasts,  # noqa: SLF001
    Category.AUDIOBOOKS: SpotifyBrowser._audiobooks,  # noqa: SLF001
    Category.RECENTLY_PLAYED: SpotifyBrowser._recently_played,  # noqa: SLF001
    Category.TOP_TRACKS: SpotifyBrowser._top_tracks,  # noqa: SLF001
    Category.TOP_ARTISTS: SpotifyBrowser._top_artists,  # noqa: SLF001
    ItemType.PLAYLIST: SpotifyBrowser._playlist,  # noqa: SLF001
    ItemType.ALBUM: SpotifyBrowser._album,  # noqa: SLF001
    ItemType.ARTIST: SpotifyBrowser._artist_albums,  # noqa: SLF001
    ItemType.SHOW: SpotifyBrowser._show,  # noqa: SLF001
    ItemType.AUDIOBOOK: SpotifyBrowser._audiobook,  # noqa: SLF001
}


# --- for other media players, the way HA core's spotify offers it ----------------------------


def media_uri(media_id: str, user_id: str | None) -> SpotifyUri:
    """What a play_media id names: a URI, an open.spotify.com link, a browser node."""
    inner = spotify_uri_from_media_browser_url(media_id)
    if inner == Category.LIKED_SONGS and user_id:
        return SpotifyUri(ItemType.COLLECTION, user_id)
    try:
        return to_spotify_uri(inner, *PLAYABLE_TYPES, *CONTEXT_TYPES)
    except InvalidSpotifyUriError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_media",
            translation_placeholders={"media_id": media_id},
        ) from err


def is_spotify_webapi_media_type(media_content_type: str) -> bool:
    """Whether a media type comes from this integration's browser."""
    return media_content_type.startswith(MEDIA_PLAYER_PREFIX)


def spotify_uri_from_media_browser_url(media_content_id: str) -> str:
    """The Spotify URI (or library id) inside a browser id of ``async_browse_media``."""
    if not media_content_id.startswith(MEDIA_PLAYER_PREFIX):
        return media_content_id
    _, _, inner = media_content_id.removeprefix(MEDIA_PLAYER_PREFIX).partition("/")
    return inner


async def async_browse_media(
    hass: HomeAssistant,
    media_content_type: str | None,
    media_content_id: str | None,
    *,
    can_play_artist: bool = True,
) -> BrowseMedia:
    """Browse any loaded account's library from another media player."""
    if media_content_type is None and media_content_id is None:
        return _accounts_root(hass)
    if not media_content_id or not media_content_id.startswith(MEDIA_PLAYER_PREFIX):
        raise BrowseError(translation_domain=DOMAIN, translation_key="unknown_account")
    entry_id, _, inner = media_content_id.removeprefix(MEDIA_PLAYER_PREFIX).partition("/")
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
        raise BrowseError(translation_domain=DOMAIN, translation_key="unknown_account")
    coordinator = entry.runtime_data.coordinator
    browser = SpotifyBrowser(
        coordinator.api,
        coordinator.data.user.id,
        say=partial(text, hass),
        market=coordinator.data.user.country,
        can_play_artist=can_play_artist,
    )
    kind = (media_content_type or LIBRARY).removeprefix(MEDIA_PLAYER_PREFIX)
    node = await browser.browse(kind, inner or None)
    prefix = f"{MEDIA_PLAYER_PREFIX}{entry_id}/"
    for item in [node, *(node.children or [])]:
        item.media_content_id = prefix + item.media_content_id
        item.media_content_type = MEDIA_PLAYER_PREFIX + str(item.media_content_type)
    return node


def _accounts_root(hass: HomeAssistant) -> BrowseMedia:
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    return BrowseMedia(
        media_class=MediaClass.APP,
        media_content_id=MEDIA_PLAYER_PREFIX,
        media_content_type=f"{MEDIA_PLAYER_PREFIX}root",
        title="Spotify Web API",
        can_play=False,
        can_expand=True,
        children_media_class=MediaClass.APP,
        children=[
            BrowseMedia(
                media_class=MediaClass.APP,
                media_content_id=f"{MEDIA_PLAYER_PREFIX}{entry.entry_id}/{LIBRARY}",
                media_content_type=f"{MEDIA_PLAYER_PREFIX}{LIBRARY}",
                title=entry.title,
                can_play=False,
                can_expand=True,
            )
            for entry in entries
        ],
    )
