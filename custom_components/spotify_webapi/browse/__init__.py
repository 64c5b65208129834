"""The media browser: Spotify's library and catalogue as HA media nodes."""
