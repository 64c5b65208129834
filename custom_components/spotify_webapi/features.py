"""Which media player features Spotify allows now: by the active device and `actions.disallows`.

Never by the account's `product` (Spotify omits it since 2026).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player.const import MediaPlayerEntityFeature

if TYPE_CHECKING:
    from collections.abc import Callable

    from .webapi import Device, Disallows, PlaybackState

Feature = MediaPlayerEntityFeature
# SEARCH_MEDIA arrived in HA 2025.5; on 2025.4 the player simply does not offer it.
SEARCH_MEDIA: Final = getattr(Feature, "SEARCH_MEDIA", Feature(0))
ALWAYS: Final = Feature.BROWSE_MEDIA | Feature.SELECT_SOURCE | SEARCH_MEDIA
START: Final = Feature.PLAY | Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE
CONTROLS: Final = (
    Feature.PAUSE
    | Feature.SEEK
    | Feature.NEXT_TRACK
    | Feature.PREVIOUS_TRACK
    | Feature.SHUFFLE_SET
    | Feature.REPEAT_SET
)
VOLUME: Final = Feature.VOLUME_SET | Feature.VOLUME_STEP | Feature.VOLUME_MUTE
# What Spotify's `actions.disallows` takes away. Queueing goes through play_media too, so
# it goes with it. Repeat is one control in HA for two flags: it goes when both modes are
# disallowed; with one, the player refuses just that mode.
DISALLOWED: Final[tuple[tuple[MediaPlayerEntityFeature, Callable[[Disallows], bool]], ...]] = (
    (Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE, lambda d: d.interrupting_playback),
    (Feature.SELECT_SOURCE, lambda d: d.transferring_playback),
    (Feature.PLAY, lambda d: d.resuming),
    (Feature.PAUSE, lambda d: d.pausing),
    (Feature.SEEK, lambda d: d.seeking),
    (Feature.NEXT_TRACK, lambda d: d.skipping_next),
    (Feature.PREVIOUS_TRACK, lambda d: d.skipping_prev),
    (Feature.SHUFFLE_SET, lambda d: d.toggling_shuffle),
    (Feature.REPEAT_SET, lambda d: d.toggling_repeat_context and d.toggling_repeat_track),
)


def repeat_disallowed(disallows: Disallows, current: str, wanted: str) -> bool:
    """Whether Spotify refuses going from repeat mode ``current`` to ``wanted`` now.

    Entering a mode toggles it on and leaving one toggles it off (modes: off, context, track).
    """
    flags = {"context": disallows.toggling_repeat_context, "track": disallows.toggling_repeat_track}
    return wanted != current and (flags.get(wanted, False) or flags.get(current, False))


def power_features(
    device: Device | None, playback: PlaybackState | None, *, can_resume_last: bool
) -> MediaPlayerEntityFeature:
    """On and off as a pair, so HA offers toggle: on is playing, off is paused or idle.

    Offered while one of them means something: pausing what plays, resuming what is
    paused, or starting on the device used last when nothing is active.
    """
    power = Feature.TURN_ON | Feature.TURN_OFF
    if device is not None and device.is_restricted:
        return Feature(0)
    if playback is not None and device is not None:
        disallowed = (
            playback.disallows.pausing if playback.is_playing else playback.disallows.resuming
        )
        return Feature(0) if disallowed else power
    return power if can_resume_last else Feature(0)


def player_features(
    device: Device | None, playback: PlaybackState | None
) -> MediaPlayerEntityFeature:
    """Restricted devices allow moving away only; otherwise what Spotify does not disallow."""
    if device is not None and device.is_restricted:
        return ALWAYS
    if playback is None:
        return ALWAYS | START
    features = ALWAYS | START | CONTROLS
    if device is not None and device.supports_volume:
        features |= VOLUME
    for feature, disallowed in DISALLOWED:
        if disallowed(playback.disallows):
            features &= ~feature
    return features
