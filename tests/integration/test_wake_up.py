"""Play on a sleeping device: its wake-up action runs, then the command waits until it is listed."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.spotify_webapi.const import (
    DOMAIN,
    WAKE_UP_READ_INTERVAL,
    WAKE_UP_READ_MAX_INTERVAL,
)
from tests.simulator.ids import uri
from tests.simulator.simulator import WAKE_PATH

from .conftest import setup_entry
from .helpers import ALICE, act, api_calls, confirm, media, next_poll, state
from .sleepers import (
    BROKEN_SCRIPT,
    KITCHEN,
    PLUG,
    WAKE_SCRIPT,
    add_speaker,
    put_to_sleep,
    setup_wake_up_tools,
    with_wake_up,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import LoggedRequest, SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

DEVICES = ("GET", "/v1/me/player/devices")


@pytest.fixture
async def asleep(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry has seen the kitchen speaker, which is asleep now; wake-up tools exist."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)
    sim.clear_requests()
    return config_entry


def album(sim: SpotifySimulator) -> str:
    return uri("album", next(iter(sim.world.catalogue.albums)))


async def play_in_kitchen(
    hass: HomeAssistant, entry: MockConfigEntry, sim: SpotifySimulator
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "play",
        {"config_entry_id": entry.entry_id, "context_uri": album(sim), "device": KITCHEN},
        blocking=True,
    )


def device_reads(sim: SpotifySimulator) -> list[LoggedRequest]:
    return [r for r in sim.requests if (r.method, r.path) == DEVICES]


def commands(sim: SpotifySimulator) -> list[tuple[str, str]]:
    """Every request that changes something at Spotify."""
    return [(m, p) for m, p, _, _ in api_calls(sim) if m != "GET"]


def playing_on(sim: SpotifySimulator, name: str) -> bool:
    player = sim.player("alice")
    playing = player.playback is not None and player.playback.is_playing
    return playing and player.active is not None and player.active.name == name


async def test_play_runs_the_script_then_plays_once_the_device_is_listed(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with_wake_up(hass, asleep, WAKE_SCRIPT)
    started = time.monotonic()
    await play_in_kitchen(hass, asleep, sim)
    took = time.monotonic() - started

    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)
    assert sim.player("alice").playback.context_uri == album(sim)  # type: ignore[union-attr]
    kitchen = sim.player("alice").named(KITCHEN)
    plays = [(m, p, q) for m, p, q, _ in api_calls(sim) if m == "PUT"]
    assert plays == [("PUT", "/v1/me/player/play", {"device_id": kitchen.id})]
    # Read once to see it is not listed, then once WAKE_UP_READ_INTERVAL after the script.
    assert len(device_reads(sim)) == 2
    assert WAKE_UP_READ_INTERVAL <= took < WAKE_UP_READ_INTERVAL + 2
    await confirm(hass)
    assert state(hass).attributes["source"] == KITCHEN


async def test_select_source_turns_the_plug_on_and_moves_playback(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with_wake_up(hass, asleep, PLUG)
    assert f"{KITCHEN} (offline)" in state(hass).attributes["source_list"]
    assert KITCHEN not in state(hass).attributes["source_list"]

    await media(hass, "select_source", source=f"{KITCHEN} (offline)")

    assert hass.states.get(PLUG).state == "on"  # type: ignore[union-attr]
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)  # Alice was playing: she keeps playing, in the kitchen
    assert ("PUT", "/v1/me/player") in commands(sim)
    source_list = state(hass).attributes["source_list"]
    assert KITCHEN in source_list
    assert f"{KITCHEN} (offline)" not in source_list


async def test_commands_for_the_same_device_share_one_wake_up(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with_wake_up(hass, asleep, WAKE_SCRIPT)
    await asyncio.gather(
        play_in_kitchen(hass, asleep, sim),
        hass.services.async_call(
            DOMAIN,
            "transfer_playback",
            {"config_entry_id": asleep.entry_id, "device": KITCHEN, "play": True},
            blocking=True,
        ),
    )
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)
    # Each command read the list once before waking; the shared wait read it once more.
    assert len(device_reads(sim)) == 3


async def test_a_device_that_returns_with_a_new_id_is_one_device(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    new_id = "f" * 40
    speaker = add_speaker(sim, new_id=new_id)
    old_id = speaker.id
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)
    with_wake_up(hass, config_entry, WAKE_SCRIPT)

    # The old id still names it: Spotify's list does not, the remembered record does.
    await hass.services.async_call(
        DOMAIN,
        "transfer_playback",
        {"config_entry_id": config_entry.entry_id, "device": old_id, "play": True},
        blocking=True,
    )

    assert playing_on(sim, KITCHEN)
    assert sim.player("alice").active.id == new_id  # type: ignore[union-attr]
    remembered = config_entry.runtime_data.coordinator.remembered
    kitchens = [d for d in remembered.devices if d.name == KITCHEN]
    assert [(d.key, d.id) for d in kitchens] == [(old_id, new_id)]
    await confirm(hass)
    assert state(hass).attributes["source_list"].count(KITCHEN) == 1


async def test_without_a_wake_up_action_nothing_is_sent(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await play_in_kitchen(hass, asleep, sim)
    assert caught.value.translation_key == "device_asleep"
    assert caught.value.translation_placeholders == {"device": KITCHEN}
    assert "Remembered devices" in str(caught.value)
    assert commands(sim) == []
    assert sim.wake_signals == []


async def never_waking(
    hass: HomeAssistant, sim: SpotifySimulator, entry: MockConfigEntry, wait: int
) -> None:
    """The kitchen speaker sleeps and never signs in; its wake-up script waits ``wait`` s."""
    add_speaker(sim, wakes=False)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, entry)
    await put_to_sleep(hass, sim, entry)
    with_wake_up(hass, entry, WAKE_SCRIPT, wait=wait)
    sim.clear_requests()


async def test_a_device_that_never_wakes_fails_after_the_wait(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await never_waking(hass, sim, config_entry, wait=5)

    started = time.monotonic()
    with pytest.raises(HomeAssistantError) as caught:
        await play_in_kitchen(hass, config_entry, sim)
    took = time.monotonic() - started

    # The input was fine: the device failed, which is a service error, not a validation one.
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "device_did_not_wake"
    assert caught.value.translation_placeholders == {
        "device": KITCHEN,
        "entity": WAKE_SCRIPT,
        "seconds": "5",
    }
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert commands(sim) == []
    # One read before waking, then reads 2 s and 3 s apart: at most one every 2 s.
    assert len(device_reads(sim)) == 3
    assert 5 <= took < 6.5


async def test_a_long_wait_reads_the_devices_at_a_growing_pace_capped_at_five_seconds(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    """The reads back off from 2 s and never come further apart than 5 s (nor closer)."""
    await never_waking(hass, sim, config_entry, wait=20)

    with pytest.raises(HomeAssistantError) as caught:
        await play_in_kitchen(hass, config_entry, sim)

    assert caught.value.translation_key == "device_did_not_wake"
    reads = [r.at for r in device_reads(sim)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(reads[1:])]
    assert len(gaps) >= 4, gaps
    assert gaps[0] >= WAKE_UP_READ_INTERVAL * 1.4  # it grows: 2 s, then 3 s...
    assert all(
        WAKE_UP_READ_INTERVAL - 0.2 <= gap <= WAKE_UP_READ_MAX_INTERVAL + 0.5 for gap in gaps
    )
    assert max(gaps) >= WAKE_UP_READ_MAX_INTERVAL - 0.2  # ...up to the cap, and no further


async def test_a_missing_wake_up_entity_is_a_clear_error_and_the_player_keeps_working(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with_wake_up(hass, asleep, "switch.unplugged_long_ago")
    with pytest.raises(ServiceValidationError) as caught:
        await play_in_kitchen(hass, asleep, sim)
    assert caught.value.translation_key == "wake_up_entity_missing"
    assert "switch.unplugged_long_ago" in str(caught.value)
    assert commands(sim) == []

    await media(hass, "media_pause")
    assert state(hass).state == "paused"
    assert asleep.runtime_data.coordinator.remembered.find(KITCHEN) is not None


async def test_a_failing_script_is_a_clear_error(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with_wake_up(hass, asleep, BROKEN_SCRIPT)
    with pytest.raises(HomeAssistantError) as caught:
        await play_in_kitchen(hass, asleep, sim)
    assert caught.value.translation_key == "wake_up_failed"
    assert caught.value.translation_placeholders["entity"] == BROKEN_SCRIPT
    assert KITCHEN in str(caught.value)
    assert commands(sim) == []
    assert sim.wake_signals == []
    await media(hass, "media_pause")
    assert state(hass).state == "paused"


async def test_an_unknown_device_is_refused(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "transfer_playback",
            {"config_entry_id": asleep.entry_id, "device": "Garage"},
            blocking=True,
        )
    assert caught.value.translation_key == "unknown_device"
    with pytest.raises(ServiceValidationError) as unknown_source:
        await media(hass, "select_source", source="Garage (offline)")
    assert unknown_source.value.translation_key == "unknown_source"
    assert commands(sim) == []


async def test_turn_off_pauses_and_turn_on_resumes_on_the_sleeping_last_device(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await media(hass, "select_source", source=KITCHEN)
    await confirm(hass)
    features = state(hass).attributes["supported_features"]
    assert features & 256  # TURN_OFF while playing
    assert features & 128  # and TURN_ON beside it, so that HA offers toggle
    sim.clear_requests()
    await media(hass, "turn_on")  # already on: nothing is sent
    assert commands(sim) == []

    await media(hass, "turn_off")
    assert not sim.player("alice").playback.is_playing  # type: ignore[union-attr]
    assert state(hass).state == "paused"
    assert state(hass).attributes["supported_features"] & 128

    # The speaker sleeps; Spotify forgets the playback on it.
    sim.player("alice").put_to_sleep(KITCHEN)
    # A pause needs no confirming read: the next regular poll sees the speaker gone.
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state(hass).state == "idle"
    assert state(hass).attributes["supported_features"] & 128  # it can resume on the kitchen
    with_wake_up(hass, config_entry, PLUG)
    sim.clear_requests()

    await media(hass, "turn_on")

    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)
    kitchen_id = sim.player("alice").named(KITCHEN).id
    transfers = [b for m, p, _, b in api_calls(sim) if (m, p) == ("PUT", "/v1/me/player")]
    assert transfers == [{"device_ids": [kitchen_id], "play": True}]
    await confirm(hass)
    assert state(hass).state == "playing"
    assert state(hass).attributes["source"] == KITCHEN


async def test_turn_on_resumes_where_paused_and_needs_a_last_device(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    await media(hass, "media_pause")
    await media(hass, "turn_on")
    assert sim.player("alice").playback.is_playing  # type: ignore[union-attr]

    player = sim.player("alice")
    player.active, player.playback = None, None
    config_entry.runtime_data.coordinator.remembered.forget(
        config_entry.runtime_data.coordinator.remembered.last_used.key  # type: ignore[union-attr]
    )
    await confirm(hass)
    assert state(hass).state == "idle"
    assert not state(hass).attributes["supported_features"] & 128
    # HA refuses the action itself now; should a caller reach the entity, it explains.
    entity = hass.data["media_player"].get_entity(ALICE)
    with pytest.raises(ServiceValidationError) as caught:
        await entity.async_turn_on()
    assert caught.value.translation_key == "no_last_device"


async def test_a_passing_failure_while_waiting_counts_as_not_listed_yet(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim, after=2.5)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)
    with_wake_up(hass, config_entry, WAKE_SCRIPT)
    sim.clear_requests()
    # The read 2 s into the wait meets a 503; the one 3 s later finds the speaker.
    hass.loop.call_later(1, sim.fail_next, "/v1/me/player/devices", 503)

    await play_in_kitchen(hass, config_entry, sim)

    assert playing_on(sim, KITCHEN)
    assert [r.status for r in device_reads(sim)] == [200, 503, 200]


async def test_turn_on_moves_to_the_last_device_when_it_is_awake(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await media(hass, "select_source", source=KITCHEN)
    await confirm(hass)
    player = sim.player("alice")
    player.pause(None)
    player.active = None  # Spotify let go of the speaker, which stays on
    await next_poll(hass, config_entry)
    assert state(hass).state == "idle"

    await media(hass, "turn_on")

    assert sim.wake_signals == []
    assert playing_on(sim, KITCHEN)


async def test_queueing_on_an_unknown_or_restricted_device_is_refused(
    hass: HomeAssistant, sim: SpotifySimulator, asleep: MockConfigEntry
) -> None:
    track = uri("track", next(iter(sim.world.catalogue.tracks)))
    for device, key in (("Garage", "unknown_device"), ("Kitchen Echo", "device_not_controllable")):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN,
                "add_to_queue",
                {"config_entry_id": asleep.entry_id, "uri": track, "device": device},
                blocking=True,
            )
        assert caught.value.translation_key == key
    assert commands(sim) == []


async def test_toggle_pauses_resumes_and_starts_on_the_sleeping_last_device(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    """media_player.toggle in each state, through HA's own service, checked at Spotify."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await media(hass, "select_source", source=KITCHEN)
    await confirm(hass)

    await media(hass, "toggle")  # playing: pause
    assert sim.player("alice").playback.is_playing is False  # type: ignore[union-attr]
    assert state(hass).state == "paused"

    await media(hass, "toggle")  # paused: resume where it was
    assert sim.player("alice").playback.is_playing is True  # type: ignore[union-attr]
    assert playing_on(sim, KITCHEN)
    await confirm(hass)

    await media(hass, "toggle")
    sim.player("alice").put_to_sleep(KITCHEN)
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state(hass).state == "idle"
    with_wake_up(hass, config_entry, PLUG)

    await media(hass, "toggle")  # idle: start on the device used last, woken first
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)
    await confirm(hass)
    assert state(hass).state == "playing"


