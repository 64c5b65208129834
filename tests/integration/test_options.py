"""The options flow: bounded polling intervals and restricted devices, applied without a reload."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.data_entry_flow import FlowResultType, InvalidData

from custom_components.spotify_webapi.const import (
    CONF_IDLE_INTERVAL,
    CONF_PLAYING_INTERVAL,
    CONF_SHOW_RESTRICTED_DEVICES,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DEFAULT_SHOW_RESTRICTED_DEVICES,
)

from .conftest import setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

pytestmark = pytest.mark.usefixtures("setup_credentials", "sim")


def defaults(result: dict[str, object]) -> dict[str, object]:
    """The form's default values, by field name."""
    schema = result["data_schema"]
    return {str(key): key.default() for key in schema.schema}  # type: ignore[attr-defined]


async def test_options_apply_without_a_reload(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    runtime = config_entry.runtime_data

    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert defaults(result) == {
        CONF_PLAYING_INTERVAL: DEFAULT_PLAYING_INTERVAL,
        CONF_IDLE_INTERVAL: DEFAULT_IDLE_INTERVAL,
        CONF_SHOW_RESTRICTED_DEVICES: DEFAULT_SHOW_RESTRICTED_DEVICES,
    }
    chosen = {CONF_PLAYING_INTERVAL: 3, CONF_IDLE_INTERVAL: 120, CONF_SHOW_RESTRICTED_DEVICES: True}
    result = await hass.config_entries.options.async_configure(result["flow_id"], chosen)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == chosen
    assert config_entry.runtime_data is runtime  # not reloaded
    assert runtime.coordinator.update_interval == timedelta(seconds=120)

    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert defaults(result) == chosen


@pytest.mark.parametrize(
    "bad",
    [
        {CONF_PLAYING_INTERVAL: 0},
        {CONF_PLAYING_INTERVAL: 61},
        {CONF_IDLE_INTERVAL: 4},
        {CONF_IDLE_INTERVAL: 601},
    ],
)
async def test_options_out_of_bounds_are_refused(
    hass: HomeAssistant, config_entry: MockConfigEntry, bad: dict[str, int]
) -> None:
    await setup_entry(hass, config_entry)
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    values = {CONF_PLAYING_INTERVAL: 5, CONF_IDLE_INTERVAL: 30, CONF_SHOW_RESTRICTED_DEVICES: False}

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(result["flow_id"], values | bad)
    assert config_entry.options == {}
