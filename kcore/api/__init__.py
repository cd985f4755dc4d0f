"""kcore.api: what the Kubernetes API is made of, without any cluster state.

`kinds` is the table of resource types; `schema` strictly decodes objects against the v1.35
OpenAPI definitions; `defaults` fills API-server defaults; `validation` checks objects with
Kubernetes' wording; `errors` renders field errors; `explain` prints `kubectl explain`."""
from kcore.api.errors import FieldError
from kcore.api.kinds import ALL, ResourceType, UnknownResource, for_kind, lookup

__all__ = ["ALL", "FieldError", "ResourceType", "UnknownResource", "for_kind", "lookup"]
