"""Spotify URIs, links and IDs: what is accepted, how it is normalised, what is refused."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from custom_components.spotify_webapi.webapi import (
    InvalidArgumentError,
    InvalidSpotifyUriError,
    ItemType,
    SpotifyError,
    SpotifyUri,
    parse_spotify_uri,
    to_spotify_id,
    to_spotify_uri,
)
from custom_components.spotify_webapi.webapi.uris import CATALOG_TYPES

TRACK_ID = "4iV5W9uYEdYUVa79Axb7Rh"
PLAYLIST_ID = "37i9dQZF1DXcBWIGoYBM5M"

base62_ids = st.text(alphabet=string.ascii_letters + string.digits, min_size=22, max_size=22)
catalog_types = st.sampled_from(sorted(CATALOG_TYPES))
user_ids = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=30)


@pytest.mark.parametrize(
    ("text", "kind", "item_id"),
    [
        (f"spotify:track:{TRACK_ID}", ItemType.TRACK, TRACK_ID),
        (f"  spotify:album:{TRACK_ID}\n", ItemType.ALBUM, TRACK_ID),
        (f"spotify:user:someone:playlist:{PLAYLIST_ID}", ItemType.PLAYLIST, PLAYLIST_ID),
        ("spotify:user:alice.smith:collection", ItemType.COLLECTION, "alice.smith"),
        ("spotify:user:alice", ItemType.USER, "alice"),
        (f"https://open.spotify.com/track/{TRACK_ID}", ItemType.TRACK, TRACK_ID),
        (f"https://open.spotify.com/track/{TRACK_ID}/", ItemType.TRACK, TRACK_ID),
        (f"https://open.spotify.com/track/{TRACK_ID}?si=a1b2c3d4e5", ItemType.TRACK, TRACK_ID),
        (f"https://open.spotify.com/intl-de/album/{TRACK_ID}?si=x", ItemType.ALBUM, TRACK_ID),
        (f"https://open.spotify.com/intl-pt-br/show/{TRACK_ID}", ItemType.SHOW, TRACK_ID),
        (f"https://open.spotify.com/embed/episode/{TRACK_ID}#t=1", ItemType.EPISODE, TRACK_ID),
        (f"http://OPEN.spotify.com/playlist/{PLAYLIST_ID}", ItemType.PLAYLIST, PLAYLIST_ID),
        (
            f"https://open.spotify.com/user/bob/playlist/{PLAYLIST_ID}",
            ItemType.PLAYLIST,
            PLAYLIST_ID,
        ),
        ("https://open.spotify.com/user/bob", ItemType.USER, "bob"),
    ],
)
def test_parses_uris_and_links(text: str, kind: ItemType, item_id: str) -> None:
    assert parse_spotify_uri(text) == SpotifyUri(kind, item_id)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "spotify:",
        "spotify:track:",
        f"spotify:track:{TRACK_ID}x",  # 23 characters
        "spotify:track:4iV5W9uYEdYUVa79Axb7R!",
        f"spotify:podcast:{TRACK_ID}",
        f"spotify:track:{TRACK_ID}:extra",
        f"spotify:Track:{TRACK_ID}",
        "spotify:user::collection",
        "spotify:user:a/b",
        f"spotify:collection:{TRACK_ID}",
        f"https://example.com/track/{TRACK_ID}",
        f"https://open.spotify.com.evil.example/track/{TRACK_ID}",
        f"https://user@open.spotify.com/track/{TRACK_ID}",
        f"https://open.spotify.com:8443/track/{TRACK_ID}",
        f"https://open.spotify.com:notaport/track/{TRACK_ID}",
        "https://[::1/track",
        f"https://open.spotify.com/intl-deutsch/track/{TRACK_ID}",
        "https://open.spotify.com/collection/tracks",
        "https://open.spotify.com/",
        f"ftp://open.spotify.com/track/{TRACK_ID}",
        TRACK_ID,
        "../me/player",
    ],
)
def test_refuses_what_is_not_a_spotify_uri(text: str) -> None:
    with pytest.raises(InvalidSpotifyUriError) as caught:
        parse_spotify_uri(text)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, SpotifyError)


def test_canonical_forms() -> None:
    track = SpotifyUri(ItemType.TRACK, TRACK_ID)
    assert track.uri == f"spotify:track:{TRACK_ID}"
    assert str(track) == track.uri
    assert track.url == f"https://open.spotify.com/track/{TRACK_ID}"
    liked = SpotifyUri(ItemType.COLLECTION, "alice")
    assert liked.uri == "spotify:user:alice:collection"
    assert liked.url == "https://open.spotify.com/collection/tracks"
    assert parse_spotify_uri(liked.uri) == liked


@pytest.mark.parametrize(
    ("kind", "item_id"),
    [(ItemType.TRACK, "short"), (ItemType.USER, "has space"), (ItemType.COLLECTION, "")],
)
def test_a_spotify_uri_cannot_hold_an_invalid_id(kind: ItemType, item_id: str) -> None:
    with pytest.raises(InvalidSpotifyUriError, match="invalid"):
        SpotifyUri(kind, item_id)


def test_to_spotify_uri_checks_the_type() -> None:
    track = f"spotify:track:{TRACK_ID}"
    assert to_spotify_uri(track, ItemType.TRACK, ItemType.EPISODE).type is ItemType.TRACK
    assert to_spotify_uri(track).uri == track  # no allowed types: anything valid
    parsed = SpotifyUri(ItemType.ALBUM, TRACK_ID)
    assert to_spotify_uri(parsed, ItemType.ALBUM) is parsed
    with pytest.raises(InvalidSpotifyUriError, match="expected a episode or track URI"):
        to_spotify_uri(f"spotify:album:{TRACK_ID}", ItemType.TRACK, ItemType.EPISODE)


@pytest.mark.parametrize(
    "value",
    [
        PLAYLIST_ID,
        f" {PLAYLIST_ID} ",
        f"spotify:playlist:{PLAYLIST_ID}",
        f"https://open.spotify.com/playlist/{PLAYLIST_ID}?si=abc",
        SpotifyUri(ItemType.PLAYLIST, PLAYLIST_ID),
    ],
)
def test_to_spotify_id_accepts_ids_uris_and_links(value: str | SpotifyUri) -> None:
    assert to_spotify_id(value, ItemType.PLAYLIST) == PLAYLIST_ID


@pytest.mark.parametrize(
    "value",
    ["", "short", "../../me/player", "a" * 23, f"spotify:album:{PLAYLIST_ID}", "a?b=c"],
)
def test_to_spotify_id_refuses_anything_else(value: str) -> None:
    with pytest.raises(InvalidArgumentError):
        to_spotify_id(value, ItemType.PLAYLIST)


@given(kind=catalog_types, item_id=base62_ids)
def test_uri_and_link_round_trip(kind: ItemType, item_id: str) -> None:
    expected = SpotifyUri(kind, item_id)
    assert parse_spotify_uri(f"spotify:{kind}:{item_id}") == expected
    assert parse_spotify_uri(expected.url) == expected
    assert parse_spotify_uri(expected.uri) == expected
    assert to_spotify_id(item_id, kind) == item_id


@given(
    kind=catalog_types,
    item_id=base62_ids,
    locale=st.sampled_from(["", "intl-de/", "intl-ja/", "intl-pt_br/"]),
    share=st.text(alphabet=string.ascii_letters + string.digits, max_size=16),
)
def test_shared_links_with_locale_and_tracking(
    kind: ItemType, item_id: str, locale: str, share: str
) -> None:
    link = f"https://open.spotify.com/{locale}{kind}/{item_id}?si={share}&utm_source=copy-link"
    assert parse_spotify_uri(link) == SpotifyUri(kind, item_id)


@given(user_id=user_ids)
def test_liked_songs_uri_round_trips(user_id: str) -> None:
    liked = parse_spotify_uri(f"spotify:user:{user_id}:collection")
    assert liked == SpotifyUri(ItemType.COLLECTION, user_id)
    assert liked.uri == f"spotify:user:{user_id}:collection"


@given(kind=catalog_types, item_id=st.text(max_size=40))
@example(kind=ItemType.TRACK, item_id="4iV5W9uYEdYUVa79Axb7R/")
def test_ids_that_are_not_22_base62_characters_are_refused(kind: ItemType, item_id: str) -> None:
    valid = len(item_id) == 22 and all(c in string.ascii_letters + string.digits for c in item_id)
    for text in (f"spotify:{kind}:{item_id}", f"https://open.spotify.com/{kind}/{item_id}"):
        if valid:
            assert parse_spotify_uri(text).id == item_id
        else:
            with pytest.raises(InvalidSpotifyUriError):
                parse_spotify_uri(text)


@given(
    st.one_of(
        st.text(),
        st.text().map(lambda tail: f"spotify:{tail}"),
        st.text().map(lambda tail: f"https://open.spotify.com/{tail}"),
        st.lists(st.sampled_from(["spotify", "user", "track", "collection", "playlist", "x"])).map(
            ":".join
        ),
    )
)
def test_any_text_parses_or_raises_the_documented_error(text: str) -> None:
    try:
        parsed = parse_spotify_uri(text)
    except InvalidSpotifyUriError:
        return
    # Whatever is accepted has a canonical form that parses back to itself.
    assert parse_spotify_uri(parsed.uri) == parsed
