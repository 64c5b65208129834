"""Intents for Assist and LLM agents: what's playing, save, add to a playlist, play, pause.

Registered once (``async_setup``). Each handler answers with a short translated sentence
(voice/answers.py) and never raises for what the user can cause: "nothing is playing",
"no such playlist", "no such device" are answers. The work is done by the integration's
own actions and media player, so voice behaves exactly as they do (the Saved switch
follows, a sleeping device is woken). Accounts, devices and areas: voice/targets.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.components.media_player.const import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_ARTIST,
    ATTR_MEDIA_TITLE,
)
from homeassistant.components.media_player.const import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from .actions.fields import ATTR_CONFIG_ENTRY_ID
from .actions.library import SERVICE_REMOVE_FROM_LIBRARY, SERVICE_SAVE_TO_LIBRARY
from .actions.playlist import ATTR_PLAYLIST, SERVICE_ADD_TO_PLAYLIST, playlists_named
from .actions.services import (
    ATTR_CONTEXT_URI,
    ATTR_DEVICE,
    ATTR_URIS,
    SERVICE_PLAY,
    item_summary,
)
from .browse.search_match import PLAYS_AS_LIST, best_item, search_type
from .const import DOMAIN
from .exceptions import spotify_errors
from .voice.answers import VoiceError, async_answers
from .voice.targets import accounts, area_named, device_in_area, device_named
from .webapi import SearchType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from .data import SpotifyWebApiConfigEntry
    from .voice.answers import Answers
    from .voice.targets import Target
    from .webapi import Playable

INTENT_WHATS_PLAYING: Final = "SpotifyWhatsPlaying"
INTENT_SAVE_CURRENT: Final = "SpotifySaveCurrent"
INTENT_REMOVE_CURRENT: Final = "SpotifyRemoveCurrent"
INTENT_ADD_CURRENT_TO_PLAYLIST: Final = "SpotifyAddCurrentToPlaylist"
INTENT_PLAY: Final = "SpotifyPlay"
INTENT_PAUSE: Final = "SpotifyPause"
INTENT_RESUME: Final = "SpotifyResume"
INTENT_NEXT: Final = "SpotifyNext"
INTENT_PREVIOUS: Final = "SpotifyPrevious"

SLOT_NAME: Final = "name"
SLOT_MEDIA_TYPE: Final = "media_type"
SLOT_DEVICE: Final = "device"
SLOT_AREA: Final = "area"
# Filled by Home Assistant: the area of the satellite (or device) the request came from.
SLOT_PREFERRED_AREA: Final = "preferred_area_id"
SLOT_PLAYLIST: Final = "playlist"
# What can be played by name: each is a kind Spotify searches for (SearchType).
MEDIA_TYPES: Final = ("playlist", "album", "artist", "track", "audiobook")
DEFAULT_MEDIA_TYPE: Final = "track"

type Answer = tuple[str, dict[str, str]]


class SpotifyIntent(intent.IntentHandler):
    """Answers in the request's language; our errors become spoken answers."""

    # LLM agents are offered the tools while a media player is exposed to them.
    platforms = {MEDIA_PLAYER_DOMAIN}  # noqa: RUF012 - a class attribute in HA's IntentHandler
    response_type = intent.IntentResponseType.ACTION_DONE

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Validate the slots, run the request, and say how it went."""
        slots = self.async_validate_slots(intent_obj.slots)
        values = {name: slot["value"] for name, slot in slots.items() if name in self._slots()}
        answers = await async_answers(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        try:
            key, placeholders = await self.async_answer(intent_obj, values, answers)
        except VoiceError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                answers.say(err.key, **err.placeholders),
            )
        except HomeAssistantError as err:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE, answers.error(err)
            )
        else:
            response.response_type = self.response_type
            response.async_set_speech(answers.say(key, **placeholders))
            response.async_set_speech_slots(placeholders)
        return response

    def _slots(self) -> set[str]:
        return {str(key) for key in self.slot_schema or {}}

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """Do what the intent asks; the answer's key and placeholders."""
        raise NotImplementedError


def _playing(entry: SpotifyWebApiConfigEntry) -> Playable:
    """The item loaded on the account (playing or paused)."""
    playback = entry.runtime_data.coordinator.data.playback
    if playback is None or playback.item is None or playback.item.uri is None:
        raise VoiceError("voice_nothing_playing")
    return playback.item


def _title(item: Playable) -> str:
    return item.name or ""


async def _act(
    hass: HomeAssistant, intent_obj: intent.Intent, action: str, data: dict[str, Any]
) -> dict[str, Any] | None:
    """Run one of our actions, as the user whose request this is."""
    response = await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        context=intent_obj.context,
        return_response=action == SERVICE_ADD_TO_PLAYLIST,
    )
    return None if response is None else dict(response)


