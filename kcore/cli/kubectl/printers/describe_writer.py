"""The building blocks every describer shares: an indenting writer and kubectl's multi-line
helpers (labels, annotations, taints, tolerations, resource lists) and the Events table.

Text is written exactly as describe.go writes it - tab-terminated cells, two spaces per
level - and only aligned at the end by the tabwriter (minwidth 0, padding 2), so block
widths come out the way kubectl's do without any per-section bookkeeping."""
from __future__ import annotations

from kcore.machinery.gosort import go_sort

from .common import g, since, parse_time, quantity_str, rfc1123z
from .tabwriter import align, DESCRIBE_PADDING

__all__ = ["Writer", "labels_multiline", "annotations_multiline", "taints_multiline",
           "tolerations_multiline", "describe_events", "time_or_zero", "controller_of",
           "sorted_resource_names", "bool_title", "MAX_ANNOTATION_LEN"]

MAX_ANNOTATION_LEN = 140
ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


class Writer:
    """describe.go's PrefixWriter: `write(level, text)` prefixes two spaces per level."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self.parts.append("  " * level + text)

    def line(self, text: str = "") -> None:
        """WriteLine: no indentation, newline appended."""
        self.parts.append(text + "\n")

    def render(self) -> str:
        return align("".join(self.parts), 0, DESCRIBE_PADDING)


def time_or_zero(timestamp) -> str:
    """A metav1.Time formatted with RFC1123Z; a missing time is Go's zero time."""
    return ZERO_TIME if parse_time(timestamp) is None else rfc1123z(timestamp)


def bool_title(value) -> str:
    return "True" if value else "False"


def controller_of(obj) -> str:
    for ref in g(obj, "metadata", "ownerReferences", default=[]):
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def sorted_resource_names(resources) -> list[str]:
    return sorted(resources or {})


def labels_multiline(w: Writer, title: str, labels, initial_indent: str = "",
                     inner_indent: str = "\t") -> None:
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, f"{key}={labels[key]}\n")


def annotations_multiline(w: Writer, title: str, annotations) -> None:
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {})
                  if k != "kubectl.kubernetes.io/last-applied-configuration")
    if not keys:
        w.line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i:
            w.write(0, indent)
        value = str(annotations[key])
        if value.endswith("\n"):
            value = value[:-1]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for piece in value.split("\n"):
                if len(piece) > MAX_ANNOTATION_LEN - 2:
                    piece = piece[:MAX_ANNOTATION_LEN - 2] + "..."
                w.write(0, f"{indent}  {piece}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def taint_string(taint) -> str:
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def taints_multiline(w: Writer, title: str, taints, initial_indent: str = "",
                     inner_indent: str = "\t") -> None:
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    if not taints:
        w.line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, taint_string(taint) + "\n")


def toleration_string(tol) -> str:
    text = tol.get("key", "") or ""
    if tol.get("value"):
        text += f"={tol['value']}"
    if tol.get("effect"):
        text += f":{tol['effect']}"
    if tol.get("operator") == "Exists" and not tol.get("value"):
        text += " op=Exists" if (tol.get("key") or tol.get("effect")) else "op=Exists"
    if tol.get("tolerationSeconds") is not None:
        text += f" for {tol['tolerationSeconds']}s"
    return text


def tolerations_multiline(w: Writer, title: str, tolerations, initial_indent: str = "",
                          inner_indent: str = "\t") -> None:
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    if not tolerations:
        w.line("<none>")
        return
    for i, tol in enumerate(sorted(tolerations, key=lambda t: t.get("key", "") or "")):
        if i:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, toleration_string(tol) + "\n")


def _event_sort_key(ev):
    value = parse_time(ev.get("lastTimestamp"))
    return value if value is not None else float("-inf")


def describe_events(w: Writer, events, now: float) -> None:
    """The Events block; `events=None` means events were not requested (no block at all)."""
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    # kubectl: sort.Sort(SortableEvents) over the server's list order; Go's sort is unstable
    # past 12 items, so ties on the one-second timestamps land where Go's pdqsort puts them
    ordered = go_sort(list(events), lambda a, b: _event_sort_key(a) < _event_sort_key(b))
    for ev in ordered:
        first = since(ev.get("eventTime"), now) if ev.get("eventTime") else since(ev.get("firstTimestamp"), now)
        series = ev.get("series")
        count = ev.get("count") or 0
        if series:
            interval = f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
        elif count > 1:
            interval = f"{since(ev.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = g(ev, "source", "component", default="") or ev.get("reportingController", "") or \
            ev.get("reportingComponent", "")
        message = (ev.get("message") or "").strip()
        field_path = g(ev, "involvedObject", "fieldPath", default="")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(1, f"{ev.get('type', '')}\t{ev.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def resource_value(resources, name) -> str:
    return quantity_str((resources or {}).get(name))
