"""A real Home Assistant next to the Spotify simulator, for `scripts/develop` and the e2e tests.

Everything here runs on aiohttp and the standard library only, so that the dev venv
(`.venv/dev`, which holds `hass`) and the test legs' venvs can both import it.
"""
