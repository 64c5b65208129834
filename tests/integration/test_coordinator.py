"""The polling policy: intervals, the end of an item, the device cache, 429s, unavailability."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from homeassistant.const import STATE_PLAYING, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_webapi.const import (
    CONF_IDLE_INTERVAL,
    CONF_LINKED_PLAYERS,
    CONF_PLAYING_INTERVAL,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DEVICES_REFRESH_INTERVAL,
    QUICK_RETRY_DELAY,
)
from custom_components.spotify_webapi.polling_policy import (
    AFTER_CHANGE_POLLS,
    AFTER_CHANGE_WINDOW,
    HANDLED_UNSEEN_SHARE,
    LEFT_ALONE_LINKED_FACTOR,
    PAUSED_UNSEEN_INTERVAL,
    RECENT_STOP_INTERVAL,
)
from tests.simulator.devices import Device as SimDevice

from .conftest import setup_entry
from .helpers import api_calls, media, polls, set_options, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

SPEAKER = "media_player.living_room_speaker"


@pytest.fixture
async def alice(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> Any:
    """Alice's entry on a frozen clock (the simulator's too), with the request log cleared."""
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    return config_entry


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let ``seconds`` pass for HA and the simulator alike, and run what fell due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def interval(entry: MockConfigEntry) -> float:
    update_interval = entry.runtime_data.coordinator.update_interval
    assert update_interval is not None
    return float(update_interval.total_seconds())


def device_reads(sim: SpotifySimulator) -> int:
    return len([r for r in sim.requests if r.path == "/v1/me/player/devices"])


async def test_playing_polls_every_playing_interval_and_when_the_item_ends(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert interval(alice) == DEFAULT_PLAYING_INTERVAL  # 42 s into a 199 s track
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    duration = player.duration_ms(playback.item_uri)
    # At the next poll (31 s from now) 5 s of the track will be left.
    wait = DEFAULT_PLAYING_INTERVAL + 1
    player.load(playback.context_uri, index=3, position_ms=duration - 5_000 - wait * 1000)

    await tick(hass, freezer, wait)
    assert len(polls(sim)) == 1
    # The item ends in 5 s: poll 1 s after that, not 30 s later.
    assert interval(alice) == pytest.approx(6, abs=0.01)

    await tick(hass, freezer, 4.5)
    assert len(polls(sim)) == 1
    await tick(hass, freezer, 2)
    assert len(polls(sim)) == 2
    assert state(hass).attributes["media_content_id"] == playback.items[4]
    assert state(hass).attributes["media_position"] <= 2
    assert interval(alice) == DEFAULT_PLAYING_INTERVAL


async def waits_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, seconds: float
) -> list[tuple[float, float]]:
    """(Seconds passed, wait before the next poll) at every poll, from poll to poll."""
    waits, passed = [], 0.0
    while passed < seconds:
        wait = interval(entry)
        waits.append((passed, wait))
        await tick(hass, freezer, wait + 0.5)
        passed += wait + 0.5
    return waits


def after_the_first_polls(waits: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The waits after the quick polls that follow a pause (15, 30 and 60 s after it)."""
    ladder = [b - a for a, b in itertools.pairwise((0.0, *AFTER_CHANGE_POLLS))]
    assert ladder == [15, 15, 30]
    # Each counts from the stop, so a poll run late does not delay the next one.
    assert [wait for _, wait in waits[: len(ladder)]] == pytest.approx(ladder, abs=1)
    return waits[len(ladder) :]


