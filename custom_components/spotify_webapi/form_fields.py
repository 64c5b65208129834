"""Form fields shared by the config flow's options steps."""

from __future__ import annotations

import voluptuous as vol
from homeassistant.helpers import selector


def seconds_field(bounds: tuple[int, int]) -> vol.All:
    """A bounded whole number of seconds, typed into a box."""
    low, high = bounds
    return vol.All(
        selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=low,
                max=high,
                step=1,
                mode=selector.NumberSelectorMode.BOX,
                unit_of_measurement="s",
            )
        ),
        vol.Coerce(int),
        vol.Range(min=low, max=high),
    )
