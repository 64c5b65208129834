"""Options flow steps for remembered devices: pick one, then set its options or forget it.

A device can have a wake-up action and a linked media player (its entity in HA). Forgetting
is its own confirmed step: the record goes only when the user confirms, never on a form that
is then cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState, OptionsFlow
from homeassistant.helpers import selector

from ..const import (
    CONF_LINKED_PLAYERS,
    CONF_WAKE_UP,
    CONF_WAKE_UP_ENTITY,
    CONF_WAKE_UP_WAIT,
    DEFAULT_WAKE_UP_WAIT,
    WAKE_UP_WAIT_RANGE,
)
from ..form_fields import seconds_field
from .wake_up import wake_up_action

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigFlowResult

    from .remembered import RememberedDevice, RememberedDevices

# Form fields (the stored option names are CONF_WAKE_UP_ENTITY and CONF_WAKE_UP_WAIT).
FIELD_DEVICE: Final = "device"
FIELD_WAKE_UP: Final = "wake_up_entity"
FIELD_WAIT: Final = "wait"
FIELD_LINKED: Final = "linked_player"
# The options this step keeps per device; the general settings step leaves them as they are.
DEVICE_OPTIONS: Final = (CONF_WAKE_UP, CONF_LINKED_PLAYERS)
# What a wake-up action can turn on: speakers and TVs, smart plugs, remotes, helpers, scripts.
WAKE_UP_DOMAINS: Final = ["media_player", "switch", "remote", "input_boolean", "light", "script"]


class DeviceOptionsSteps(OptionsFlow):
    """The devices step and the step for one device."""

    _device_key: str | None = None

    def remembered(self) -> RememberedDevices | None:
        """The loaded entry's remembered devices."""
        entry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return None
        remembered: RememberedDevices = entry.runtime_data.coordinator.remembered
        return remembered

    def save_options(self, options: dict[str, Any]) -> ConfigFlowResult:
        """Store ``options`` and let the loaded account use them at once, without a reload.

        The coordinator is told here rather than through an update listener: HA 2026.12
        makes an entry with one reload itself after a reauth or reconfigure.
        """
        entry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            entry.runtime_data.coordinator.async_apply_options(options)
        return self.async_create_entry(data=options)

    def remembered_devices(self) -> list[RememberedDevice]:
        """Every remembered device, by name (none while the entry is not loaded)."""
        remembered = self.remembered()
        return [] if remembered is None else remembered.devices

    async def async_step_devices(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a remembered device."""
        devices = self.remembered_devices()
        if user_input is not None and any(d.key == user_input[FIELD_DEVICE] for d in devices):
            self._device_key = user_input[FIELD_DEVICE]
            return await self.async_step_device_menu()
        choices = [
            selector.SelectOptionDict(value=device.key, label=_label(self, device))
            for device in devices
        ]
        schema = vol.Schema(
            {
                vol.Required(FIELD_DEVICE): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=choices, mode=selector.SelectSelectorMode.LIST
                    )
                )
            }
        )
        # HA 2026 types data_schema as probatio.Schema (voluptuous is aliased to it at runtime).
        return self.async_show_form(step_id="devices", data_schema=schema)  # type: ignore[arg-type, unused-ignore]

    def chosen_device(self) -> tuple[RememberedDevices, RememberedDevice] | None:
        """The remembered devices and the one picked (None once it is gone)."""
        remembered = self.remembered()
        if remembered is None or self._device_key is None:
            return None
        device = remembered.get(self._device_key)
        return None if device is None else (remembered, device)

    async def async_step_device_menu(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The picked device: its wake-up action and linked player, or forget it."""
        chosen = self.chosen_device()
        if chosen is None:
            return self.async_abort(reason="device_gone")
        return self.async_show_menu(
            step_id="device_menu",
            menu_options=["device", "forget"],
            description_placeholders={"device": chosen[1].name},
        )

    async def async_step_forget(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Confirm, then forget the device with its wake-up action and linked player."""
        chosen = self.chosen_device()
        if chosen is None:
            return self.async_abort(reason="device_gone")
        remembered, device = chosen
        if user_input is None:
            return self.async_show_form(
                step_id="forget", description_placeholders={"device": device.name}
            )
        options = dict(self.config_entry.options)
        per_device = {}
        for key in DEVICE_OPTIONS:
            per_device[key] = {k: v for k, v in (options.get(key) or {}).items() if k != device.key}
        remembered.forget(device.key)
        return self.save_options(options | per_device)

    async def async_step_device(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The device's wake-up action, the time to wait for it, and its linked media player."""
        chosen = self.chosen_device()
        if chosen is None:
            return self.async_abort(reason="device_gone")
        device = chosen[1]
        options = dict(self.config_entry.options)
        wake_ups = dict(options.get(CONF_WAKE_UP) or {})
        links = dict(options.get(CONF_LINKED_PLAYERS) or {})
        errors: dict[str, str] = {}
        if user_input is not None:
            entity = user_input.get(FIELD_WAKE_UP)
            linked = user_input.get(FIELD_LINKED)
            errors = {
                field: "entity_not_found"
                for field, chosen in ((FIELD_WAKE_UP, entity), (FIELD_LINKED, linked))
                if chosen and self.hass.states.get(chosen) is None
            }
            if not errors:
                if entity:
                    wait = user_input[FIELD_WAIT]
                    wake_ups[device.key] = {CONF_WAKE_UP_ENTITY: entity, CONF_WAKE_UP_WAIT: wait}
                else:
                    wake_ups.pop(device.key, None)
                if linked:
                    links[device.key] = linked
                else:
                    links.pop(device.key, None)
                return self.save_options(
                    options | {CONF_WAKE_UP: wake_ups, CONF_LINKED_PLAYERS: links}
                )
        action = wake_up_action(options, device.key)
        entity = (user_input or {}).get(FIELD_WAKE_UP) or (action and action.entity_id)
        linked = (user_input or {}).get(FIELD_LINKED) or links.get(device.key)
        wait = action.wait if action is not None else DEFAULT_WAKE_UP_WAIT
        schema = vol.Schema(
            {
                vol.Optional(
                    FIELD_WAKE_UP, description={"suggested_value": entity} if entity else None
                ): selector.EntitySelector(selector.EntitySelectorConfig(domain=WAKE_UP_DOMAINS)),
                vol.Required(FIELD_WAIT, default=wait): seconds_field(WAKE_UP_WAIT_RANGE),
                vol.Optional(
                    FIELD_LINKED, description={"suggested_value": linked} if linked else None
                ): selector.EntitySelector(selector.EntitySelectorConfig(domain="media_player")),
            }
        )
        return self.async_show_form(
            step_id="device",
            data_schema=schema,  # type: ignore[arg-type, unused-ignore]
            errors=errors,
            description_placeholders={
                "device": device.name,
                "type": device.type,
                "last_seen": device.last_seen[:16].replace("T", " "),
            },
        )


def _label(flow: DeviceOptionsSteps, device: RememberedDevice) -> str:
    """Name and type, and the wake-up entity when it has one."""
    action = wake_up_action(flow.config_entry.options, device.key)
    label = f"{device.name} ({device.type})"
    return label if action is None else f"{label} → {action.entity_id}"