async def test_a_pause_elsewhere_polls_sooner_for_an_hour_then_at_the_idle_interval(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert len(polls(sim)) == 1
    assert state(hass).state == "paused"

    # A resume or the session's end is likely soon; no speaker in HA would report it.
    waits = after_the_first_polls(await waits_until(hass, freezer, alice, 4000))
    within = {wait for passed, wait in waits if passed + wait < AFTER_CHANGE_WINDOW - 1}
    beyond = {wait for passed, wait in waits if passed > AFTER_CHANGE_WINDOW + 1}
    assert within == {PAUSED_UNSEEN_INTERVAL}
    assert beyond == {DEFAULT_IDLE_INTERVAL}
    assert len(polls(sim)) == len(waits) + 4
    assert state(hass).state == "paused"

    # The session ends: idle after paused is no stop, so no quicker polls.
    player.active, player.playback = None, None
    await tick(hass, freezer, DEFAULT_IDLE_INTERVAL + 1)
    assert state(hass).state == "idle"
    assert interval(alice) == DEFAULT_IDLE_INTERVAL


async def link_the_active_device(hass: HomeAssistant, sim: SpotifySimulator, entry: Any) -> None:
    """Link the device playing to a media player that shows it playing, as Cast would."""
    player = sim.player("alice")
    assert player.active is not None
    hass.states.async_set(SPEAKER, "playing", {"source": "Spotify"})
    set_options(hass, entry, {CONF_LINKED_PLAYERS: {str(player.active.id): SPEAKER}})
    await hass.async_block_till_done()


async def test_paused_on_a_linked_speaker_polls_at_the_idle_interval(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Its own integration reports a resume or the session's end: no quicker polls."""
    await link_the_active_device(hass, sim, alice)
    sim.player("alice").pause(None)
    await tick(hass, freezer, LEFT_ALONE_LINKED_FACTOR * DEFAULT_PLAYING_INTERVAL + 1)
    assert len(polls(sim)) == 1
    assert state(hass).state == "paused"

    waits = await waits_until(hass, freezer, alice, 900)
    assert {wait for _, wait in waits} == {DEFAULT_IDLE_INTERVAL}


async def test_after_a_stop_with_nothing_active_polls_every_minute_for_an_hour(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new session is likely soon, on any device."""
    player = sim.player("alice")
    player.active, player.playback = None, None
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert len(polls(sim)) == 1
    assert state(hass).state == "idle"

    waits = await waits_until(hass, freezer, alice, 4000)
    assert {wait for passed, wait in waits if passed < 3500} == {RECENT_STOP_INTERVAL}
    assert {wait for passed, wait in waits if passed > 3700} == {DEFAULT_IDLE_INTERVAL}


async def test_a_change_elsewhere_on_an_unseen_device_polls_sooner_for_a_while(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Someone at the controls of an app HA cannot see is likely to change more."""
    player = sim.player("alice")
    assert player.active is not None
    player.repeat = "context"  # the album plays on through the test
    player.set_volume(None, 12)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert state(hass).attributes["volume_level"] == 0.12
    handled = HANDLED_UNSEEN_SHARE * DEFAULT_PLAYING_INTERVAL
    assert interval(alice) == pytest.approx(handled, abs=0.01)

    # Left alone for a quarter hour (items end on their own meanwhile): the usual pace.
    waits = await waits_until(hass, freezer, alice, 1200)
    regular = [wait for passed, wait in waits if passed > 900 and wait > 2]
    assert regular
    assert max(regular) == DEFAULT_PLAYING_INTERVAL


async def test_commands_from_home_assistant_are_no_change_elsewhere(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The confirming poll after a skip in HA sees a new item: that is no reason to hurry."""
    await media(hass, "media_next_track")
    await tick(hass, freezer, 3)
    assert len(polls(sim)) == 1
    assert interval(alice) == DEFAULT_PLAYING_INTERVAL


async def test_a_linked_speaker_left_alone_is_polled_at_twice_the_playing_interval(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Its integration reports a pause, a stop or a move at once; a skip waits longer."""
    await link_the_active_device(hass, sim, alice)
    await alice.runtime_data.coordinator.async_refresh()
    left_alone = LEFT_ALONE_LINKED_FACTOR * DEFAULT_PLAYING_INTERVAL
    assert interval(alice) == left_alone

    sim.player("alice").next(None)  # a skip on the speaker's own buttons
    await tick(hass, freezer, left_alone + 1)
    assert interval(alice) == DEFAULT_PLAYING_INTERVAL


async def test_a_resume_elsewhere_soon_after_a_pause_shows_within_the_short_wait(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    await tick(hass, freezer, 20)  # the 15 s poll, paused still
    player.play(None)
    assert len(polls(sim)) == 2
    await tick(hass, freezer, 11)  # 31 s after the stop was seen: the 30 s poll
    assert len(polls(sim)) == 3
    assert state(hass).state == STATE_PLAYING
    assert interval(alice) <= DEFAULT_PLAYING_INTERVAL


async def test_a_pause_and_a_resume_from_home_assistant_keep_the_regular_pace(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Who paused here likely resumes here, which shows at once: no quicker polls."""
    await media(hass, "media_pause")
    await tick(hass, freezer, DEFAULT_IDLE_INTERVAL + 1)
    assert len(polls(sim)) == 1
    assert state(hass).state == "paused"
    assert interval(alice) == DEFAULT_IDLE_INTERVAL

    await tick(hass, freezer, 45)  # paused, well past a playing interval since that poll
    await media(hass, "media_play")
    await media(hass, "shuffle_set", shuffle=True)
    assert state(hass).state == STATE_PLAYING
    # Shown whole: the next read is a playing interval away (HA's scheduler may run it up
    # to a second early), and the ones after follow.
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL - 2)
    assert len(polls(sim)) == 1
    for expected in (2, 3, 4):
        await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL)
        assert len(polls(sim)) == expected


async def test_intervals_come_from_the_options(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    set_options(hass, alice, {CONF_PLAYING_INTERVAL: 10, CONF_IDLE_INTERVAL: 200})
    await hass.async_block_till_done()
    assert interval(alice) == 10

    await media(hass, "media_pause")
    await alice.runtime_data.coordinator.async_refresh()
    assert interval(alice) == 200


async def test_the_idle_interval_bounds_the_waits_after_a_stop(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    set_options(hass, alice, {CONF_IDLE_INTERVAL: 30})
    await hass.async_block_till_done()
    sim.player("alice").pause(None)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    seen = []
    for _ in range(6):
        seen.append(interval(alice))
        await tick(hass, freezer, interval(alice) + 0.5)
    assert max(seen) == 30
    assert seen[:2] == [pytest.approx(15, abs=1)] * 2


async def test_devices_are_read_on_a_slow_interval_not_on_every_poll(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    polled = 0
    elapsed = 0.0
    while elapsed + DEFAULT_PLAYING_INTERVAL < DEVICES_REFRESH_INTERVAL - 60:
        await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
        elapsed += DEFAULT_PLAYING_INTERVAL + 1
        polled += 1
    assert len(polls(sim)) >= polled - 1  # tracks end meanwhile: even more polls
    assert device_reads(sim) == 0

    await tick(hass, freezer, 120)
    assert device_reads(sim) == 1


async def test_playback_on_an_unknown_device_reads_the_device_list(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    player = sim.player("alice")
    garage = SimDevice("c" * 40, "Garage", "Speaker", 20)
    player.devices.append(garage)
    player.active = garage  # moved there from another app

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)

    assert device_reads(sim) == 1
    assert "Garage" in state(hass).attributes["source_list"]
    assert state(hass).attributes["source"] == "Garage"
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert device_reads(sim) == 1


async def test_a_429_pauses_polling_and_commands_without_failing(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.spotify_webapi")
    coordinator = alice.runtime_data.coordinator
    before = state(hass)
    sim.fail_next("/v1/me/player", 429, retry_after=100)

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)

    assert [r.status for r in polls(sim)] == [429]
    assert coordinator.last_update_success  # skipped, not failed: the entity stays
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes["media_title"] == before.attributes["media_title"]
    assert interval(alice) == pytest.approx(101)

    # Every call of the entry waits: a command is refused without being sent.
    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "media_pause")
    assert caught.value.translation_key == "rate_limited"
    assert caught.value.translation_placeholders == {"seconds": "100"}
    assert len(api_calls(sim)) == 1

    await tick(hass, freezer, 95)
    assert len(api_calls(sim)) == 1
    await tick(hass, freezer, 7)
    assert [r.status for r in polls(sim)] == [429, 200]
    assert interval(alice) <= DEFAULT_PLAYING_INTERVAL  # back to the playing policy
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert len([m for m in messages if "rate-limits" in m]) == 1
    assert len([m for m in messages if "resumed" in m]) == 1


async def test_a_429_answering_a_command_holds_back_the_next_poll(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim.fail_next("/v1/me/player/next", 429, retry_after=50)
    with pytest.raises(HomeAssistantError):
        await media(hass, "media_next_track")

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)  # the regular poll falls due

    assert polls(sim) == []  # not sent: Spotify asked for 50 s
    assert alice.runtime_data.coordinator.last_update_success
    assert interval(alice) == pytest.approx(50 - DEFAULT_PLAYING_INTERVAL - 1 + 1, abs=0.01)
    await tick(hass, freezer, 20)
    assert [r.status for r in polls(sim)] == [200]


async def test_429_at_the_first_poll_retries_setup(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    sim.fail_next("/v1/me/player", 429, retry_after=5)

    await setup_entry(hass, config_entry)

    assert config_entry.state.recoverable
    assert config_entry.state.value == "setup_retry"


async def test_unavailable_while_unreachable_with_one_log_line_down_and_one_up(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.spotify_webapi")
    port = urlsplit(sim.base_url).port
    await sim.stop()

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert state(hass).state == STATE_PLAYING  # one failure is retried before it counts
    assert interval(alice) == QUICK_RETRY_DELAY
    await tick(hass, freezer, QUICK_RETRY_DELAY + 1)
    assert state(hass).state == STATE_UNAVAILABLE
    assert interval(alice) == DEFAULT_PLAYING_INTERVAL  # no quick retries while down
    for _ in range(2):
        await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
        assert state(hass).state == STATE_UNAVAILABLE

    await sim.start(port=port or 0)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)

    assert state(hass).state == STATE_PLAYING
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert len([m for m in messages if m.startswith("Error fetching")]) == 1
    assert len([m for m in messages if m.endswith("data recovered")]) == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 200, "body": b'{"device": '},  # cut short
        {"status": 200, "body": b"[1, 2]"},  # not an object
        {"status": 503},
        {"status": 500, "body": b"<html>Bad gateway</html>"},
    ],
    ids=["truncated-json", "malformed", "503", "html-500"],
)
async def test_one_bad_poll_is_retried_at_once_and_the_entity_stays(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    fault: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = state(hass)
    sim.fail_next("/v1/me/player", method="GET", **fault)

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert alice.runtime_data.coordinator.last_update_success
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes["media_title"] == before.attributes["media_title"]
    assert interval(alice) == QUICK_RETRY_DELAY
    await tick(hass, freezer, QUICK_RETRY_DELAY - 2)  # HA's timer may fire a second early
    assert len(polls(sim)) == 1

    await tick(hass, freezer, 3)
    assert len(polls(sim)) == 2
    assert polls(sim)[-1].status == 200
    assert state(hass).state == STATE_PLAYING
    assert interval(alice) <= DEFAULT_PLAYING_INTERVAL
    ours = [r for r in caplog.records if r.name.startswith(("custom_components", "homeassistant"))]
    assert not [r for r in ours if r.levelno >= logging.WARNING]


async def test_two_bad_polls_in_a_row_make_the_entity_unavailable(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim.fail_next("/v1/me/player", 200, method="GET", count=2, body=b"<html>")

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert state(hass).state == STATE_PLAYING
    await tick(hass, freezer, QUICK_RETRY_DELAY + 1)
    assert len(polls(sim)) == 2
    assert state(hass).state == STATE_UNAVAILABLE

    # The next poll comes at the usual pace and brings the entity back.
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL - 2)
    assert len(polls(sim)) == 2
    await tick(hass, freezer, 3)
    assert len(polls(sim)) == 3
    assert state(hass).state == STATE_PLAYING
    # A later single failure is again retried quietly.
    sim.fail_next("/v1/me/player", 502, method="GET")
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert state(hass).state == STATE_PLAYING
    assert interval(alice) == QUICK_RETRY_DELAY


@pytest.mark.parametrize("paused", [False, True], ids=["playing", "idle"])
async def test_saved_options_move_the_pending_poll_at_once(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    paused: bool,
) -> None:
    if paused:  # paused in HA: no faster polls after a stop elsewhere (tested above)
        await media(hass, "media_pause")
    await tick(hass, freezer, (DEFAULT_IDLE_INTERVAL if paused else DEFAULT_PLAYING_INTERVAL) + 1)
    assert len(polls(sim)) == 1
    sim.clear_requests()
    slow = {CONF_PLAYING_INTERVAL: 60, CONF_IDLE_INTERVAL: 600}
    fast = {CONF_PLAYING_INTERVAL: 10, CONF_IDLE_INTERVAL: 30}

    # Slower: the poll that was due within the old interval does not come.
    set_options(hass, alice, slow)
    await hass.async_block_till_done()
    await tick(hass, freezer, (DEFAULT_IDLE_INTERVAL if paused else DEFAULT_PLAYING_INTERVAL) + 1)
    assert polls(sim) == []

    # Faster: the next poll comes one new interval after saving, not when the old one was due.
    set_options(hass, alice, fast)
    await hass.async_block_till_done()
    new = fast[CONF_IDLE_INTERVAL if paused else CONF_PLAYING_INTERVAL]
    await tick(hass, freezer, new - 2)
    assert polls(sim) == []
    await tick(hass, freezer, 3)
    assert len(polls(sim)) == 1

    # A save that changes no option (e.g. a token save) leaves the schedule alone.
    set_options(hass, alice, dict(fast))
    await hass.async_block_till_done()
    await tick(hass, freezer, new - 2)
    assert len(polls(sim)) == 1
    await tick(hass, freezer, 3)
    assert len(polls(sim)) == 2


async def test_the_position_is_stamped_when_the_playback_answer_arrives(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    # The first poll reads the playing playlist after the playback; that read is slow.
    slow = 1.0
    sim.fail_next("/v1/playlists/*", None, delay=slow)
    before = dt_util.utcnow()

    await setup_entry(hass, config_entry)

    stamped = state(hass).attributes["media_position_updated_at"]
    paths = [r.path for r in sim.requests]
    # The slow playlist read came after the playback read of the same poll.
    assert paths.index("/v1/me/player") < max(
        i for i, path in enumerate(paths) if path.startswith("/v1/playlists/")
    )
    assert before <= stamped < before + timedelta(seconds=slow)


async def test_a_token_save_during_a_429_pause_does_not_end_the_pause(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim.fail_next("/v1/me/player", 429, retry_after=100)
    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert interval(alice) == pytest.approx(101)

    # HA's OAuth session saves a refreshed token into the entry (the update listener fires).
    token = {**alice.data["token"], "access_token": sim.issue_token("alice")["access_token"]}
    hass.config_entries.async_update_entry(alice, data={**alice.data, "token": token})
    await hass.async_block_till_done()
    assert interval(alice) == pytest.approx(101)
    # Options changed during the pause apply after it, without shortening it.
    set_options(hass, alice, {CONF_PLAYING_INTERVAL: 20})
    await hass.async_block_till_done()
    assert interval(alice) == pytest.approx(101)

    await tick(hass, freezer, 95)
    assert [r.status for r in polls(sim)] == [429]
    await tick(hass, freezer, 7)
    assert [r.status for r in polls(sim)] == [429, 200]
    assert interval(alice) <= 20


async def test_a_predicted_command_keeps_the_poll_schedule(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await tick(hass, freezer, 20)
    await media(hass, "volume_set", volume_level=0.3)
    await tick(hass, freezer, 2.5)
    assert polls(sim) == []  # shown whole: no confirming poll
    # The regular poll comes 30 s after the last one, as if there had been no command.
    await tick(hass, freezer, 8.5)
    assert len(polls(sim)) == 1
    assert state(hass).attributes["volume_level"] == 0.3


async def test_a_pause_moves_the_next_poll_to_the_idle_interval_at_once(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await tick(hass, freezer, 20)
    await media(hass, "media_pause")
    await tick(hass, freezer, 60)
    assert polls(sim) == []  # no poll at 30 s: nothing plays, the idle interval applies
    await tick(hass, freezer, 11)
    assert len(polls(sim)) == 1
    assert state(hass).state == "paused"


async def test_a_seek_brings_the_poll_at_the_end_of_the_item_closer(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    duration = player.duration_ms(playback.item_uri)
    await media(hass, "media_seek", seek_position=(duration - 10_000) / 1000)
    await tick(hass, freezer, 8)
    assert polls(sim) == []
    await tick(hass, freezer, 4)  # the item ends 10 s after the seek: read then, not at 30 s
    assert len(polls(sim)) == 1


async def test_a_regular_poll_after_commands_makes_the_confirming_one_needless(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await media(hass, "media_next_track")
    await alice.runtime_data.coordinator.async_refresh()  # a poll that sees the command
    assert len(polls(sim)) == 1
    await tick(hass, freezer, 5)
    assert len(polls(sim)) == 1  # so no confirming poll after it
