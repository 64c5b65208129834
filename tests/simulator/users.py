"""The simulated Spotify users and their public profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import artwork


@dataclass(slots=True)
class User:
    """A Spotify account the simulator can sign in as."""

    id: str
    display_name: str
    country: str
    email: str
    product: str
    followers: int

    @property
    def uri(self) -> str:
        """The user's Spotify URI."""
        return f"spotify:user:{self.id}"

    def images(self, api_url: str) -> list[dict[str, Any]]:
        """Profile pictures in two sizes, served by the simulator beside ``api_url``."""
        return artwork.images(api_url.removesuffix("/v1"), "user", self.id, (300, 64))

    def public(self, api_url: str) -> dict[str, Any]:
        """The PublicUserObject."""
        return {
            "display_name": self.display_name,
            "external_urls": {"spotify": f"https://open.spotify.com/user/{self.id}"},
            "followers": {"href": None, "total": self.followers},
            "href": f"{api_url}/users/{self.id}",
            "id": self.id,
            "images": self.images(api_url),
            "type": "user",
            "uri": self.uri,
        }

    def private(self, api_url: str, scope: set[str], *, omit_product: bool) -> dict[str, Any]:
        """The PrivateUserObject; scope-gated fields appear only with their scope."""
        body = self.public(api_url)
        body["account_id"] = f"acct{self.id.capitalize()}"
        if "user-read-private" in scope:
            body["country"] = self.country
            body["explicit_content"] = {"filter_enabled": False, "filter_locked": False}
            if not omit_product:
                body["product"] = self.product
        if "user-read-email" in scope:
            body["email"] = self.email
        return body


def default_users() -> dict[str, User]:
    """Alice and Carol (Premium), Bob (Free), and the editorial "spotify" account."""
    users = [
        User("alice", "Alice Example", "US", "alice@example.com", "premium", 12),
        User("bob", "Bob Example", "GB", "bob@example.com", "free", 3),
        User("carol", "Carol Example", "DE", "carol@example.com", "premium", 0),
        # Owns editorial playlists; signs in only if a test insists.
        User("spotify", "Spotify", "SE", "editorial@example.com", "premium", 0),
    ]
    return {user.id: user for user in users}
