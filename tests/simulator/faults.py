"""Scripted faults: make the next N requests to a route fail, stall or answer garbage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Fault:
    """One scripted misbehaviour of a route, used `remaining` more times."""

    path: str
    method: str | None
    remaining: int
    status: int | None
    error: str | None = None
    description: str | None = None
    retry_after: int | None = None
    delay: float | None = None
    body: bytes | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request (a trailing `*` matches a path prefix)."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


class FaultPlan:
    """The queue of scripted faults; the first match is consumed per request."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Script a fault after those already queued."""
        if fault.remaining < 1:
            raise ValueError("a fault must apply to at least one request")
        if fault.status is None and fault.delay is None and fault.body is None:
            raise ValueError("a fault needs a status, a delay or a body")
        self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first fault matching the request."""
        for fault in self._faults:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @property
    def pending(self) -> list[Fault]:
        """Faults not yet used up."""
        return list(self._faults)

    def clear(self) -> None:
        """Drop every scripted fault."""
        self._faults.clear()
