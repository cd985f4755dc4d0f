"""Small renderings shared by the table printers and the describers.

Timestamps arrive as RFC3339 text and `now` as unix seconds, so nothing here reads a clock.
Ages go through `kcore.machinery.duration.human_duration`, kubectl's `HumanDuration`;
selectors and label maps print as apimachinery's `String()` / `FormatLabels` do."""
from __future__ import annotations

import calendar
import re

__all__ = [
    "parse_time", "human_duration", "age", "since", "rfc1123z", "go_time_string",
    "format_labels", "format_selector", "selector_string", "g", "quantity_str",
]

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})?$")
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def g(obj, *path, default=None):
    """Walk nested dicts; a missing key or a None on the way gives `default`."""
    cur = obj
    for key in path:
        if not isinstance(cur, dict):
            return default
        cur = cur.get(key)
        if cur is None:
            return default
    return cur


def parse_time(text) -> float | None:
    """RFC3339 (with optional fraction and offset) -> unix seconds; None when absent or bad."""
    if text is None or text == "":
        return None
    if isinstance(text, (int, float)):
        return float(text)
    m = _RFC3339.match(str(text).strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(x) for x in m.groups()[:6])
    value = float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))
    if m.group(7):
        value += float("0" + m.group(7))
    zone = m.group(8)
    if zone and zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        value -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return value


def _fallback_human_duration(seconds: float) -> str:
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    s = int(seconds)
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    years = hours // (24 * 365)
    if years < 8:
        rest = (hours // 24) % 365
        return f"{years}y" if rest == 0 else f"{years}y{rest}d"
    return f"{years}y"


def human_duration(seconds: float) -> str:
    """kubectl's HumanDuration; the machinery module is the real home of this rule."""
    try:
        from kcore.machinery.duration import human_duration as real
    except ImportError:  # pragma: no cover - the machinery module is written in parallel
        real = _fallback_human_duration
    return real(seconds)


def since(timestamp, now: float) -> str:
    """translateTimestampSince: `<unknown>` for a zero time, else the age."""
    value = parse_time(timestamp)
    if value is None:
        return "<unknown>"
    return human_duration(now - value)


def age(obj: dict, now: float) -> str:
    return since(g(obj, "metadata", "creationTimestamp"), now)


def _civil(ts: float):
    whole = int(ts // 1)
    days, rest = divmod(whole, 86400)
    y, mo, d = _from_days(days)
    return y, mo, d, rest // 3600, (rest % 3600) // 60, rest % 60, (days + 3) % 7


def _from_days(z: int):
    # days since 1970-01-01 -> civil date (Howard Hinnant's algorithm)
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def rfc1123z(timestamp) -> str:
    """`Thu, 26 Nov 2026 10:18:50 +0000`, the layout describe uses for times."""
    value = parse_time(timestamp)
    if value is None:
        return "<unset>"
    y, mo, d, hh, mm, ss, wd = _civil(value)
    return f"{_DAYS[wd]}, {d:02d} {_MONTHS[mo - 1]} {y} {hh:02d}:{mm:02d}:{ss:02d} +0000"


def go_time_string(timestamp) -> str:
    """Go's time.Time.String() in UTC: `2026-11-26 10:17:21 +0000 UTC`."""
    value = parse_time(timestamp)
    if value is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    y, mo, d, hh, mm, ss, _ = _civil(value)
    return f"{y:04d}-{mo:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d} +0000 UTC"


def format_labels(labels) -> str:
    """labels.FormatLabels: sorted `k=v` joined with `,`, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def selector_string(selector) -> str:
    """metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key."""
    if not selector:
        return ""
    reqs = []
    for key, value in (selector.get("matchLabels") or {}).items():
        reqs.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key, op = expr.get("key", ""), expr.get("operator", "")
        values = sorted(expr.get("values") or [])
        if op == "In":
            text = f"{key} in ({','.join(values)})"
        elif op == "NotIn":
            text = f"{key} notin ({','.join(values)})"
        elif op == "Exists":
            text = key
        elif op == "DoesNotExist":
            text = f"!{key}"
        else:
            text = f"{key} {op} ({','.join(values)})"
        reqs.append((key, text))
    reqs.sort(key=lambda r: r[0])
    return ",".join(text for _, text in reqs)


def format_selector(selector) -> str:
    """metav1.FormatLabelSelector: like selector_string, `<none>` when it selects everything."""
    return selector_string(selector) or "<none>"


def quantity_str(value, default: str = "0") -> str:
    """Canonical quantity text (`1024Mi` -> `1Gi`); unparsable text is shown as written."""
    if value is None or value == "":
        return default
    try:
        from kcore.machinery.quantity import parse
        return str(parse(value))
    except Exception:  # noqa: BLE001 - show what the object holds rather than crash
        return str(value)


def without_nulls(value):
    """A copy with JSON nulls dropped, as Go's decoder turns them into zero values.

    Printers read fields with `.get(key, default)`; a present-but-null field would defeat the
    default, so every entry point cleans its input once."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        filler = "" if any(isinstance(v, str) for v in value) else {}
        return [filler if v is None else without_nulls(v) for v in value]
    return value
