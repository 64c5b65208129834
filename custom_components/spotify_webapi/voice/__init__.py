"""Spotify by voice: which account, device or area a request means, and what to answer."""