@pytest.fixture
async def dozed_off(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The kitchen speaker was listed at the last read and has gone to standby since."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    assert any(d.name == KITCHEN for d in config_entry.runtime_data.coordinator.listed_devices)
    sim.player("alice").put_to_sleep(KITCHEN)  # not read since: still listed for us
    sim.clear_requests()
    return config_entry


@pytest.mark.parametrize("how", ["play", "transfer_playback", "select_source"])
async def test_a_speaker_that_fell_asleep_since_the_last_read_is_woken_and_sent_again(
    hass: HomeAssistant, sim: SpotifySimulator, dozed_off: MockConfigEntry, how: str
) -> None:
    with_wake_up(hass, dozed_off, WAKE_SCRIPT)
    kitchen = sim.player("alice").named(KITCHEN)
    if how == "play":
        await play_in_kitchen(hass, dozed_off, sim)
    elif how == "transfer_playback":
        await hass.services.async_call(
            DOMAIN,
            "transfer_playback",
            {"config_entry_id": dozed_off.entry_id, "device": KITCHEN, "play": True},
            blocking=True,
        )
    else:
        await media(hass, "select_source", source=KITCHEN)

    assert sim.wake_signals == [("alice", KITCHEN)]
    assert sim.player("alice").active is not None
    assert sim.player("alice").active.name == KITCHEN  # type: ignore[union-attr]
    sent = [r.status for r in sim.requests if r.path.startswith("/v1/") and r.method != "GET"]
    if how == "select_source":
        assert sent == [204]  # choosing a source reads the list fresh: asleep is seen first
    else:
        assert sent == [404, 204]  # the command met 404, then went through after the wake-up
    # At most one device read before the wake-up signal; the waker's own reads follow it.
    signal = next(r.at for r in sim.requests if r.path == WAKE_PATH)
    assert len([r for r in device_reads(sim) if r.at < signal]) == 1
    assert kitchen.id is not None


async def test_a_speaker_that_fell_asleep_without_a_wake_up_action_is_named(
    hass: HomeAssistant, sim: SpotifySimulator, dozed_off: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await play_in_kitchen(hass, dozed_off, sim)
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "device_unreachable"
    assert caught.value.translation_placeholders == {"device": KITCHEN}
    assert KITCHEN in str(caught.value)
    assert sim.wake_signals == []


async def test_restore_wakes_the_snapshots_sleeping_speaker(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    """The snapshot was taken on the kitchen speaker, which sleeps now and nothing plays."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await media(hass, "select_source", source=KITCHEN)
    await confirm(hass)
    await act(hass, config_entry, "snapshot", name="evening")
    player = sim.player("alice")
    player.put_to_sleep(KITCHEN)
    player.active, player.playback = None, None  # and nothing else is active
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()

    # Without a wake-up action the error says which device the snapshot needs.
    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, config_entry, "restore", name="evening")
    assert caught.value.translation_key == "snapshot_device_missing"
    assert caught.value.translation_placeholders == {"device": KITCHEN, "name": "evening"}
    assert sim.wake_signals == []

    with_wake_up(hass, config_entry, WAKE_SCRIPT)
    await act(hass, config_entry, "restore", name="evening")
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert playing_on(sim, KITCHEN)
