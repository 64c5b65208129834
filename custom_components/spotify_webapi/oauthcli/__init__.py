"""Async OAuth2 client for Spotify, a port of spotifywebapipython's AuthClient.

This package is a library that happens to ship inside the integration: it
imports aiohttp, oauthlib and the standard library only, never homeassistant.
"""
