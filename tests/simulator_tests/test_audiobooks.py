"""Audiobooks in the simulator: catalogue, library, search, and playback with resume points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.simulator.catalogue import BOOK_MARKETS

from .helpers import Api, api_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator
    from tests.simulator.catalogue import Audiobook

RESTRICTED = {
    "error": {
        "status": 403,
        "message": "Player command failed: Restriction violated",
        "reason": "UNKNOWN",
    }
}


@pytest.fixture
def alice(frozen: SpotifySimulator, http: aiohttp.ClientSession) -> Api:
    return api_for(http, frozen, "alice")


def _books(sim: SpotifySimulator) -> list[Audiobook]:
    return list(sim.world.catalogue.audiobooks.values())


def _chapter_ids(sim: SpotifySimulator, index: int) -> list[str]:
    return _books(sim)[index].chapter_ids


async def _playing(api: Api) -> dict[str, Any]:
    state: dict[str, Any] = await api.ok("/me/player", additional_types="episode")
    return state


# --- the catalogue ----------------------------------------------------------------------


def test_the_books_of_the_catalogue(frozen: SpotifySimulator) -> None:
    books = _books(frozen)
    assert [book.name for book in books] == [
        "The Loopback Mysteries",
        "A Token for Tomorrow",
        "Tales from the Refresh Queue",
        "The Long Poll",
    ]
    assert [len(book.chapter_ids) for book in books] == [6, 4, 3, 60]
    assert books[2].markets == ("GB", "IE")
    assert all(book.markets == BOOK_MARKETS for i, book in enumerate(books) if i != 2)
    first = frozen.world.catalogue.chapters[books[0].chapter_ids[0]]
    assert (first.number, first.name) == (0, "Opening Credits")


async def test_an_audiobook_as_spotify_sends_it(frozen: SpotifySimulator, alice: Api) -> None:
    book = _books(frozen)[1]
    body = await alice.ok(f"/audiobooks/{book.id}")

    # Spotify gives a book the URI and link of a show.
    assert body["uri"] == f"spotify:show:{book.id}"
    assert body["external_urls"]["spotify"] == f"https://open.spotify.com/show/{book.id}"
    assert body["type"] == "audiobook"
    assert [a["name"] for a in body["authors"]] == ["Rin Okafor", "Lee Park"]
    assert [n["name"] for n in body["narrators"]] == ["Dana Voss", "Eli Moss"]
    assert body["description"].startswith("Author(s): Rin Okafor, Lee Park Narrator(s):")
    assert body["total_chapters"] == 4
    assert body["images"][0]["width"] == 640
    chapters = body["chapters"]["items"]
    assert [c["chapter_number"] for c in chapters] == [0, 1, 2, 3]
    assert chapters[0]["type"] == "chapter"
    assert chapters[0]["uri"] == f"spotify:episode:{book.chapter_ids[0]}"


async def test_chapters_are_paged(frozen: SpotifySimulator, alice: Api) -> None:
    book = _books(frozen)[3]
    embedded = (await alice.ok(f"/audiobooks/{book.id}"))["chapters"]
    assert (len(embedded["items"]), embedded["total"]) == (50, 60)
    assert embedded["next"] is not None

    page = await alice.ok(f"/audiobooks/{book.id}/chapters", offset=55, limit=10)

    assert [c["id"] for c in page["items"]] == book.chapter_ids[55:]
    assert page["next"] is None
    assert page["previous"] is not None


async def test_alices_resume_points_show_in_the_chapters(
    frozen: SpotifySimulator, alice: Api, http: aiohttp.ClientSession
) -> None:
    book = _books(frozen)[0]
    points = [
        c["resume_point"] for c in (await alice.ok(f"/audiobooks/{book.id}/chapters"))["items"][:4]
    ]
    carols = (await api_for(http, frozen, "carol").ok(f"/audiobooks/{book.id}/chapters"))["items"]

    assert points == [
        {"fully_played": True, "resume_position_ms": 0},
        {"fully_played": True, "resume_position_ms": 0},
        {"fully_played": False, "resume_position_ms": 61_000},
        {"fully_played": False, "resume_position_ms": 0},
    ]
    assert carols[2]["resume_point"] == {"fully_played": False, "resume_position_ms": 0}


@pytest.mark.parametrize(
    ("user", "market", "playable"),
    [("alice", None, False), ("bob", None, True), ("alice", "GB", True), ("bob", "US", False)],
)
async def test_a_book_sold_in_the_uk_only(
    frozen: SpotifySimulator,
    http: aiohttp.ClientSession,
    user: str,
    market: str | None,
    playable: bool,
) -> None:
    book = _books(frozen)[2]
    api = api_for(http, frozen, user)
    query = {} if market is None else {"market": market}

    chapter = await api.ok(f"/chapters/{book.chapter_ids[1]}", **query)

    assert chapter["audiobook"]["available_markets"] == ["GB", "IE"]
    assert chapter["audiobook"]["name"] == "Tales from the Refresh Queue"
    assert chapter["is_playable"] is playable
    assert ("restrictions" in chapter) is not playable
    if not playable:
        assert chapter["restrictions"] == {"reason": "market"}


async def test_unknown_books_and_chapters_are_not_found(alice: Api) -> None:
    for path in (f"/audiobooks/{'Z' * 22}", f"/audiobooks/{'Z' * 22}/chapters"):
        assert (await alice.get(path))[0] == 404
    assert (await alice.get(f"/chapters/{'Z' * 22}"))[0] == 404
    assert (await alice.get("/chapters/not-an-id"))[0] == 400


# --- library and search -----------------------------------------------------------------


async def test_saved_audiobooks_are_the_books_themselves(
    frozen: SpotifySimulator, alice: Api
) -> None:
    books = _books(frozen)
    page = await alice.ok("/me/audiobooks")

    assert [item["id"] for item in page["items"]] == [books[0].id, books[2].id]
    assert "added_at" not in page["items"][0]
    assert page["items"][0]["type"] == "audiobook"


async def test_audiobooks_are_saved_and_removed_through_the_library(
    frozen: SpotifySimulator, alice: Api
) -> None:
    book = _books(frozen)[1]
    uris = f"spotify:audiobook:{book.id}"

    assert await alice.ok("/me/library/contains", uris=uris) == [False]
    assert (await alice.put("/me/library", uris=uris))[0] == 200
    assert await alice.ok("/me/library/contains", uris=uris) == [True]
    assert (await alice.ok("/me/audiobooks"))["items"][0]["id"] == book.id
    assert (await alice.call("DELETE", "/me/library", uris=uris))[0] == 200
    assert await alice.ok("/me/library/contains", uris=uris) == [False]


async def test_chapters_cannot_be_saved(frozen: SpotifySimulator, alice: Api) -> None:
    chapter = f"spotify:chapter:{_chapter_ids(frozen, 0)[1]}"
    for method in ("PUT", "DELETE"):
        status, body = await alice.call(method, "/me/library", uris=chapter)
        assert status == 400
        assert body["error"]["message"] == f"Invalid uri: {chapter}"
    assert (await alice.get("/me/library/contains", uris=chapter))[0] == 400


async def test_search_finds_books_by_author_and_narrator(
    frozen: SpotifySimulator, alice: Api
) -> None:
    books = _books(frozen)
    by_author = await alice.ok("/search", q="Ada Lantern", type="audiobook")
    by_narrator = await alice.ok("/search", q="owen cache", type="audiobook,track")

    assert [b["id"] for b in by_author["audiobooks"]["items"]] == [books[0].id, books[3].id]
    assert [b["id"] for b in by_narrator["audiobooks"]["items"]] == [books[2].id]
    assert by_narrator["tracks"]["items"] == []


# --- playback ---------------------------------------------------------------------------


async def test_a_book_plays_on_where_alice_left_off(frozen: SpotifySimulator, alice: Api) -> None:
    book = _books(frozen)[0]

    status, _ = await alice.put(
        "/me/player/play", json={"context_uri": f"spotify:audiobook:{book.id}"}
    )
    state = await _playing(alice)

    assert status == 204
    item = state["item"]
    # Spotify's player reports a chapter as an episode of a show that is the book.
    assert state["currently_playing_type"] == "episode"
    assert item["type"] == "episode"
    assert item["uri"] == f"spotify:episode:{book.chapter_ids[2]}"
    assert state["progress_ms"] == 61_000
    assert item["show"]["id"] == book.id
    assert item["show"]["total_episodes"] is None
    assert item["show"]["description"].startswith("Author(s): Ada Lantern Narrator(s): Sam Reader")
    assert state["context"]["type"] == "show"
    assert state["context"]["uri"] == f"spotify:show:{book.id}"


async def test_without_additional_types_a_playing_chapter_has_no_item(
    frozen: SpotifySimulator, alice: Api
) -> None:
    book = _books(frozen)[0]
    await alice.put("/me/player/play", json={"context_uri": f"spotify:audiobook:{book.id}"})

    state = await alice.ok("/me/player")

    assert state["currently_playing_type"] == "episode"
    assert state["item"] is None


@pytest.mark.parametrize("kind", ["chapter", "episode"])
async def test_a_chapter_plays_where_picked(
    frozen: SpotifySimulator, alice: Api, kind: str
) -> None:
    chapter = _chapter_ids(frozen, 1)[2]

    await alice.put("/me/player/play", json={"uris": [f"spotify:{kind}:{chapter}"]})
    state = await _playing(alice)

    assert state["item"]["id"] == chapter
    assert state["progress_ms"] == 0
    assert state["context"] is None


async def test_a_book_by_its_show_uri_and_an_offset(frozen: SpotifySimulator, alice: Api) -> None:
    book = _books(frozen)[0]
    body = {"context_uri": f"spotify:show:{book.id}", "offset": {"position": 4}}

    await alice.put("/me/player/play", json=body)

    assert (await _playing(alice))["item"]["id"] == book.chapter_ids[4]
    assert (await _playing(alice))["progress_ms"] == 0


async def test_pausing_keeps_the_resume_point(frozen: SpotifySimulator, alice: Api) -> None:
    book = _books(frozen)[1]
    context = {"context_uri": f"spotify:audiobook:{book.id}"}
    await alice.put("/me/player/play", json=context)
    frozen.clock.advance(90)

    await alice.put("/me/player/pause")
    chapter = await alice.ok(f"/chapters/{book.chapter_ids[0]}")
    await alice.put(
        "/me/player/play",
        json={"uris": [f"spotify:track:{next(iter(frozen.world.catalogue.tracks))}"]},
    )
    await alice.put("/me/player/play", json=context)
    state = await _playing(alice)

    # The opening credits last 23 s: after 90 s chapter 1 had played for 67 s.
    assert chapter["resume_point"] == {"fully_played": True, "resume_position_ms": 0}
    assert frozen.player().resume_points[book.chapter_ids[1]].position_ms == 67_000
    assert state["item"]["id"] == book.chapter_ids[1]
    assert state["progress_ms"] == 67_000
    assert state["item"]["resume_point"] == {"fully_played": False, "resume_position_ms": 67_000}


async def test_leaving_a_chapter_keeps_its_resume_point(
    frozen: SpotifySimulator, alice: Api
) -> None:
    chapters = _chapter_ids(frozen, 1)
    await alice.put(
        "/me/player/play",
        json={
            "context_uri": f"spotify:audiobook:{_books(frozen)[1].id}",
            "offset": {"position": 2},
        },
    )
    frozen.clock.advance(40)

    await alice.post("/me/player/next")

    points = frozen.player().resume_points
    assert (points[chapters[2]].position_ms, points[chapters[2]].fully_played) == (40_000, False)
    assert chapters[3] not in points


async def test_a_chapter_is_queued_like_an_episode(frozen: SpotifySimulator, alice: Api) -> None:
    chapter = _chapter_ids(frozen, 1)[3]

    status, _ = await alice.post("/me/player/queue", uri=f"spotify:chapter:{chapter}")
    queue = await alice.ok("/me/player/queue")

    assert status == 204
    assert queue["queue"][0]["id"] == chapter
    assert queue["queue"][0]["type"] == "episode"
    assert queue["queue"][0]["show"]["name"] == "A Token for Tomorrow"


@pytest.mark.parametrize(
    "body",
    [
        {"context_uri": "spotify:audiobook:{book}"},
        {"uris": ["spotify:chapter:{chapter}"]},
    ],
)
async def test_a_book_not_sold_in_alices_market_does_not_play(
    frozen: SpotifySimulator, alice: Api, body: dict[str, Any]
) -> None:
    book = _books(frozen)[2]
    filled = {
        key: (
            value.format(book=book.id)
            if isinstance(value, str)
            else [v.format(chapter=book.chapter_ids[0]) for v in value]
        )
        for key, value in body.items()
    }
    before = frozen.player().playback

    assert await alice.put("/me/player/play", json=filled) == (403, RESTRICTED)
    assert await alice.post("/me/player/queue", uri=f"spotify:chapter:{book.chapter_ids[0]}") == (
        403,
        RESTRICTED,
    )
    assert frozen.player().playback is before
    assert frozen.player().queue == []


async def test_bob_in_the_uk_may_play_it_but_is_on_free(
    frozen: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    book = _books(frozen)[2]
    bob = api_for(http, frozen, "bob")
    status, body = await bob.put(
        "/me/player/play", json={"context_uri": f"spotify:audiobook:{book.id}"}
    )
    assert status == 403
    assert body["error"]["reason"] == "PREMIUM_REQUIRED"


async def test_a_chapter_played_to_its_end_is_fully_played(
    frozen: SpotifySimulator, alice: Api
) -> None:
    book = _books(frozen)[1]
    context = {"context_uri": f"spotify:audiobook:{book.id}"}
    await alice.put("/me/player/play", json=context)
    frozen.clock.advance(23 + 5)  # the opening credits, and 5 s into chapter 1

    chapters = (await alice.ok(f"/audiobooks/{book.id}/chapters"))["items"]
    state = await _playing(alice)

    assert chapters[0]["resume_point"] == {"fully_played": True, "resume_position_ms": 0}
    assert chapters[1]["resume_point"] == {"fully_played": False, "resume_position_ms": 0}
    assert (state["item"]["id"], state["progress_ms"]) == (book.chapter_ids[1], 5_000)


async def test_a_market_from_the_token_is_the_users_country(
    frozen: SpotifySimulator, alice: Api
) -> None:
    book = _books(frozen)[2]
    chapter = await alice.ok(f"/chapters/{book.chapter_ids[0]}", market="from_token")
    assert chapter["is_playable"] is False
