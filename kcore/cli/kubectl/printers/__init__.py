"""kubectl's printers: pure functions from API objects (plain dicts) to the text kubectl prints.

    table_rows(kind, obj, now, wide=False, columns=None) -> (headers, rows)
                                                                one object's server-side row
                                                                (columns: a CRD's printer columns)
    print_tables(sections, now, *, wide, no_headers, show_labels, label_columns,
                 all_namespaces, show_kind, sort_by) -> str     `kubectl get` tables
    print_names / print_custom_columns / print_jsonpath / print_yaml / print_json
    sort_objects(objects, field)                                `--sort-by`
    no_resources_message(namespace, all_namespaces=, namespaced=)
    describe(kind, obj, events, now, related=None) -> str       `kubectl describe`

`now` is unix seconds; timestamps inside objects are RFC3339 text. YAML/JSON rendering lives
in `yamlout` (imported lazily)."""
from .columns import table_rows, custom_resource_rows, printer_for, PRINTERS
from .table import print_tables, print_table, type_info, kind_prefix
from .output import (PrinterError, resource_name, print_names, as_list, output_object, print_yaml,
                     print_json, print_jsonpath, parse_custom_columns, parse_custom_columns_file,
                     print_custom_columns, sort_objects, natural_less, no_resources_message)
from .describe import describe, join_descriptions, DESCRIBERS
from .tabwriter import align

__all__ = [
    "table_rows", "custom_resource_rows", "printer_for", "PRINTERS", "print_tables", "print_table", "type_info",
    "kind_prefix", "PrinterError", "resource_name", "print_names", "as_list", "output_object",
    "print_yaml", "print_json", "print_jsonpath", "parse_custom_columns",
    "parse_custom_columns_file", "print_custom_columns", "sort_objects", "natural_less",
    "no_resources_message", "describe", "join_descriptions", "DESCRIBERS", "align",
]
