r"""A person in Debian's chromium: sign in, add the integration, approve, press play.

Run by tests/e2e/test_browser.py with the dev venv's Python (which has Playwright):

    .venv/dev/bin/python -m tests.e2e.browser_flow --url URL --username U --password P \\
        --client-id ID --client-secret S --shots DIR --result FILE

Playwright drives /usr/bin/chromium (its own browser download is never used). Each step
waits for what a person would see; a failure saves failure.png and exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.async_api import (
    BrowserContext,
    Page,
    Response,
    ViewportSize,
    async_playwright,
    expect,
)

if TYPE_CHECKING:
    from collections.abc import Callable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
STEP_TIMEOUT_MS = 30_000
SETTLE_MS = 600  # for a screenshot: let animations end
ARTWORK_TIMEOUT_S = 15.0
DOMAIN = "spotify_webapi"
INTEGRATION_NAME = "Spotify Web API"
CREDENTIAL_NAME = "Simulator app"


async def log_in(page: Page, url: str, username: str, password: str) -> None:
    """HA's login page, as a person fills it in."""
    await page.goto(url)
    await page.locator("input[name=username]").fill(username)
    await page.locator("input[name=password]").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url("**/lovelace/**")


async def add_integration(
    context: BrowserContext, page: Page, args: argparse.Namespace, shots: Path
) -> None:
    """Settings > Devices & services > Add integration, the credentials dialog, the popup."""
    await page.goto(f"{args.url}/config/integrations/dashboard")
    await page.get_by_role("button", name="Add integration").click()
    await page.get_by_label("Search for a brand name").fill(INTEGRATION_NAME)
    await page.get_by_text(INTEGRATION_NAME, exact=True).last.click()

    # No application credentials yet: HA asks for the app's client id and secret.
    await expect(page.get_by_text("Add credentials")).to_be_visible()
    # The dialog focuses its first field once its opening animation ends; typing before
    # that can land in the wrong field.
    await expect(page.locator("input[name=name]")).to_be_focused()
    # By name: the fields' labels live in shadow roots that all use the same label id.
    for field, value in (
        ("name", CREDENTIAL_NAME),
        ("clientId", args.client_id),
        ("clientSecret", args.client_secret),
    ):
        await page.locator(f"input[name={field}]").fill(value)
        await expect(page.locator(f"input[name={field}]")).to_have_value(value)
    await page.wait_for_timeout(SETTLE_MS)  # the fields' labels float up in an animation
    await page.screenshot(path=shots / "config-flow-credentials.png")

    # Adding them continues the flow, which opens Spotify's authorize page in a popup.
    async with context.expect_page() as opened:
        await page.get_by_role("button", name="Add", exact=True).click()
    popup = await opened.value
    await popup.wait_for_load_state()
    if not popup.url.startswith(args.accounts_url):
        raise AssertionError(f"the popup opened {popup.url.split('?')[0]}, not the authorize page")
    await expect(popup.get_by_text(f"Authorize {args.client_id}")).to_be_visible()
    await popup.screenshot(path=shots / "authorize-popup.png")
    async with popup.expect_event("close"):
        await popup.locator("#approve").click()  # redirects to HA's callback, which closes it

    await expect(page.get_by_text("Success!")).to_be_visible()
    await expect(page.get_by_text("Created configuration for Alice Example.")).to_be_visible()
    await page.wait_for_timeout(SETTLE_MS)
    await page.screenshot(path=shots / "config-flow-success.png")
    await page.get_by_role("button", name="Finish").click()


async def the_player(page: Page) -> str:
    """The media player's entity id, from the frontend's own entity registry."""
    found: list[str] = await page.evaluate(
        """(domain) => Object.values(document.querySelector('home-assistant').hass.entities)
            .filter((entry) => entry.platform === domain)
            .map((entry) => entry.entity_id)""",
        DOMAIN,
    )
    players = [entity_id for entity_id in found if entity_id.startswith("media_player.")]
    if len(players) != 1:
        raise AssertionError(f"expected one media player of {DOMAIN}, found {found}")
    return players[0]


