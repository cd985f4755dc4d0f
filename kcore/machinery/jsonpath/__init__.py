"""kubectl's JSONPath: `-o jsonpath=TEMPLATE`, byte for byte, plus plain `$`-style queries.

    render("{.items[*].metadata.name}", pod_list)          -> "web-1 web-2"
    render('{range .items[*]}{.metadata.name}{"\\n"}{end}', pod_list)
    relaxed(".metadata.name")                               -> "{.metadata.name}"
    query("$.car.color", data)                              -> ["red"]

The template dialect is client-go's util/jsonpath (parser.py builds a cached tree, engine.py
runs it, gofmt.py prints values the way Go does). kubectl turns AllowMissingKeys on for
`-o jsonpath`, so a missing field prints nothing; an out-of-range index is still an error.
`kubectl_error_text` renders what kubectl writes to stderr when a template fails, and
`kubectl_output` gives the (stdout, stderr, exit code) of a whole `-o jsonpath` print.

What the template sees: `kubectl get pod web` hands it the Pod itself, so
`{.items[*].metadata.name}` prints nothing there. `kubectl get pods` (any number of results,
even one or none), `get pods -l ...` and `get pods a b` hand it `kubectl_list(items)`: kind
List, apiVersion v1, metadata {resourceVersion: ""}, never the server's PodList."""
from __future__ import annotations

import re

from .engine import execute
from .errors import JSONPathError
from .gofmt import fmt_sharp_v, go_quote
from .parser import parse
from .query import query

__all__ = ["JSONPathError", "render", "relaxed", "query", "parse", "kubectl_error_text",
           "kubectl_output", "kubectl_list"]


def render(template: str, data, allow_missing_keys: bool = True, as_json: bool = False) -> str:
    """What `kubectl ... -o jsonpath=TEMPLATE` prints for `data` (a decoded JSON value).

    as_json=True prints like `-o jsonpath-as-json=TEMPLATE`: each result list as an indented
    JSON array on its own lines."""
    return execute(parse(template), data, allow_missing_keys, as_json)


_RELAXED = re.compile(r"^\{\.?([^{}]+)\}\Z|^\.?([^{}]+)\Z")  # Go's `$` is Python's `\Z`


def relaxed(expr: str) -> str:
    """kubectl's RelaxedJSONPathExpression (custom-columns, --sort-by): `a.b` -> `{.a.b}`."""
    if not expr:
        return expr
    m = _RELAXED.match(expr)
    if m is None:
        raise JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' "
                            "or '{name1.name2}' or '{.name1.name2}'", phase="parse")
    return "{." + (m.group(1) or m.group(2)) + "}"


def kubectl_list(items: list) -> dict:
    """The List object `kubectl get` builds around several results before printing them."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


def kubectl_error_text(template: str, data, exc: JSONPathError) -> str:
    """The stderr kubectl prints when `-o jsonpath=template` fails with `exc` on `data`."""
    if exc.phase == "parse":
        return f"error: error parsing jsonpath {template}, {exc.message}\n"
    return (f"error: error executing jsonpath {go_quote(template)}: Error executing template: "
            f"{exc.message}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{fmt_sharp_v(data)}\n\n\n")


def kubectl_output(template: str, data, as_json: bool = False) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of printing `data` with `-o jsonpath=template`
    (or `-o jsonpath-as-json=template` when as_json)."""
    if template == "":
        return "", "error: template format specified but no template given\n", 1
    try:
        return render(template, data, as_json=as_json), "", 0
    except JSONPathError as exc:
        return "", kubectl_error_text(template, data, exc), 1
