"""Tests of the Spotify simulator itself."""