class WhatsPlaying(SpotifyIntent):
    """What plays: title, artist, device."""

    intent_type = INTENT_WHATS_PLAYING
    description = "Tells what is playing on Spotify: the title, the artist and the device."
    response_type = intent.IntentResponseType.QUERY_ANSWER

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """Read the playback now (an answer must not be a poll old); say what the player shows.

        The player's title, artist and source are what the user sees in HA: the answer
        follows them (an episode's show, a chapter's authors); without the entity (disabled),
        the item itself is read.
        """
        hass = intent_obj.hass
        entry = accounts(hass)[0]
        coordinator = entry.runtime_data.coordinator
        await coordinator.async_refresh()
        item = _playing(entry)
        playback = coordinator.data.playback
        assert playback is not None  # noqa: S101 - _playing found an item
        player = _player(hass, entry)
        state = hass.states.get(player) if player is not None else None
        shown: Mapping[str, Any] = {} if state is None else state.attributes
        summary = item_summary(item) or {}
        artists = summary.get("artists") or ([summary["show"]] if summary.get("show") else [])
        device = playback.device.name if playback.device is not None else None
        return (
            "voice_now_playing" if playback.is_playing else "voice_now_paused",
            {
                "title": str(shown.get(ATTR_MEDIA_TITLE) or _title(item)),
                "artist": str(
                    shown.get(ATTR_MEDIA_ARTIST)
                    or ", ".join(artists)
                    or answers.say("voice_artist_unknown")
                ),
                "device": str(
                    shown.get(ATTR_INPUT_SOURCE) or device or answers.say("voice_device_unknown")
                ),
            },
        )


