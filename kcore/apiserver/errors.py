"""API errors as Kubernetes Status objects.

Every refusal the API server makes is an ApiError carrying a `Status` dict with the real
reason and HTTP code. kubectl renders it (`Error from server (NotFound): pods "x" not found`);
the reason is data, the sentence is rendering."""
from __future__ import annotations


class ApiError(Exception):
    """A Kubernetes `Status` failure: `status["reason"]`, `status["code"]`, `status["message"]`."""

    def __init__(self, status: dict):
        self.status = status
        super().__init__(status.get("message", ""))

    @property
    def reason(self) -> str:
        return self.status.get("reason", "")

    @property
    def code(self) -> int:
        return self.status.get("code", 500)

    @property
    def message(self) -> str:
        return self.status.get("message", "")

    @property
    def causes(self) -> list[dict]:
        return self.status.get("details", {}).get("causes", [])


def status(code: int, reason: str, message: str, *, name: str = "", group: str = "",
           kind: str = "", causes: list[dict] | None = None) -> ApiError:
    details: dict = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if kind:
        details["kind"] = kind
    if causes:
        details["causes"] = causes
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return ApiError(body)


def qualified(rt) -> str:
    """`pods`, `deployments.apps`: the resource as it appears in messages."""
    return rt.plural + ("." + rt.group if rt.group else "")


def not_found(rt, name: str) -> ApiError:
    return status(404, "NotFound", f'{qualified(rt)} "{name}" not found', name=name,
                  group=rt.group, kind=rt.plural)


def already_exists(rt, name: str) -> ApiError:
    return status(409, "AlreadyExists", f'{qualified(rt)} "{name}" already exists', name=name,
                  group=rt.group, kind=rt.plural)


def conflict(rt, name: str, detail: str = "the object has been modified; please apply your "
             "changes to the latest version and try again") -> ApiError:
    return status(409, "Conflict", f'Operation cannot be fulfilled on {qualified(rt)} "{name}": '
                  f'{detail}', name=name, group=rt.group, kind=rt.plural)


def invalid(rt, name: str, errors: list) -> ApiError:
    """Kubernetes' NewInvalid: `Deployment.apps "x" is invalid: [a, b]` (brackets for >1)."""
    from kcore.api.errors import invalid_message
    qkind = rt.kind + ("." + rt.group if rt.group else "")
    causes = [e.cause() for e in errors]
    return status(422, "Invalid", invalid_message(qkind, name, errors), name=name,
                  group=rt.group, kind=rt.kind, causes=causes)


def forbidden(rt, name: str, detail: str) -> ApiError:
    target = f'{qualified(rt)} "{name}"' if name else qualified(rt)
    return status(403, "Forbidden", f"{target} is forbidden: {detail}", name=name,
                  group=rt.group, kind=rt.plural)


def bad_request(message: str) -> ApiError:
    return status(400, "BadRequest", message)


def method_not_allowed(message: str = "the server does not allow this method on the requested resource") -> ApiError:
    return status(405, "MethodNotAllowed", message)


def unauthorized() -> ApiError:
    return status(401, "Unauthorized", "Unauthorized")


def too_many_requests(message: str) -> ApiError:
    return status(429, "TooManyRequests", message)


def internal(message: str) -> ApiError:
    return status(500, "InternalError", message)


def service_unavailable(message: str) -> ApiError:
    return status(503, "ServiceUnavailable", message)
