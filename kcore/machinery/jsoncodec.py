"""The JSON codec the API server, the watch cache and object copies share.

Objects are stored as compact JSON bytes (like etcd holding the API server's encoding) and
decoded back on every read, so this codec is on the hot path of everything the cluster does.
orjson is used when it can: it is several times faster than the standard library and its
decoder reuses one string object for every occurrence of the same short key, so thousands of
decoded pods share their "metadata", "name", "containers"… keys instead of each holding a copy.

The output is byte-for-byte what `json.dumps(obj, separators=(",", ":"), ensure_ascii=False)`
gives for API objects. Values orjson refuses (integers beyond 64 bits, non-string keys, NaN
literals on input) fall back to the standard library, so behaviour never depends on which codec
ran.
"""
from __future__ import annotations

import json

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a declared dependency; keep working without it
    _orjson = None

__all__ = ["dumps", "dumps_compact", "loads"]

_std_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode
_std_loads = json.loads


def _dumps_std(obj) -> bytes:
    return _std_dumps(obj).encode()


if _orjson is not None:
    _or_dumps = _orjson.dumps
    _or_loads = _orjson.loads
    _OrDecodeError = _orjson.JSONDecodeError

    def dumps(obj) -> bytes:
        """Compact UTF-8 JSON bytes of a JSON-like value."""
        try:
            return _or_dumps(obj)
        except TypeError:
            return _dumps_std(obj)

    def dumps_compact(obj) -> bytes:
        """dumps for values kept for a long time (the store): orjson's result can hold a third
        more memory than its length, so it is copied into an exactly sized bytes object."""
        try:
            return bytes(memoryview(_or_dumps(obj)))
        except TypeError:
            return _dumps_std(obj)

    def loads(data):
        """The value in JSON text (bytes or str)."""
        try:
            return _or_loads(data)
        except _OrDecodeError:
            return _std_loads(data)
else:  # pragma: no cover
    dumps = dumps_compact = _dumps_std
    loads = _std_loads