def _player(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> str | None:
    """The entity id of the account's media player."""
    account = str(entry.runtime_data.coordinator.data.user.id or entry.unique_id)
    return er.async_get(hass).async_get_entity_id(MEDIA_PLAYER_DOMAIN, DOMAIN, account)


class SaveCurrent(SpotifyIntent):
    """Save the item playing to the library."""

    intent_type = INTENT_SAVE_CURRENT
    description = "Saves the track or episode playing on Spotify to the user's library (likes it)."
    action = SERVICE_SAVE_TO_LIBRARY
    answer = "voice_saved"

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """The library action with the item's URI: what is said is what was saved."""
        entry = accounts(intent_obj.hass)[0]
        item = _playing(entry)
        data = {ATTR_CONFIG_ENTRY_ID: entry.entry_id, ATTR_URIS: [item.uri]}
        await _act(intent_obj.hass, intent_obj, self.action, data)
        return self.answer, {"title": _title(item)}


class RemoveCurrent(SaveCurrent):
    """Remove the item playing from the library."""

    intent_type = INTENT_REMOVE_CURRENT
    description = "Removes the track or episode playing on Spotify from the user's library."
    action = SERVICE_REMOVE_FROM_LIBRARY
    answer = "voice_removed"


class AddCurrentToPlaylist(SpotifyIntent):
    """Add the item playing to one of the user's playlists, named."""

    intent_type = INTENT_ADD_CURRENT_TO_PLAYLIST
    description = (
        "Adds the track or episode playing on Spotify to one of the user's own playlists, "
        "given by its name."
    )

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The playlist's name."""
        return {vol.Required(SLOT_PLAYLIST): intent.non_empty_string}

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """The add_to_playlist action, which finds the playlist by name as it always does."""
        entry = accounts(intent_obj.hass)[0]
        item = _playing(entry)
        playlist = str(values[SLOT_PLAYLIST]).strip()
        if playlist.casefold().startswith(("spotify:", "http")):
            raise VoiceError("voice_failed")  # a name is asked for; a link is not read out
        data = {
            ATTR_CONFIG_ENTRY_ID: entry.entry_id,
            ATTR_PLAYLIST: playlist,
            ATTR_URIS: [item.uri],
        }
        await _act(intent_obj.hass, intent_obj, SERVICE_ADD_TO_PLAYLIST, data)
        return "voice_added_to_playlist", {"title": _title(item), "playlist": playlist}


class Play(SpotifyIntent):
    """Play something by name, on a named device or in an area."""

    intent_type = INTENT_PLAY
    description = (
        "Plays a playlist, album, artist, track or audiobook on Spotify, found by name. "
        "Optionally on a Spotify device named by the user, or in an area of the home "
        "(a Spotify device linked to a media player there); without either, in the area "
        "the request comes from when a device is linked there. Sleeping devices are woken."
    )

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The name, and optionally its type and where to play it."""
        return {
            vol.Required(SLOT_NAME): intent.non_empty_string,
            vol.Optional(SLOT_MEDIA_TYPE): vol.In(MEDIA_TYPES),
            vol.Optional(SLOT_DEVICE): cv.string,
            vol.Optional(SLOT_AREA): cv.string,
            vol.Optional(SLOT_PREFERRED_AREA): cv.string,
        }

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """Find the item, then the play action on the device (woken by the action if asleep)."""
        hass = intent_obj.hass
        entries = accounts(hass)
        target: Target | None = None
        if values.get(SLOT_DEVICE):
            target = await device_named(entries, str(values[SLOT_DEVICE]))
        elif values.get(SLOT_AREA):
            target = device_in_area(hass, entries, area_named(hass, str(values[SLOT_AREA])))
        elif values.get(SLOT_PREFERRED_AREA):
            target = _near(hass, entries, str(values[SLOT_PREFERRED_AREA]))
        entry = entries[0] if target is None else target.entry
        kind = search_type(values.get(SLOT_MEDIA_TYPE, DEFAULT_MEDIA_TYPE))
        name = str(values[SLOT_NAME]).strip()
        with spotify_errors(hass, entry):
            uri, title = await self._find(entry, name, kind)
        data: dict[str, Any] = {ATTR_CONFIG_ENTRY_ID: entry.entry_id}
        data |= {ATTR_URIS: [uri]} if kind in PLAYS_AS_LIST else {ATTR_CONTEXT_URI: uri}
        if target is not None:
            data[ATTR_DEVICE] = target.device
        await _act(hass, intent_obj, SERVICE_PLAY, data)
        device = target.name if target is not None else _active_device(entry)
        if device is None:
            return "voice_playing_somewhere", {"name": title}
        return "voice_playing", {"name": title, "device": device}

    @staticmethod
    async def _find(
        entry: SpotifyWebApiConfigEntry, name: str, kind: SearchType
    ) -> tuple[str, str]:
        """A playlist of the user's own by that name first; else Spotify's best match."""
        api = entry.runtime_data.api
        if kind is SearchType.PLAYLIST and (mine := await playlists_named(api, name)):
            return str(mine[0].uri), mine[0].name or name
        return await best_item(api, name, kind)


def _near(
    hass: HomeAssistant, entries: list[SpotifyWebApiConfigEntry], area_id: str
) -> Target | None:
    """The device linked in the area the request came from, if any (else: where it plays)."""
    area = ar.async_get(hass).async_get_area(area_id)
    if area is None:
        return None
    try:
        return device_in_area(hass, entries, area)
    except VoiceError:
        return None


def _active_device(entry: SpotifyWebApiConfigEntry) -> str | None:
    device = entry.runtime_data.coordinator.data.active_device
    return None if device is None else device.name


class PlayerCommand(SpotifyIntent):
    """A media player command to the account's player, for "… Spotify" requests."""

    service: str
    answer: str
    # What the command needs: something loaded (paused or playing), or playing.
    needs_loaded = True
    needs_playing = False

    async def async_answer(
        self, intent_obj: intent.Intent, values: dict[str, Any], answers: Answers
    ) -> Answer:
        """Call the player's service: the entity shows the change as for any other caller."""
        hass = intent_obj.hass
        entry = accounts(hass)[0]
        playback = entry.runtime_data.coordinator.data.playback
        playing = playback is not None and playback.is_playing
        if (self.needs_loaded and playback is None) or (self.needs_playing and not playing):
            raise VoiceError("voice_nothing_playing")
        if self.already_done(playing=playing):
            return self.answer, {}
        player = _player(hass, entry)
        if player is None:
            raise VoiceError("voice_failed")
        await hass.services.async_call(
            MEDIA_PLAYER_DOMAIN,
            self.service,
            {ATTR_ENTITY_ID: player},
            blocking=True,
            context=intent_obj.context,
        )
        return self.answer, {}

    def already_done(self, *, playing: bool) -> bool:
        """Whether there is nothing to send."""
        return False


class Pause(PlayerCommand):
    """Pause Spotify."""

    intent_type = INTENT_PAUSE
    description = "Pauses Spotify."
    service = "media_pause"
    answer = "voice_paused"
    needs_playing = True


class Resume(PlayerCommand):
    """Resume Spotify."""

    intent_type = INTENT_RESUME
    description = "Resumes Spotify where it was paused (or where it played last)."
    service = "media_play"
    answer = "voice_resumed"
    # With nothing loaded, the player starts on the device used last.
    needs_loaded = False

    def already_done(self, *, playing: bool) -> bool:
        """Playing already: Spotify would refuse to resume what plays."""
        return playing


class Next(PlayerCommand):
    """Skip to the next item."""

    intent_type = INTENT_NEXT
    description = "Skips to the next track or episode on Spotify."
    service = "media_next_track"
    answer = "voice_next"


class Previous(PlayerCommand):
    """Go back to the previous item."""

    intent_type = INTENT_PREVIOUS
    description = "Goes back to the previous track or episode on Spotify."
    service = "media_previous_track"
    answer = "voice_previous"


HANDLERS: Final = (
    WhatsPlaying,
    SaveCurrent,
    RemoveCurrent,
    AddCurrentToPlaylist,
    Play,
    Pause,
    Resume,
    Next,
    Previous,
)


@callback
def async_setup_intents(hass: HomeAssistant) -> None:
    """Register every intent (once, from async_setup)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler())
