"""Cover art served by the simulator itself: small generated PNGs at its own URLs.

Spotify's images live on its CDN (``i.scdn.co``), which our machines cannot reach;
the simulator answers its image URLs itself, so the dev instance, the browser test
and the screenshots show artwork as a user sees it. Each image is two colours drawn
from a digest of what it depicts, so covers differ and stay the same between runs.
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from typing import Any, Final

from aiohttp import web

IMAGE_PATH: Final = "/image"
SIZES: Final = (640, 300, 64)
MAX_SIZE: Final = 640


def digest(kind: str, item_id: str) -> str:
    """A stable name for the artwork of one object."""
    return hashlib.sha1(f"{kind}:{item_id}".encode(), usedforsecurity=False).hexdigest()


def images(
    base_url: str, kind: str, item_id: str, sizes: tuple[int, ...] = SIZES
) -> list[dict[str, Any]]:
    """ImageObjects in Spotify's usual sizes, largest first, on the simulator's address."""
    name = digest(kind, item_id)
    return [
        {"url": f"{base_url}{IMAGE_PATH}/{name}/{size}.png", "height": size, "width": size}
        for size in sizes
    ]


@functools.lru_cache(maxsize=128)
def png(name: str, size: int) -> bytes:
    """A ``size`` x ``size`` PNG: a square of one colour framed by another."""
    raw = bytes.fromhex(name)
    outer, inner = raw[0:3], raw[3:6]
    edge = size // 4
    framed = outer * size
    middle = outer * edge + inner * (size - 2 * edge) + outer * edge
    rows = b"".join(b"\x00" + (middle if edge <= y < size - edge else framed) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 6))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


async def serve_image(request: web.Request) -> web.Response:
    """GET /image/{digest}/{size}.png: public, like Spotify's CDN (no token needed)."""
    name, size = request.match_info["name"], int(request.match_info["size"])
    if not 0 < size <= MAX_SIZE:
        raise web.HTTPNotFound
    return web.Response(
        body=png(name, size),
        content_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def routes() -> list[web.RouteDef]:
    """The artwork route."""
    return [web.get(IMAGE_PATH + r"/{name:[0-9a-f]{40}}/{size:[0-9]{1,3}}.png", serve_image)]
