"""Spotify Web API integration for Home Assistant."""
