"""Fast copies of JSON-like objects (dicts, lists, scalars).

API objects are plain JSON data, so a structural copy is all that is ever needed; it is
several times faster than copy.deepcopy, which matters on every API write."""
from __future__ import annotations


def clone(obj):
    t = type(obj)
    if t is dict:
        return {k: clone(v) if type(v) in (dict, list) else v for k, v in obj.items()}
    if t is list:
        return [clone(v) if type(v) in (dict, list) else v for v in obj]
    return obj
