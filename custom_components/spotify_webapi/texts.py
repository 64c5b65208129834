"""Words the integration shows outside forms and errors, in Home Assistant's language.

The source list's offline mark and the media browser's folder names and "More…" are
plain strings that HA shows as given, so they come from the ``common`` section of the
translations: loaded when an entry sets up (HA's language and English), then read from
HA's cache without waiting. A language chosen after set-up shows English until the next
set-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

CATEGORY: Final = "common"
FALLBACK_LANGUAGE: Final = "en"


async def async_load_texts(hass: HomeAssistant) -> None:
    """Put this integration's texts in HA's cache, in HA's language and in English."""
    for language in {hass.config.language, FALLBACK_LANGUAGE}:
        await async_get_translations(hass, language, CATEGORY, [DOMAIN])


@callback
def text(hass: HomeAssistant, key: str, **placeholders: str) -> str:
    """The text ``key`` in HA's language (English when that is not loaded), filled in."""
    full_key = f"component.{DOMAIN}.{CATEGORY}.{key}"
    for language in (hass.config.language, FALLBACK_LANGUAGE):
        cached = async_get_cached_translations(hass, language, CATEGORY, DOMAIN)
        if full_key in cached:
            return cached[full_key].format(**placeholders)
    raise KeyError(full_key)  # a key missing from en.json: tests/test_texts.py rules it out


@callback
def offline_source(hass: HomeAssistant, name: str) -> str:
    """A remembered device's name in the source list while Spotify does not list it."""
    return text(hass, "offline_source", name=name)
