"""Audiobooks and chapters: their URIs, the models, and how a playing chapter is told apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.spotify_webapi.webapi import (
    Audiobook,
    Chapter,
    Episode,
    InvalidSpotifyUriError,
    ItemType,
    PlaybackState,
    SavedAudiobook,
    SearchResult,
    SimplifiedAudiobook,
    SimplifiedChapter,
    SpotifyUri,
    is_saveable,
    parse_spotify_uri,
)
from custom_components.spotify_webapi.webapi.models import parse_playable
from custom_components.spotify_webapi.webapi.uris import (
    CONTEXT_TYPES,
    LIBRARY_TYPES,
    PLAYABLE_TYPES,
    PLAYLIST_ITEM_TYPES,
)

BOOK_ID = "6SJQ8VzM5PlDy11wMtcD6v"
CHAPTER_ID = "0bnJ1qcNgHwwPWbDJAia57"

BOOK: dict[str, Any] = {
    "authors": [{"name": "J.K. Rowling"}, None, {"name": ""}],
    "available_markets": ["GB", "US"],
    "copyrights": [{"text": "Pottermore Ltd. 1997", "type": "C"}],
    "description": "Author(s): J.K. Rowling Narrator(s): Stephen Fry Stephen Fry brings...",
    "edition": "Unabridged",
    "explicit": False,
    "external_urls": {"spotify": f"https://open.spotify.com/show/{BOOK_ID}"},
    "href": f"https://api.spotify.com/v1/audiobooks/{BOOK_ID}",
    "id": BOOK_ID,
    "images": [{"url": "https://i.scdn.co/image/cover", "height": 640, "width": 640}],
    "languages": ["en"],
    "media_type": "audio",
    "name": "Harry Potter and the Philosopher's Stone",
    "narrators": [{"name": "Stephen Fry"}],
    "publisher": "J.K. Rowling",
    "total_chapters": 20,
    "type": "audiobook",
    "uri": f"spotify:show:{BOOK_ID}",
}
CHAPTER: dict[str, Any] = {
    "id": CHAPTER_ID,
    "chapter_number": 0,
    "description": "",
    "duration_ms": 23000,
    "explicit": False,
    "images": [{"url": "https://i.scdn.co/image/cover", "height": 640, "width": 640}],
    "languages": ["en"],
    "name": "Opening Credits",
    "release_date": "2015-11-20",
    "release_date_precision": "day",
    "resume_point": {"fully_played": False, "resume_position_ms": 12000},
    "is_playable": True,
    "available_markets": ["GB", "US"],
    "type": "chapter",
    "uri": f"spotify:episode:{CHAPTER_ID}",
    "external_urls": {"spotify": f"https://open.spotify.com/episode/{CHAPTER_ID}"},
    "href": f"https://api.spotify.com/v1/chapters/{CHAPTER_ID}",
}
# How Spotify's player reports a playing chapter (playback_audiobook_1.json, shortened).
PLAYING_CHAPTER: dict[str, Any] = {
    "duration_ms": 249652,
    "id": "3NW4BmIOG0qzQZgtLgsydR",
    "name": "Track 1",
    "resume_point": {"fully_played": False, "resume_position_ms": 0},
    "show": {
        "description": "Author(s): Anya Niewierra Narrator(s): Nienke Brinkhuis, Cees van Ede"
        " <p>Na het succes</p>",
        "html_description": "Author(s): Anya NiewierraNarrator(s): Nienke Brinkhuis, Cees van"
        " Ede&lt;p&gt;Na het succes&lt;/p&gt;",
        "id": "58cFIY8IT7yGqR3kHnKqzV",
        "images": [{"url": "https://i.scdn.co/image/book", "height": 640, "width": 640}],
        "is_externally_hosted": None,
        "name": "De nomade",
        "publisher": "Anya Niewierra",
        "total_episodes": None,
        "type": "show",
        "uri": "spotify:show:58cFIY8IT7yGqR3kHnKqzV",
    },
    "type": "episode",
    "uri": "spotify:episode:3NW4BmIOG0qzQZgtLgsydR",
}
PODCAST_EPISODE: dict[str, Any] = {
    **PLAYING_CHAPTER,
    "show": {**PLAYING_CHAPTER["show"], "total_episodes": 120},
}


# --- URIs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"spotify:audiobook:{BOOK_ID}", ItemType.AUDIOBOOK),
        (f"https://open.spotify.com/audiobook/{BOOK_ID}?si=x", ItemType.AUDIOBOOK),
        (f"spotify:chapter:{CHAPTER_ID}", ItemType.CHAPTER),
        (f"https://open.spotify.com/intl-de/chapter/{CHAPTER_ID}", ItemType.CHAPTER),
    ],
)
def test_audiobook_and_chapter_uris_and_links(text: str, kind: ItemType) -> None:
    parsed = parse_spotify_uri(text)
    assert parsed.type is kind
    assert parsed.uri == f"spotify:{kind}:{parsed.id}"
    assert parsed.url == f"https://open.spotify.com/{kind}/{parsed.id}"


def test_chapter_ids_are_checked_like_other_catalog_ids() -> None:
    with pytest.raises(InvalidSpotifyUriError):
        SpotifyUri(ItemType.CHAPTER, "../me")


def test_where_books_and_chapters_fit() -> None:
    assert ItemType.AUDIOBOOK in CONTEXT_TYPES
    assert ItemType.CHAPTER in PLAYABLE_TYPES
    assert ItemType.CHAPTER not in PLAYLIST_ITEM_TYPES
    assert ItemType.AUDIOBOOK in LIBRARY_TYPES
    assert ItemType.CHAPTER not in LIBRARY_TYPES


@pytest.mark.parametrize(
    ("value", "saveable"),
    [
        (f"spotify:audiobook:{BOOK_ID}", True),
        (SpotifyUri(ItemType.AUDIOBOOK, BOOK_ID), True),
        (f"spotify:track:{BOOK_ID}", True),
        (f"spotify:episode:{CHAPTER_ID}", True),
        (f"spotify:chapter:{CHAPTER_ID}", False),
        (SpotifyUri(ItemType.CHAPTER, CHAPTER_ID), False),
        (f"spotify:artist:{BOOK_ID}", False),  # followed through contains only
        ("not a uri", False),
    ],
)
def test_is_saveable(value: str | SpotifyUri, saveable: bool) -> None:
    assert is_saveable(value) is saveable


# --- models -----------------------------------------------------------------------------


def test_audiobook_with_its_chapters() -> None:
    page = {"items": [CHAPTER, None], "total": 20, "limit": 50, "offset": 0, "next": None}
    book = Audiobook.from_dict({**BOOK, "chapters": page})

    assert book.uri == f"spotify:audiobook:{BOOK_ID}"  # not Spotify's spotify:show:
    assert book.name == "Harry Potter and the Philosopher's Stone"
    assert book.authors == ("J.K. Rowling",)
    assert book.narrators == ("Stephen Fry",)
    assert (book.publisher, book.edition, book.total_chapters) == ("J.K. Rowling", "Unabridged", 20)
    assert book.images[0].url == "https://i.scdn.co/image/cover"
    assert book.external_url == f"https://open.spotify.com/show/{BOOK_ID}"
    assert book.chapters is not None
    assert book.chapters.positions == 2
    (first,) = book.chapters.items
    assert isinstance(first, SimplifiedChapter)
    assert first.uri == f"spotify:chapter:{CHAPTER_ID}"
    assert first.chapter_number == 0
    assert first.resume_point is not None
    assert first.resume_point.resume_position_ms == 12000
    assert not first.resume_point.fully_played


@pytest.mark.parametrize(
    ("data", "market", "available"),
    [
        (BOOK, "US", True),
        (BOOK, "us", True),
        (BOOK, "DE", False),
        (BOOK, None, True),
        ({**BOOK, "available_markets": []}, "DE", True),  # Spotify did not say
        ({**BOOK, "restrictions": {"reason": "market"}}, "US", False),
    ],
)
def test_audiobook_availability_in_a_market(
    data: dict[str, Any], market: str | None, available: bool
) -> None:
    book = SimplifiedAudiobook.from_dict(data)
    assert book.available_in(market) is available
    assert book.playable is ("restrictions" not in data)


def test_audiobook_without_an_id_keeps_the_uri_it_was_sent() -> None:
    book = SimplifiedAudiobook.from_dict({**BOOK, "id": None})
    assert book.uri == f"spotify:show:{BOOK_ID}"


def test_chapter_with_its_book() -> None:
    chapter = Chapter.from_dict({**CHAPTER, "audiobook": BOOK})

    assert isinstance(chapter, Episode)  # Spotify plays and reports it as one
    assert chapter.uri == f"spotify:chapter:{CHAPTER_ID}"
    assert chapter.duration_ms == 23000
    assert chapter.playable
    assert chapter.audiobook is not None
    assert chapter.audiobook.uri == f"spotify:audiobook:{BOOK_ID}"
    assert chapter.audiobook.authors == ("J.K. Rowling",)


def test_chapter_restricted_in_the_market_is_not_playable() -> None:
    chapter = SimplifiedChapter.from_dict(
        {**CHAPTER, "is_playable": False, "restrictions": {"reason": "market"}}
    )
    assert not chapter.playable
    assert chapter.restriction == "market"


@pytest.mark.parametrize(
    ("data", "book"),
    [
        ({"items": [BOOK]}, True),  # what Spotify sends: the books themselves
        ({"items": [{"added_at": "2026-01-02T03:04:05Z", "audiobook": BOOK}]}, True),
        ({"items": [{"added_at": "2026-01-02T03:04:05Z", "audiobook": None}]}, False),
    ],
)
def test_saved_audiobook_bare_or_wrapped(data: dict[str, Any], book: bool) -> None:
    (saved,) = (SavedAudiobook.from_dict(item) for item in data["items"])
    wrapped = "added_at" in data["items"][0]
    assert saved.added_at == (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC) if wrapped else None)
    if book:
        assert saved.audiobook is not None
        assert saved.audiobook.uri == f"spotify:audiobook:{BOOK_ID}"
    else:
        assert saved.audiobook is None


def test_search_carries_audiobooks() -> None:
    found = SearchResult.from_dict({"audiobooks": {"items": [BOOK, None], "total": 2}})
    assert found.audiobooks is not None
    assert [book.name for book in found.audiobooks.items] == [BOOK["name"]]
    assert SearchResult.from_dict({}).audiobooks is None


# --- a playing chapter ------------------------------------------------------------------


def test_the_player_reports_a_chapter_as_an_episode_of_its_book() -> None:
    state = PlaybackState.from_dict(
        {"is_playing": True, "item": PLAYING_CHAPTER, "currently_playing_type": "episode"}
    )
    chapter = state.item
    assert isinstance(chapter, Chapter)
    assert chapter.uri == "spotify:chapter:3NW4BmIOG0qzQZgtLgsydR"
    book = chapter.audiobook
    assert book is not None
    assert book.name == "De nomade"
    assert book.uri == "spotify:audiobook:58cFIY8IT7yGqR3kHnKqzV"
    assert book.authors == ("Anya Niewierra",)
    assert book.narrators == ("Nienke Brinkhuis", "Cees van Ede")
    assert book.images[0].url == "https://i.scdn.co/image/book"


def test_an_episode_of_a_podcast_stays_an_episode() -> None:
    episode = parse_playable(PODCAST_EPISODE)
    assert isinstance(episode, Episode)
    assert not isinstance(episode, Chapter)
    assert episode.uri == "spotify:episode:3NW4BmIOG0qzQZgtLgsydR"


@pytest.mark.parametrize(
    ("show", "authors", "narrators"),
    [
        # HTML credits end at <br/>; the plain ones run on into the blurb.
        (
            {
                "description": "Author(s): A One Narrator(s): N One N One reads...",
                "html_description": "Author(s): A One<br/>Narrator(s): N One<br/>N One reads",
            },
            ("A One",),
            ("N One",),
        ),
        # Credits without an end: the narrators are not guessed, the publisher is the author.
        ({"description": "Author(s): Narrator(s): N One reads", "publisher": "P"}, ("P",), ()),
        ({"description": "Author(s): A One, A Two\nNarrator(s): N\n"}, ("A One", "A Two"), ("N",)),
    ],
)
def test_credits_of_a_playing_chapters_book(
    show: dict[str, Any], authors: tuple[str, ...], narrators: tuple[str, ...]
) -> None:
    chapter = parse_playable({"type": "episode", "show": {**show, "total_episodes": None}})
    assert isinstance(chapter, Chapter)
    assert chapter.audiobook is not None
    assert chapter.audiobook.authors == authors
    assert chapter.audiobook.narrators == narrators


@pytest.mark.parametrize(
    ("data", "with_book"),
    [
        ({**CHAPTER, "type": "chapter"}, False),
        ({**CHAPTER, "type": "episode", "audiobook": BOOK}, True),
        ({"type": "episode", "show": BOOK}, True),
    ],
)
def test_other_ways_a_chapter_may_come(data: dict[str, Any], with_book: bool) -> None:
    chapter = parse_playable(data)
    assert isinstance(chapter, Chapter)
    if not with_book:
        assert chapter.audiobook is None
        return
    assert chapter.audiobook is not None
    assert chapter.audiobook.uri == f"spotify:audiobook:{BOOK_ID}"
    # The book's own credits, not the description's run-on "Stephen Fry Stephen Fry...".
    assert chapter.audiobook.narrators == ("Stephen Fry",)
