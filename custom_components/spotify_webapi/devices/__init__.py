"""Spotify Connect devices: remembered across restarts, woken, linked to HA media players."""
