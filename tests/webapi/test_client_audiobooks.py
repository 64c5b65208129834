"""Audiobooks and chapters through the client, against the simulator's books."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.webapi import (
    Chapter,
    InvalidSpotifyUriError,
    ItemType,
    SimplifiedChapter,
    SpotifyForbiddenError,
    SpotifyUri,
    SpotifyWebApiClient,
)
from tests.simulator.player import ResumePoint

from .helpers import api_requests, last_request

if TYPE_CHECKING:
    from tests.simulator import SpotifySimulator
    from tests.simulator.catalogue import Audiobook


def book(simulator: SpotifySimulator, index: int) -> Audiobook:
    return list(simulator.world.catalogue.audiobooks.values())[index]


def book_uri(simulator: SpotifySimulator, index: int) -> str:
    return f"spotify:audiobook:{book(simulator, index).id}"


async def test_saved_audiobooks(client: SpotifyWebApiClient, simulator: SpotifySimulator) -> None:
    saved = await client.get_saved_audiobooks(limit=5)

    request = last_request(simulator)
    assert (request.path, request.query) == ("/v1/me/audiobooks", {"limit": "5", "offset": "0"})
    books = [entry.audiobook for entry in saved.items]
    assert [b.uri if b else None for b in books] == [
        book_uri(simulator, 0),
        book_uri(simulator, 2),
    ]
    assert all(entry.added_at is None for entry in saved.items)  # Spotify does not say
    first, restricted = (b for b in books if b is not None)
    assert first.authors == ("Ada Lantern",)
    assert first.narrators == ("Sam Reader",)
    assert first.available_in("US")
    assert not restricted.available_in("US")
    assert restricted.available_in("GB")


async def test_an_audiobook_with_its_chapters_and_resume_points(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    wanted = book(simulator, 0)

    found = await client.get_audiobook(f"https://open.spotify.com/audiobook/{wanted.id}")

    assert last_request(simulator).path == f"/v1/audiobooks/{wanted.id}"
    assert found.name == "The Loopback Mysteries"
    assert found.uri == f"spotify:audiobook:{wanted.id}"
    assert found.total_chapters == 6
    assert found.images
    assert found.chapters is not None
    chapters = found.chapters.items
    assert [c.chapter_number for c in chapters] == [0, 1, 2, 3, 4, 5]
    assert [c.uri for c in chapters] == [f"spotify:chapter:{c}" for c in wanted.chapter_ids]
    points = [c.resume_point for c in chapters[:3]]
    assert [(p.fully_played, p.resume_position_ms) for p in points if p] == [
        (True, 0),
        (True, 0),
        (False, 61_000),
    ]


async def test_audiobook_chapters_follow_next_until_the_limit(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    long_poll = book(simulator, 3)

    page = await client.get_audiobook_chapters(
        SpotifyUri(ItemType.AUDIOBOOK, long_poll.id), limit=55
    )

    assert [c.id for c in page.items] == long_poll.chapter_ids[:55]
    assert all(isinstance(c, SimplifiedChapter) for c in page.items)
    assert [(r.query["offset"], r.query["limit"]) for r in api_requests(simulator)] == [
        ("0", "50"),
        ("50", "5"),
    ]
    assert page.next_offset == 55


async def test_a_chapter_with_its_book(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    restricted = book(simulator, 2)

    chapter = await client.get_chapter(f"spotify:chapter:{restricted.chapter_ids[1]}")

    assert last_request(simulator).path == f"/v1/chapters/{restricted.chapter_ids[1]}"
    assert chapter.chapter_number == 1
    assert chapter.audiobook is not None
    assert chapter.audiobook.name == "Tales from the Refresh Queue"
    assert chapter.audiobook.uri == f"spotify:audiobook:{restricted.id}"
    # Not sold in Alice's market (US).
    assert not chapter.playable
    assert chapter.restriction == "market"


async def test_search_for_audiobooks(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    found = await client.search("Rin Okafor", ["audiobook"], limit=3)

    assert last_request(simulator).query["type"] == "audiobook"
    assert found.audiobooks is not None
    assert [b.uri for b in found.audiobooks.items] == [book_uri(simulator, 1)]
    assert found.audiobooks.items[0].authors == ("Rin Okafor", "Lee Park")
    assert found.tracks is None


async def test_audiobooks_are_saved_through_the_library(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    uri = book_uri(simulator, 1)

    await client.save_to_library(uri)
    saved = await client.library_contains([uri])
    await client.remove_from_library(uri)

    assert saved == [True]
    assert await client.library_contains([uri]) == [False]
    assert api_requests(simulator)[0].query == {"uris": uri}


async def test_chapters_are_not_saveable_and_never_sent(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    chapter = f"spotify:chapter:{book(simulator, 0).chapter_ids[1]}"
    for call in (client.save_to_library, client.remove_from_library, client.library_contains):
        with pytest.raises(InvalidSpotifyUriError):
            await call([chapter])
    with pytest.raises(InvalidSpotifyUriError):
        await client.add_to_playlist(next(iter(simulator.world.playlists)), [chapter])
    assert api_requests(simulator) == []


async def test_a_book_plays_where_alice_left_off(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    first = book(simulator, 0)

    await client.start_playback(context_uri=book_uri(simulator, 0))
    playback = await client.get_playback_state()

    # Sent as Spotify's player names a book: a show.
    assert last_request_body(simulator) == {"context_uri": f"spotify:show:{first.id}"}
    assert playback is not None
    assert playback.currently_playing_type == "episode"
    chapter = playback.item
    assert isinstance(chapter, Chapter)
    assert chapter.uri == f"spotify:chapter:{first.chapter_ids[2]}"
    assert playback.progress_ms is not None
    assert playback.progress_ms >= 61_000
    assert chapter.audiobook is not None
    assert chapter.audiobook.name == first.name
    assert chapter.audiobook.uri == book_uri(simulator, 0)
    assert chapter.audiobook.authors == ("Ada Lantern",)
    assert chapter.audiobook.narrators == ("Sam Reader",)
    assert chapter.audiobook.images
    assert chapter.resume_point is not None
    assert chapter.resume_point.resume_position_ms == 61_000


def last_request_body(simulator: SpotifySimulator) -> object:
    plays = [r for r in api_requests(simulator) if r.path == "/v1/me/player/play"]
    assert len(plays) == 1
    return plays[0].json


async def test_a_chapter_is_played_and_queued(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    chapters = book(simulator, 1).chapter_ids

    await client.start_playback(uris=[f"spotify:chapter:{chapters[1]}"])
    await client.add_to_queue(f"spotify:chapter:{chapters[3]}")
    queue = await client.get_queue()

    # Sent as Spotify's player names a chapter: an episode.
    assert last_request_body(simulator) == {"uris": [f"spotify:episode:{chapters[1]}"]}
    queued_request = next(r for r in api_requests(simulator) if r.path == "/v1/me/player/queue")
    assert queued_request.query["uri"] == f"spotify:episode:{chapters[3]}"
    assert isinstance(queue.currently_playing, Chapter)
    assert queue.currently_playing.id == chapters[1]
    (queued,) = queue.queue
    assert isinstance(queued, Chapter)
    assert queued.uri == f"spotify:chapter:{chapters[3]}"
    assert queued.audiobook is not None
    assert queued.audiobook.name == "A Token for Tomorrow"


async def test_a_book_not_sold_in_the_market_is_refused(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    with pytest.raises(SpotifyForbiddenError):
        await client.start_playback(context_uri=book_uri(simulator, 2))


@pytest.mark.parametrize(
    "call",
    ["get_audiobook", "get_audiobook_chapters", "get_chapter"],
)
async def test_ids_of_another_kind_never_reach_spotify(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, call: str
) -> None:
    with pytest.raises(InvalidSpotifyUriError):
        await getattr(client, call)(f"spotify:track:{book(simulator, 0).id}")
    assert api_requests(simulator) == []


async def test_the_resume_point_of_a_book_is_found_past_its_first_page(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    long_poll = book(simulator, 3)
    points = simulator.player("alice").resume_points
    for chapter in long_poll.chapter_ids[:55]:
        points[chapter] = ResumePoint(0, fully_played=True)
    points[long_poll.chapter_ids[55]] = ResumePoint(12_345)

    found = await client.get_book_resume_point(book_uri(simulator, 3))

    assert found == (f"spotify:chapter:{long_poll.chapter_ids[55]}", 12_345)
    reads = [r for r in api_requests(simulator) if r.path.endswith("/chapters")]
    assert [r.query.get("offset") for r in reads] == ["0", "50"]


async def test_a_book_played_to_its_end_has_no_resume_point(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    tokens = book(simulator, 1)
    points = simulator.player("alice").resume_points
    for chapter in tokens.chapter_ids:
        points[chapter] = ResumePoint(0, fully_played=True)

    assert await client.get_book_resume_point(book_uri(simulator, 1)) is None
    # A book never started begins at its first chapter.
    assert await client.get_book_resume_point(book_uri(simulator, 3)) == (
        f"spotify:chapter:{book(simulator, 3).chapter_ids[0]}",
        0,
    )
