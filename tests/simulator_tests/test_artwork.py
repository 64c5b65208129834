"""The simulator's own cover art: public PNGs at the URLs its objects list, decodable by Pillow."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image as PilImage

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


async def test_every_listed_image_is_served_at_its_size(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    album = next(iter(simulator.world.catalogue.albums.values()))
    rendered = simulator.renderer().album(album)
    assert [image["width"] for image in rendered["images"]] == [640, 300, 64]
    colours = set()
    for image in rendered["images"]:
        assert image["url"].startswith(f"{simulator.base_url}/image/")
        # Public like Spotify's CDN: no token.
        async with http.get(image["url"]) as resp:
            assert resp.status == 200
            assert resp.content_type == "image/png"
            body = await resp.read()
        decoded = PilImage.open(io.BytesIO(body))
        decoded.load()
        assert decoded.format == "PNG"
        assert decoded.size == (image["width"], image["height"])
        colours.add(decoded.getpixel((0, 0)))
        assert decoded.getpixel((0, 0)) != decoded.getpixel((image["width"] // 2,) * 2)
    assert len(colours) == 1  # the same cover in every size


async def test_covers_differ_between_objects_and_users_have_pictures(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    renderer = simulator.renderer()
    first, second = list(simulator.world.catalogue.albums.values())[:2]
    urls = [renderer.album(first)["images"][-1]["url"], renderer.album(second)["images"][-1]["url"]]
    bodies = []
    for url in urls:
        async with http.get(url) as resp:
            bodies.append(await resp.read())
    assert bodies[0] != bodies[1]

    picture = simulator.users["alice"].images(simulator.api_url)[0]
    async with http.get(picture["url"]) as resp:
        assert resp.status == 200
        assert PilImage.open(io.BytesIO(await resp.read())).size == (300, 300)


async def test_unknown_images_are_not_found(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    for path in (
        "/image/" + "0" * 40 + "/0.png",
        "/image/" + "0" * 40 + "/999.png",
        "/image/x/64.png",
    ):
        async with http.get(simulator.base_url + path) as resp:
            assert resp.status == 404
