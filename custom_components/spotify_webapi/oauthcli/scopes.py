"""OAuth2 scopes, given as a space- or comma-separated string or as a list of names."""

from __future__ import annotations

import re

_SCOPE_SPLIT = re.compile(r"[\s,]+")

type ScopeInput = str | list[str] | tuple[str, ...] | set[str] | frozenset[str] | None


def scope_list(scope: ScopeInput | object) -> list[str]:
    """Scopes in the given order, deduplicated, from a list or a space/comma-separated string.

    A stored token's ``scope`` comes from a file or a server: anything that is not
    a string or a collection of strings reads as no scope, never as an exception.
    """
    if isinstance(scope, str):
        items: list[object] = list(_SCOPE_SPLIT.split(scope))
    elif isinstance(scope, (list, tuple, set, frozenset)):
        items = list(scope)
    else:
        return []
    names = (item.strip() for item in items if isinstance(item, str))
    return list(dict.fromkeys(name for name in names if name))


def scope_set(scope: ScopeInput | object) -> frozenset[str]:
    """Scopes as a set, from a list or a space- or comma-separated string."""
    return frozenset(scope_list(scope))
