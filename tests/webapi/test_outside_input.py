"""The Web API client's readers of Spotify's bodies, fed anything: a value or SpotifyError."""

from __future__ import annotations

import contextlib
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from custom_components.spotify_webapi.oauthcli.response import Response
from custom_components.spotify_webapi.webapi.errors import SpotifyError, SpotifyResponseError
from custom_components.spotify_webapi.webapi.responses import error_for, json_body

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(["error", "message", "reason", "status", "error_description"])
            | st.text(max_size=6),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)
bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.sampled_from([b"[" * 100_000, b'{"error": ' + b"[" * 50_000 + b"}", b"", b" "]),
)
statuses = st.sampled_from([200, 204, 400, 401, 403, 404, 429, 500, 502]) | st.integers(100, 599)


@settings(max_examples=200, deadline=None)
@given(status=statuses, body=bodies, player_command=st.booleans())
@example(status=200, body=b"[" * 100_000, player_command=False)
def test_any_body_parses_or_raises_the_packages_error(
    status: int, body: bytes, player_command: bool
) -> None:
    response = Response("GET", "https://api.spotify.com/v1/me/player", status, {}, body)
    with contextlib.suppress(SpotifyResponseError):  # the only error it may raise
        json_body(response)
    error = error_for(response, player_command=player_command)
    assert isinstance(error, SpotifyError)
    assert str(error)
