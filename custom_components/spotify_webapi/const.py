"""Constants shared by the integration."""

from typing import Final

DOMAIN: Final = "spotify_webapi"
