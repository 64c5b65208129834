"""Check recorded simulator exchanges against Spotify's OpenAPI file (openapi-core).

Where Spotify's real answers differ from the published spec, the spec is patched
here, one documented deviation at a time, rather than bending the simulator.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped]  # the venvs carry no PyYAML stubs
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

if TYPE_CHECKING:
    from tests.simulator import Exchange

REPO = Path(__file__).resolve().parents[2]
SPEC_NAME = "spotify-web-api-openapi.yml"
SPOTIFY_HOST = "https://api.spotify.com"

# (schema, property) -> why Spotify sends null where the spec does not allow it.
NULLABLE_IN_PRACTICE = {
    ("CurrentlyPlayingContextObject", "context"): "null while playing a list of URIs",
    ("CurrentlyPlayingObject", "context"): "null while playing a list of URIs",
    ("CurrentlyPlayingContextObject", "item"): "null for an episode without additional_types",
    ("CurrentlyPlayingObject", "item"): "null for an episode without additional_types",
    ("QueueObject", "currently_playing"): "null when nothing is playing",
    ("PlayHistoryObject", "context"): "null for tracks played from a list of URIs",
    ("CursorObject", "after"): '{"after": null} when following nobody',
    ("CursorPagingObject", "cursors"): "null when there is no history",
    ("CursorPagingObject", "next"): "null on the last page (as the spec's own text says)",
    ("ShowBase", "total_episodes"): "null for the book of a playing audiobook chapter"
    " (2026/playback_audiobook_1.json)",
    ("ShowBase", "is_externally_hosted"): "null there too (and the spec's text allows null)",
}
# (schema, property) -> (value Spotify sends beside the spec's enum, where it was seen).
ENUM_VALUES_IN_PRACTICE = {
    ("ChapterBase", "type"): ("chapter", "2026/chapter.json, 2026/audiobook_chapters.json"),
}
# Paging schema -> (the schema of the entries Spotify sends instead, where it was seen).
ENTRIES_IN_PRACTICE = {
    "PagingSavedAudiobookObject": (
        "SimplifiedAudiobookObject",
        "the books themselves, not {added_at, audiobook} (2026/saved_audiobooks.json)",
    ),
}
# Paging schema -> why Spotify sends null entries in its list, seen in recorded answers
# (tests/fixtures): the entry keeps its place, so paging offsets still count it.
NULL_ENTRIES_IN_PRACTICE = {
    "PagingPlaylistObject": "a followed playlist since deleted (2025/current_user_playlist_1.json,"
    " and among search results, 2025/search.json)",
    "PagingSavedAlbumObject": "a saved album Spotify withdrew (2026/saved_albums.json)",
}
_ERROR_OBJECT = "#/components/schemas/ErrorObject"
# (method, path) -> statuses Spotify answers without content although the spec omits them.
UNDECLARED_NO_CONTENT = {
    ("GET", "/v1/me/player/currently-playing"): 204,  # nothing is playing
}


def find_spec() -> Path | None:
    """The OpenAPI file: $SPOTIFY_OPENAPI_SPEC, or <repo>/../shared/reference/."""
    candidates = [
        os.environ.get("SPOTIFY_OPENAPI_SPEC", ""),
        str(REPO.parent / "shared" / "reference" / SPEC_NAME),
        str(REPO / "reference" / SPEC_NAME),
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def _map_discriminators(node: Any) -> None:
    """Give `type` discriminators the mapping the spec leaves out.

    Without it a validator looks for a schema named after the value ("track") and
    fails; Spotify's values are the schema names lower-cased without "Object".
    """
    if isinstance(node, dict):
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and "mapping" not in discriminator:
            refs = [option["$ref"] for option in node.get("oneOf", []) if "$ref" in option]
            discriminator["mapping"] = {
                ref.rsplit("/", 1)[1].removesuffix("Object").lower(): ref for ref in refs
            }
        for value in node.values():
            _map_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _map_discriminators(value)


def _wrap_bare_errors(spec: dict[str, Any]) -> None:
    """Spotify wraps every error as {"error": ErrorObject}; a few responses in the spec forget."""
    for operations in spec["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get("application/json", {})
                if media.get("schema") == {"$ref": _ERROR_OBJECT}:
                    media["schema"] = {
                        "type": "object",
                        "required": ["error"],
                        "properties": {"error": {"$ref": _ERROR_OBJECT}},
                    }


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    # OAS 3.0 ignores `nullable` next to allOf/oneOf, so spell "or null" out.
    return {"anyOf": [schema, {"type": "string", "nullable": True, "enum": [None]}]}


class SpecChecker:
    """Validates exchanges; returns human-readable problems instead of raising."""

    def __init__(self, spec_path: Path) -> None:
        """Load the spec and apply the documented deviations."""
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        _map_discriminators(spec)
        _wrap_bare_errors(spec)
        schemas = spec["components"]["schemas"]
        for schema, prop in NULLABLE_IN_PRACTICE:
            properties = schemas[schema]["properties"]
            properties[prop] = _or_null(properties[prop])
        for (schema, prop), (value, _) in ENUM_VALUES_IN_PRACTICE.items():
            schemas[schema]["properties"][prop]["enum"].append(value)
        for paging, (entry, _) in ENTRIES_IN_PRACTICE.items():
            entries = schemas[paging]["allOf"][1]["properties"]["items"]
            entries["items"] = {"$ref": f"#/components/schemas/{entry}"}
        for paging in NULL_ENTRIES_IN_PRACTICE:
            entries = schemas[paging]["allOf"][1]["properties"]["items"]
            entries["items"] = _or_null(entries["items"])
        self._api = OpenAPI.from_dict(spec)
        error_object = schemas["ErrorObject"]
        self._error_body = OAS30Validator(
            {
                "type": "object",
                "required": ["error"],
                "properties": {"error": error_object},
            }
        )

    def problems(self, exchange: Exchange) -> list[str]:
        """What is wrong with one exchange (empty when it conforms)."""
        where = f"{exchange.method} {exchange.path} -> {exchange.status}"
        if UNDECLARED_NO_CONTENT.get((exchange.method, exchange.path)) == exchange.status:
            return [] if not exchange.response_body else [f"{where}: body on a no-content answer"]
        request = MockRequest(
            SPOTIFY_HOST, exchange.method.lower(), exchange.path, args=exchange.query
        )
        response = MockResponse(
            exchange.response_body,
            status_code=exchange.status,
            content_type=exchange.content_type or "application/octet-stream",
        )
        try:
            self._api.validate_response(request, response)
        except (PathNotFound, OperationNotFound, ResponseNotFound) as err:
            if exchange.status >= 400:  # an error Spotify sends but the spec omits
                return self._error_problems(where, exchange)
            return [f"{where}: {err}"]
        except OpenAPIError as err:
            details = getattr(err.__cause__, "schema_errors", None) or [err.__cause__ or err]
            return [f"{where}: {detail}" for detail in list(details)[:5]]
        return []

    def _error_problems(self, where: str, exchange: Exchange) -> list[str]:
        try:
            body = json.loads(exchange.response_body)
        except ValueError:
            return [f"{where}: error body is not JSON"]
        return [f"{where}: {error.message}" for error in self._error_body.iter_errors(body)]
