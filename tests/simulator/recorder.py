"""What the simulator saw and answered: a per-simulator request log and a suite-wide recorder."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

# Values under these names are credentials: they never appear in a repr.
_SECRET_HEADERS = frozenset({"authorization"})
_SECRET_FIELDS = frozenset(
    {"access_token", "refresh_token", "code", "code_verifier", "client_secret", "password"}
)


def _redacted(mapping: dict[str, Any] | None, secret_keys: frozenset[str]) -> dict[str, Any] | None:
    if mapping is None:
        return None
    return {
        key: "**REDACTED**" if key.lower() in secret_keys else value
        for key, value in mapping.items()
    }


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the simulator received it, for asserting what a client sent."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str] | None
    json: Any | None
    status: int
    # time.monotonic() when it arrived, for tests that check the pace of a client's requests.
    at: float = field(default_factory=time.monotonic, compare=False)

    def __repr__(self) -> str:
        """Show the request without its credentials (reprs end up in test reports)."""
        return (
            f"LoggedRequest(method={self.method!r}, path={self.path!r}, "
            f"query={_redacted(self.query, _SECRET_FIELDS)!r}, "
            f"headers={_redacted(self.headers, _SECRET_HEADERS)!r}, "
            f"form={_redacted(self.form, _SECRET_FIELDS)!r}, json={self.json!r}, "
            f"status={self.status})"
        )


@dataclass(frozen=True, slots=True)
class Exchange:
    """A request and the response the simulator gave, kept for checking against the spec.

    `route` is the matched route pattern; `scripted` marks answers forced by fail_next.
    """

    method: str
    url: str
    path: str
    route: str
    scripted: bool
    query: dict[str, str]
    request_headers: dict[str, str] = field(repr=False)
    request_body: bytes = field(repr=False)
    status: int
    response_headers: dict[str, str] = field(repr=False)
    response_body: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        """The response's media type without parameters."""
        raw = self.response_headers.get("Content-Type", "")
        return raw.split(";", 1)[0].strip()


class Recorder:
    """Collects exchanges from every simulator in the process, so one test can check them all.

    To bound memory over a long suite it keeps the first `per_kind` exchanges of each
    (method, route, status); `seen` still counts every exchange.
    """

    def __init__(self, per_kind: int = 40) -> None:
        """Keep up to `per_kind` exchanges per (method, route, status)."""
        self._per_kind = per_kind
        self._kept: dict[tuple[str, str, int], list[Exchange]] = {}
        self.seen = 0
        self.enabled = True

    def add(self, exchange: Exchange) -> None:
        """Remember one exchange, if recording is on."""
        if not self.enabled:
            return
        self.seen += 1
        kept = self._kept.setdefault((exchange.method, exchange.route, exchange.status), [])
        if len(kept) < self._per_kind:
            kept.append(exchange)

    @property
    def exchanges(self) -> list[Exchange]:
        """What has been kept so far."""
        return [exchange for kept in self._kept.values() for exchange in kept]

    def clear(self) -> None:
        """Forget everything recorded."""
        self._kept.clear()
        self.seen = 0


recorder = Recorder()
