"""The one exception of the JSONPath package, carrying client-go's message and its phase."""
from __future__ import annotations


class JSONPathError(ValueError):
    """A template that cannot be parsed (phase="parse") or executed (phase="execute").

    str() is client-go's message, e.g. `unclosed action` or
    `array index out of bounds: index 5, length 2`."""

    def __init__(self, message: str, phase: str = "execute"):
        super().__init__(message)
        self.message = message
        self.phase = phase
