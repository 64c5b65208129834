"""Our intents as tools for AI agents that use the Assist API (Home Assistant 2026 and later).

Home Assistant 2025 offered every registered intent to agents by itself. Later releases ask
each integration for its tools through this platform, named with the domain as prefix and
tagged with it; older releases never import this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.media_player.const import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool

from .const import DOMAIN
from .intents import SpotifyIntent

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.llm import LLMContext, Tool

TOOL_PREFIX: Final = f"{DOMAIN}__"


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> Any:
    """The tools, while one of our players is exposed to the agent's assistant."""
    # Only the releases that call this platform have the module.
    from homeassistant.components.llm import LLMTools  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

    if api_id != LLM_API_ASSIST or not llm_context.assistant:
        return None
    registry = er.async_get(hass)
    players = [
        entity.entity_id
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.domain == MEDIA_PLAYER_DOMAIN
    ]
    if not any(async_should_expose(hass, llm_context.assistant, p) for p in players):
        return None
    tools: list[Tool] = [
        IntentTool(  # type: ignore[call-arg,unused-ignore]
            TOOL_PREFIX + handler.intent_type, handler, integration=DOMAIN
        )
        for handler in intent.async_get(hass)
        if isinstance(handler, SpotifyIntent)
    ]
    return LLMTools(tools=tools)
