"""What the voice intents say: short texts from the translations' "common" section.

Home Assistant's hassfest accepts a custom integration's own texts under "common" (as for
texts.py); they are read here in the language of the request, which may not be HA's.
Errors are answered too, never raised: an HA error of ours becomes its short spoken form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.helpers.translation import async_get_translations

from ..const import DOMAIN
from ..texts import CATEGORY

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.exceptions import HomeAssistantError

_PREFIX: Final = f"component.{DOMAIN}.{CATEGORY}."
FAILED: Final = "voice_failed"

# The spoken answer to each error of the actions a voice request can meet. Each answer uses
# only placeholders its errors carry (tests/test_translations.py checks it); any other
# error gets FAILED, which names nothing, so no id, URI or Spotify message is ever spoken.
ERROR_ANSWERS: Final[dict[str, str]] = {
    "nothing_playing": "voice_nothing_playing",
    "unknown_device": "voice_no_such_device",
    "device_not_controllable": "voice_device_not_controllable",
    "device_asleep": "voice_device_not_reachable",
    "device_unreachable": "voice_device_not_reachable",
    "device_did_not_wake": "voice_device_not_reachable",
    "wake_up_failed": "voice_device_not_reachable",
    "wake_up_entity_missing": "voice_device_not_reachable",
    "no_active_device": "voice_no_device",
    "no_device_responded": "voice_no_device",
    "unknown_playlist": "voice_no_playlist",
    "ambiguous_playlist": "voice_ambiguous_playlist",
    "playlist_not_modifiable": "voice_playlist_not_yours",
    "no_match": "voice_no_match",
    "invalid_search_type": "voice_cannot_search",
    "missing_permission": "voice_missing_permission",
    "rate_limited": "voice_rate_limited",
    "command_refused": "voice_refused",
    "premium_required": "voice_refused",
}


class VoiceError(Exception):
    """A request that cannot be done, with the answer that says why."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """The answer's key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class Answers:
    """The voice texts in one language (English where a text is missing)."""

    texts: dict[str, str]

    def say(self, key: str, **placeholders: str) -> str:
        """The text ``key`` with its placeholders filled in."""
        text = self.texts.get(_PREFIX + key) or self.texts[_PREFIX + FAILED]
        try:
            return text.format(**placeholders)
        except (KeyError, IndexError, ValueError):
            return self.texts[_PREFIX + FAILED]

    def error(self, err: HomeAssistantError) -> str:
        """The spoken form of an HA error our actions raised."""
        key = ERROR_ANSWERS.get(err.translation_key or "", FAILED)
        if err.translation_domain != DOMAIN:
            key = FAILED
        return self.say(key, **(err.translation_placeholders or {}))


async def async_answers(hass: HomeAssistant, language: str) -> Answers:
    """The texts for ``language`` ("de-CH" falls back to "de", then to English).

    HA fills a language it has no file for with English: only what differs from English
    counts as a regional text, so "nl-BE" keeps the Dutch of "nl".
    """
    english = await async_get_translations(hass, "en", CATEGORY, [DOMAIN])
    texts = dict(english)
    base = language.partition("-")[0]
    for wanted in dict.fromkeys((base, language)):
        if wanted != "en":
            found = await async_get_translations(hass, wanted, CATEGORY, [DOMAIN])
            texts |= {key: text for key, text in found.items() if text != english.get(key)}
    return Answers(texts)