async def press_pause_then_play(page: Page, url: str, entity_id: str, shots: Path) -> None:
    """Open the player's more-info dialog on the dashboard; watch it follow pause and play."""
    await page.goto(f"{url}/lovelace/0")
    await expect(page.locator("hui-media-control-card")).to_be_visible()
    # What clicking an entity anywhere in the frontend does.
    await page.evaluate(
        """(entityId) => document.querySelector('home-assistant').dispatchEvent(
            new CustomEvent('hass-more-info', {
                detail: {entityId}, bubbles: true, composed: true,
            }))""",
        entity_id,
    )
    dialog = page.locator("ha-more-info-dialog")
    source = dialog.get_by_role("combobox").get_by_text("Alice's MacBook")
    await expect(source).to_be_visible()
    await dialog.get_by_role("button", name="Pause").click()
    play = dialog.get_by_role("button", name="Play", exact=True)
    await expect(play).to_be_visible()
    await play.click()
    await expect(dialog.get_by_role("button", name="Pause")).to_be_visible()
    await page.wait_for_timeout(SETTLE_MS)
    await page.screenshot(path=shots / "media-player-more-info.png")


class ImageLog:
    """Every image the frontend fetches, and how it was answered."""

    def __init__(self, page: Page) -> None:
        """Listen to the page's responses."""
        self.loaded: dict[str, int] = {}
        self._arrived = asyncio.Event()
        page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        if response.request.resource_type == "image":
            self.loaded.setdefault(response.url, response.status)
            self._arrived.set()

    async def wait_for(self, wanted: Callable[[str], bool]) -> tuple[str, int]:
        """The first image URL ``wanted`` accepts and its status, once the frontend fetched it."""
        while not (found := [url for url in self.loaded if wanted(url)]):
            self._arrived.clear()
            await self._arrived.wait()
        return found[0], self.loaded[found[0]]


async def the_artwork(page: Page, entity_id: str, images: ImageLog) -> dict[str, Any]:
    """The player's picture as the frontend shows it: fetched, answered and decoded.

    The frontend loads it directly or through HA's media player proxy, which fetches it
    from its source (here the simulator).
    """
    picture: str | None = await page.evaluate(
        """(entityId) => document.querySelector('home-assistant').hass
            .states[entityId].attributes.entity_picture ?? null""",
        entity_id,
    )
    if picture is None:
        raise AssertionError(f"{entity_id} has no entity_picture")
    proxy = f"/api/media_player_proxy/{entity_id}"

    def shows_the_picture(url: str) -> bool:
        return url == picture or urlsplit(url).path == proxy

    fetched: tuple[str, int] | None = None
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(ARTWORK_TIMEOUT_S):
            fetched = await images.wait_for(shows_the_picture)
    if fetched is None:
        raise AssertionError(f"the frontend fetched no artwork; it fetched {sorted(images.loaded)}")
    url, status = fetched
    size: list[int] | None = await page.evaluate(
        """(src) => new Promise((resolve) => {
            const image = new Image();
            image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
            image.onerror = () => resolve(null);
            image.src = src;
        })""",
        url,
    )
    via = "proxy" if urlsplit(url).path == proxy else "direct"
    return {"entity_picture": picture, "via": via, "status": status, "size": size}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole visit; what it found, for the test to check against HA and the simulator."""
    shots = Path(args.shots)
    expect.set_options(timeout=STEP_TIMEOUT_MS)
    async with async_playwright() as playwright:
        with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
            context = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=VIEWPORT,
            )
            context.set_default_timeout(STEP_TIMEOUT_MS)
            page = context.pages[0] if context.pages else await context.new_page()
            images = ImageLog(page)
            try:
                await log_in(page, args.url, args.username, args.password)
                await add_integration(context, page, args, shots)
                entity_id = await the_player(page)
                await press_pause_then_play(page, args.url, entity_id, shots)
                artwork = await the_artwork(page, entity_id, images)
            except Exception:
                await page.screenshot(path=shots / "failure.png")
                raise
            finally:
                await context.close()
    return {"entity_id": entity_id, "artwork": artwork}


def main() -> int:
    """Parse arguments, run, write the result file."""
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("url", "accounts-url", "username", "password", "client-id", "client-secret"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--shots", required=True, help="where the screenshots go")
    parser.add_argument("--result", required=True, help="a JSON file for the test to read")
    args = parser.parse_args()
    Path(args.shots).mkdir(parents=True, exist_ok=True)
    result = asyncio.run(run(args))
    result["screenshots"] = sorted(path.name for path in Path(args.shots).glob("*.png"))
    Path(args.result).write_text(json.dumps(result))
    sys.stdout.write(f"browser flow done: {result}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
