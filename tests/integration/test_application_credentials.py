"""The credentials dialog's text, and how several credentials are offered."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import SOURCE_USER
from homeassistant.data_entry_flow import FlowResultType

from custom_components.spotify_webapi.const import DEVELOPER_DASHBOARD_URL, DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator

pytestmark = pytest.mark.usefixtures("setup_credentials")


async def dialog_placeholders(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> dict[str, str]:
    """What HA's frontend receives for the add-credentials dialog."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "application_credentials/config"})
    response = await client.receive_json()
    assert response["success"]
    placeholders: dict[str, str] = response["result"]["integrations"][DOMAIN][
        "description_placeholders"
    ]
    return placeholders


@pytest.mark.parametrize(
    ("config", "with_my", "redirect_uri"),
    [
        ({}, True, "https://my.home-assistant.io/redirect/oauth"),
        (
            {"external_url": "https://ha.example.org"},
            False,
            "https://ha.example.org/auth/external/callback",
        ),
        (
            {"internal_url": "http://192.168.1.2:8123"},
            False,
            "http://192.168.1.2:8123/auth/external/callback",
        ),
        ({}, False, "<your Home Assistant URL>/auth/external/callback"),
    ],
)
async def test_dialog_names_the_redirect_uri_and_the_dashboard(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    config: dict[str, str],
    with_my: bool,
    redirect_uri: str,
) -> None:
    await hass.config.async_update(**config)
    if not config:
        hass.config.api = None  # HA knows no URL of its own
    if with_my:
        hass.config.components.add("my")

    assert await dialog_placeholders(hass, hass_ws_client) == {
        "developer_dashboard_url": DEVELOPER_DASHBOARD_URL,
        "redirect_uri": redirect_uri,
    }


@pytest.mark.usefixtures("current_request_with_host")
async def test_several_credentials_are_offered_by_name(hass: HomeAssistant) -> None:
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential("other-client-id", "other-secret", "Other app"), "other_app"
    )

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick_implementation"
    choices = result["data_schema"].schema["implementation"].container
    assert choices == {DOMAIN: "Simulator app", "other_app": "Other app"}
