"""Printers never crash on sparse objects: any field may be missing or null, as in objects the
API server returns before controllers fill their status. (Property test: hypothesis removes a
random subset of fields from rich examples of every kind.)"""
import copy

from hypothesis import given, settings, strategies as st, HealthCheck

from kcore.cli.kubectl.printers import table_rows, describe, PRINTERS, DESCRIBERS
from tests.printers.builders import NOW
from tests.printers import test_cells, test_describe, test_differential

EXAMPLES = [(p.values[0], p.values[1]) for p in test_cells.CASES]
EXAMPLES += [("Pod", test_describe.crashing_pod()), ("Node", test_describe.node02()),
             ("Deployment", test_describe.web_deployment()), ("Service", test_describe.web_service())]
EXAMPLES += [(obj["kind"], obj) for obj, *_ in test_differential.more_cases()]
EXAMPLES += [(p.values[1], p.values[2]) for p in test_describe.GENERATED]


def paths(obj, prefix=()):
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append(prefix + (k,))
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(paths(v, prefix + (i,)))
    return out


def prune(obj, path, null):
    cur = obj
    for key in path[:-1]:
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(cur, dict) and path[-1] in cur:
        if null:
            cur[path[-1]] = None
        else:
            del cur[path[-1]]


@st.composite
def sparse(draw):
    kind, obj = draw(st.sampled_from(EXAMPLES))
    obj = copy.deepcopy(obj)
    all_paths = paths(obj)
    if all_paths:
        chosen = draw(st.lists(st.sampled_from(all_paths), max_size=8))
        for path in chosen:
            prune(obj, path, draw(st.booleans()))
    return kind, obj


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sparse(), st.booleans())
def test_sparse_objects_print(case, wide):
    kind, obj = case
    headers, rows = table_rows(kind, obj, NOW, wide=wide)
    assert len(headers) == len(rows[0])
    text = describe(kind, obj, [], NOW, {"pods": [], "lease": None, "replicasets": [], "endpointslices": []})
    assert text.endswith("\n")


def test_every_printer_and_describer_accepts_an_empty_object():
    for kind in list(PRINTERS) + list(DESCRIBERS):
        table_rows(kind, {}, NOW, wide=True)
        describe(kind, {}, None, NOW)
