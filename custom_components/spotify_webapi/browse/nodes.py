"""Spotify objects as Home Assistant media browser nodes (the shapes browse and search share)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.media_player.browse_media import BrowseMedia
from homeassistant.components.media_player.const import MediaClass

from ..webapi import Chapter, Episode, ItemType, largest_image

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..webapi import (
        Album,
        Artist,
        Image,
        Playable,
        Playlist,
        Show,
        SimplifiedAudiobook,
        SimplifiedChapter,
        Track,
    )


def image_url(images: tuple[Image, ...]) -> str | None:
    """The largest image, by its size (Spotify's order differs between endpoints)."""
    image = largest_image(images)
    return None if image is None else image.url


def episode_image(episode: Episode) -> str | None:
    """The episode's own art, else its show's."""
    show = episode.show
    return image_url(episode.images) or (image_url(show.images) if show else None)


def _node(
    uri: str,
    kind: ItemType,
    title: str | None,
    media_class: MediaClass,
    thumbnail: str | None,
    *,
    children: MediaClass | None = None,
    can_play: bool = True,
    can_expand: bool = True,
) -> BrowseMedia:
    return BrowseMedia(
        media_class=media_class,
        media_content_id=uri,
        media_content_type=kind.value,
        title=title or uri,
        can_play=can_play,
        can_expand=can_expand and children is not None,
        children_media_class=children,
        thumbnail=thumbnail,
    )


def track_node(track: Track, thumbnail: str | None = None) -> BrowseMedia | None:
    """A track (shown, not offered to play, where Spotify restricts it); local files left out.

    The Web API cannot play local files at all, so they would only be dead entries.
    """
    if not track.uri or track.is_local:
        return None
    image = thumbnail or (image_url(track.album.images) if track.album else None)
    return _node(
        track.uri, ItemType.TRACK, track.name, MediaClass.TRACK, image, can_play=track.playable
    )


def episode_node(episode: Episode) -> BrowseMedia | None:
    """A podcast episode (not offered to play where Spotify restricts it)."""
    if not episode.uri:
        return None
    image = episode_image(episode)
    return _node(
        episode.uri,
        ItemType.EPISODE,
        episode.name,
        MediaClass.EPISODE,
        image,
        can_play=episode.playable,
    )


def playable_node(item: Playable | None) -> BrowseMedia | None:
    """A track, an episode or a chapter (None for what Spotify no longer has)."""
    if isinstance(item, Chapter):
        return chapter_node(item, None, can_play=item.playable)
    if isinstance(item, Episode):
        return episode_node(item)
    return None if item is None else track_node(item)


def album_node(album: Album) -> BrowseMedia | None:
    """An album: expands to its tracks, and plays unless Spotify restricts it."""
    if not album.uri:
        return None
    return _node(
        album.uri,
        ItemType.ALBUM,
        album.name,
        MediaClass.ALBUM,
        image_url(album.images),
        children=MediaClass.TRACK,
        can_play=album.playable,
    )


def artist_node(artist: Artist, *, can_play: bool = True) -> BrowseMedia | None:
    """An artist: expands to their albums; playing it plays their popular tracks."""
    if not artist.uri:
        return None
    return _node(
        artist.uri,
        ItemType.ARTIST,
        artist.name,
        MediaClass.ARTIST,
        image_url(artist.images),
        children=MediaClass.ALBUM,
        can_play=can_play,
    )


def playlist_node(playlist: Playlist, user_id: str | None) -> BrowseMedia | None:
    """A playlist; Spotify lists the items only of the user's own or collaborative ones."""
    if not playlist.uri:
        return None
    owner = playlist.owner.id if playlist.owner else None
    return _node(
        playlist.uri,
        ItemType.PLAYLIST,
        playlist.name,
        MediaClass.PLAYLIST,
        image_url(playlist.images),
        children=MediaClass.TRACK,
        can_expand=owner == user_id or playlist.collaborative,
    )


def show_node(show: Show) -> BrowseMedia | None:
    """A podcast: playable, and expands to its episodes."""
    if not show.uri:
        return None
    return _node(
        show.uri,
        ItemType.SHOW,
        show.name,
        MediaClass.PODCAST,
        image_url(show.images),
        children=MediaClass.EPISODE,
    )


def book_node(book: SimplifiedAudiobook, title: str, *, can_play: bool) -> BrowseMedia | None:
    """An audiobook: expands to its chapters; plays where the user left off.

    HA has no media class for books: a podcast's is the nearest (square art, episodes).
    """
    if not book.uri:
        return None
    return _node(
        book.uri,
        ItemType.AUDIOBOOK,
        title,
        MediaClass.PODCAST,
        image_url(book.images),
        children=MediaClass.EPISODE,
        can_play=can_play,
    )


def chapter_node(
    chapter: SimplifiedChapter, thumbnail: str | None, *, can_play: bool
) -> BrowseMedia | None:
    """A chapter of a book (its own art, else the book's cover)."""
    if not chapter.uri:
        return None
    image = image_url(chapter.images) or thumbnail
    return _node(
        chapter.uri, ItemType.CHAPTER, chapter.name, MediaClass.EPISODE, image, can_play=can_play
    )


def kept_nodes[T](
    items: Iterable[T], to_node: Callable[[T], BrowseMedia | None], *, unique: bool = False
) -> list[BrowseMedia]:
    """Nodes of ``items`` without those that cannot be shown (nor repeats, if ``unique``)."""
    nodes = [node for node in map(to_node, items) if node is not None]
    if not unique:
        return nodes
    first: dict[str, BrowseMedia] = {}
    for node in nodes:
        first.setdefault(node.media_content_id, node)
    return list(first.values())
