"""kubectl's AGE column: apimachinery's duration.HumanDuration and ShortHumanDuration.

HumanDuration keeps two or three significant figures and changes units at fixed boundaries:

    d <= -2s        <invalid>          clocks disagree by more than the 2s tolerance
    -2s < d < 0     0s
    d < 2m          59s, 119s          seconds only
    d < 10m         2m5s, 3m           minutes and seconds
    d < 3h          10m, 179m          minutes only
    d < 8h          3h, 4h30m          hours and minutes
    d < 48h         8h, 47h            hours only
    d < 8d          2d, 2d3h           days and hours
    d < 2y          10d, 729d          days only (a year is 365 days)
    d < 8y          2y, 3y45d          years and days
    otherwise       9y

Everything truncates (Go integer division on nanoseconds). ShortHumanDuration shows a single
unit (`5s`, `3m`, `4h`, `2d`, `1y`); table printers do not use it.
`translate_timestamp_since(then, now)` adds the `<unknown>` of a missing timestamp."""
from __future__ import annotations

__all__ = ["human_duration", "short_human_duration", "translate_timestamp_since"]

_SECOND = 10 ** 9
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE


def _nanos(seconds: float) -> int:
    # Round to whole nanoseconds so 0.1 + 0.2 style float noise cannot cross a boundary.
    return int(round(seconds * 1e9)) if isinstance(seconds, float) else int(seconds) * _SECOND


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division: truncates toward zero."""
    q = abs(a) // b
    return -q if a < 0 else q


def human_duration(seconds: float) -> str:
    """duration.HumanDuration of an elapsed time given in (virtual) seconds."""
    d = _nanos(seconds)
    secs = _trunc_div(d, _SECOND)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 120:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 10:
        s = secs % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 8 * 24:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if dy == 0 else f"{years}y{dy}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """duration.ShortHumanDuration: one unit, truncated."""
    d = _nanos(seconds)
    secs = _trunc_div(d, _SECOND)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 60:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def translate_timestamp_since(then: float | None, now: float) -> str:
    """The AGE cell: `<unknown>` for a missing timestamp, else HumanDuration(now - then)."""
    if then is None:
        return "<unknown>"
    return human_duration(now - then)
