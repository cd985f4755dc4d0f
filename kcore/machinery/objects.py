"""Fast copies of JSON-like objects (dicts, lists, scalars).

API objects are plain JSON data, so a structural copy is all that is ever needed. A round
trip through the JSON codec (kcore.machinery.jsoncodec) is several times faster than
copy.deepcopy or a Python-level walk; objects holding non-JSON values fall back to the walk."""
from __future__ import annotations

from kcore.machinery.jsoncodec import dumps as _dumps, loads as _loads


def _walk(obj):
    t = type(obj)
    if t is dict:
        return {k: _walk(v) if type(v) in (dict, list) else v for k, v in obj.items()}
    if t is list:
        return [_walk(v) if type(v) in (dict, list) else v for v in obj]
    return obj


def clone(obj):
    if type(obj) not in (dict, list):
        return obj
    try:
        return _loads(_dumps(obj))
    except (TypeError, ValueError):
        return _walk(obj)
