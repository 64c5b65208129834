"""Tests of the Spotify Web API integration."""
