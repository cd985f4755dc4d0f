"""`kubectl get` tables: the client-side decoration of the server's rows, then tabwriter.

A section is (type info, objects); type info is a ResourceType, a dict {kind, group,
namespaced[, printer_columns]}, a (kind, group, namespaced) tuple or a bare Kind. A custom
resource's type info carries its CRD `printer_columns` (additionalPrinterColumns).

kubectl receives one Table per resource type and decorates it: a NAMESPACE column first
with `-A` (namespaced types only), `kind[.group]/name` names when several types are printed
or with `--show-kind`, `-L` label columns and a LABELS column last. Each type is its own
table with its own widths; tables are separated by a blank line unless `--no-headers`."""
from __future__ import annotations

from .columns import table_rows, printer_for
from .common import g, format_labels
from .tabwriter import align, GET_MINWIDTH, GET_PADDING

__all__ = ["print_tables", "print_table", "type_info", "kind_prefix", "label_header"]


def printer_columns(info):
    """A CRD's additionalPrinterColumns carried by the type info (None for built-in kinds)."""
    if isinstance(info, dict):
        return info.get("printer_columns")
    return getattr(info, "printer_columns", None)


def type_info(info) -> tuple[str, str, bool]:
    """(kind, group, namespaced) from a ResourceType, a dict, a tuple or a bare Kind."""
    if isinstance(info, str):
        return info, "", True
    if isinstance(info, dict):
        return info.get("kind", ""), info.get("group", ""), bool(info.get("namespaced", True))
    if isinstance(info, (tuple, list)):
        kind, group, namespaced = (list(info) + ["", True])[:3]
        return kind, group or "", bool(namespaced)
    return (getattr(info, "kind", ""), getattr(info, "group", "") or "",
            bool(getattr(info, "namespaced", True)))


def kind_prefix(kind: str, group: str) -> str:
    """`pod`, `deployment.apps`: how kubectl names a type in `kind/name`."""
    return (f"{kind}.{group}" if group else kind).lower()


def label_header(key: str) -> str:
    return key.split("/")[-1].upper()


def _table_text(info, objects, now, *, wide, no_headers, show_labels, label_columns,
                all_namespaces, with_kind) -> str:
    kind, group, namespaced = type_info(info)
    columns = printer_columns(info)
    with_namespace = all_namespaces and namespaced
    headers = list(printer_for(kind).headers)
    rows = []
    for obj in objects:
        headers, obj_rows = table_rows(kind or obj.get("kind", ""), obj, now, wide=wide, columns=columns)
        labels = g(obj, "metadata", "labels", default={})
        for row in obj_rows:
            row = list(row)
            if with_kind and "NAME" in headers:
                # the column whose format is "name"; an event's default table has none
                name_index = headers.index("NAME")
                row[name_index] = f"{kind_prefix(kind, group)}/{row[name_index]}"
            if with_namespace:
                row.insert(0, g(obj, "metadata", "namespace", default=""))
            row.extend(labels.get(key, "") for key in label_columns)
            if show_labels:
                row.append(format_labels(labels))
            rows.append(row)
    headers = ([("NAMESPACE")] if with_namespace else []) + headers
    headers += [label_header(key) for key in label_columns]
    if show_labels:
        headers.append("LABELS")
    lines = [] if no_headers else [headers]
    lines += rows
    text = "".join("\t".join(_clean(cell) for cell in line) + "\n" for line in lines)
    return align(text, GET_MINWIDTH, GET_PADDING)


def _clean(cell) -> str:
    if cell is None:
        return "<none>"
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell).replace("\t", " ").replace("\n", " ")


def print_tables(sections, now: float, *, wide: bool = False, no_headers: bool = False,
                 show_labels: bool = False, label_columns=(), all_namespaces: bool = False,
                 show_kind: bool = False, sort_by: str | None = None) -> str:
    """Render [(type info, objects), ...] as kubectl get does; empty sections are skipped.

    `sort_by` sorts each table's rows (kubectl sorts within a type, never across types) and
    may raise PrinterError. Returns "" when nothing was found: the caller prints
    `no_resources_message()` to stderr."""
    label_columns = list(label_columns or [])
    present = [(info, list(objs)) for info, objs in sections if objs]
    if sort_by:
        from .output import sort_objects
        present = [(info, sort_objects(objs, sort_by, for_table=True)) for info, objs in present]
    with_kind = show_kind or len(present) > 1
    chunks = []
    for info, objs in present:
        chunks.append(_table_text(info, objs, now, wide=wide, no_headers=no_headers,
                                  show_labels=show_labels, label_columns=label_columns,
                                  all_namespaces=all_namespaces, with_kind=with_kind))
    separator = "" if no_headers else "\n"
    return separator.join(chunks)


def print_table(resource_type, objects, now: float, **options) -> str:
    """One type's table (the internals.md entry point)."""
    return print_tables([(resource_type, objects)], now, **options)
