"""OAuth2 scopes, given as a space- or comma-separated string or as a list of names."""

from __future__ import annotations

import re

_SCOPE_SPLIT = re.compile(r"[\s,]+")

type ScopeInput = str | list[str] | tuple[str, ...] | set[str] | frozenset[str] | None


def scope_list(scope: ScopeInput) -> list[str]:
    """Scopes in the given order, deduplicated, from a list or a space/comma-separated string."""
    if scope is None:
        return []
    items = _SCOPE_SPLIT.split(scope) if isinstance(scope, str) else list(scope)
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def scope_set(scope: ScopeInput) -> frozenset[str]:
    """Scopes as a set, from a list or a space- or comma-separated string."""
    return frozenset(scope_list(scope))
