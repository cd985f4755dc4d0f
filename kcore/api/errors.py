"""Field errors, worded exactly as apimachinery's field.Error renders them.

A FieldError is data (type, field path, bad value, detail); str() is the rendering
`<field>: <type text>[: <value>][: <detail>]`. Values follow field.Error.ErrorBody():
strings are Go-quoted, numbers and bools bare, anything else JSON-encoded; Required,
Forbidden, Too long, Too short and Internal error never show the value.

`invalid_message()` renders the message of the apiserver's 422 Invalid status
(errors.NewInvalid): `Deployment.apps "web" is invalid: [a, b]`, without brackets for one
error, duplicates dropped. `strict_decoding_message()` renders the 400 BadRequest a strict
decode produces, and `kubectl_invalid()` kubectl's own reformatting of an Invalid status."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldError", "REQUIRED", "INVALID", "NOT_SUPPORTED", "DUPLICATE", "FORBIDDEN",
           "NOT_FOUND", "TOO_LONG", "TOO_MANY", "TOO_SHORT", "INTERNAL", "TYPE_INVALID",
           "OMIT", "UNKNOWN_FIELD", "WRONG_TYPE", "required", "invalid", "not_supported", "duplicate", "forbidden",
           "too_long", "go_quote", "aggregate", "invalid_message", "kubectl_invalid",
           "strict_decoding_message", "invalid_status", "bad_request_status"]

# The machine-readable types (metav1.CauseType values) and the text each renders as.
REQUIRED = "FieldValueRequired"
INVALID = "FieldValueInvalid"
NOT_SUPPORTED = "FieldValueNotSupported"
DUPLICATE = "FieldValueDuplicate"
FORBIDDEN = "FieldValueForbidden"
NOT_FOUND = "FieldValueNotFound"
TOO_LONG = "FieldValueTooLong"
TOO_MANY = "FieldValueTooMany"
TOO_SHORT = "FieldValueTooShort"
INTERNAL = "InternalError"
TYPE_INVALID = "FieldValueTypeInvalid"
# kcore's own cause type for strict-decoding failures (unknown field, wrong JSON type)
UNKNOWN_FIELD = "FieldValueUnknown"
WRONG_TYPE = "FieldValueWrongType"

TYPE_TEXT = {
    REQUIRED: "Required value", INVALID: "Invalid value", NOT_SUPPORTED: "Unsupported value",
    DUPLICATE: "Duplicate value", FORBIDDEN: "Forbidden", NOT_FOUND: "Not found",
    TOO_LONG: "Too long", TOO_MANY: "Too many", TOO_SHORT: "Too short",
    INTERNAL: "Internal error", TYPE_INVALID: "Invalid value",
}
_VALUELESS = {REQUIRED, FORBIDDEN, TOO_LONG, TOO_SHORT, INTERNAL}


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT = _Omit()  # field.omitValue: render the type without a value


def go_quote(s: str) -> str:
    """Go's %q for a string (strconv.Quote): double quotes, backslash escapes."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _go_json(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _simple(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class FieldError:
    type: str
    field: str
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        """field.Error.ErrorBody(): everything after `<field>: `."""
        text = TYPE_TEXT.get(self.type, self.type)
        if self.type not in _VALUELESS and self.value is not OMIT:
            v = self.value
            if isinstance(v, (bool, int, float)):
                text = f"{text}: {_simple(v)}"
            elif isinstance(v, str):
                text = f"{text}: {go_quote(v)}"
            else:
                text = f"{text}: {_go_json(v)}"
        if self.detail:
            text = f"{text}: {self.detail}"
        return text

    def __str__(self) -> str:
        if self.type in (UNKNOWN_FIELD, WRONG_TYPE):
            return self.detail
        return f"{self.field}: {self.body()}"

    def cause(self) -> dict:
        """The metav1.StatusCause the apiserver puts in Status.details.causes."""
        return {"reason": self.type, "message": self.body(), "field": self.field}


def required(field: str, detail: str = "") -> FieldError:
    return FieldError(REQUIRED, field, "", detail)


def invalid(field: str, value: Any, detail: str = "") -> FieldError:
    return FieldError(INVALID, field, value, detail)


def not_supported(field: str, value: Any, supported) -> FieldError:
    detail = ""
    if supported:
        detail = "supported values: " + ", ".join(go_quote(str(s)) for s in supported)
    return FieldError(NOT_SUPPORTED, field, value, detail)


def duplicate(field: str, value: Any) -> FieldError:
    return FieldError(DUPLICATE, field, value)


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError(FORBIDDEN, field, "", detail)


def too_long(field: str, max_length: int) -> FieldError:
    unit = "byte" if max_length == 1 else "bytes"
    return FieldError(TOO_LONG, field, OMIT, f"may not be more than {max_length} {unit}")


def aggregate(errors) -> str:
    """utilerrors.Aggregate.Error(): one message bare, several as `[a, b]`, duplicates dropped."""
    seen: list[str] = []
    for e in errors:
        msg = str(e)
        if msg not in seen:
            seen.append(msg)
    if not seen:
        return ""
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def invalid_message(group_kind: str, name: str, errors) -> str:
    """errors.NewInvalid's message: `Pod "x" is invalid: ...` (group_kind like "Deployment.apps")."""
    agg = aggregate(errors)
    head = f"{group_kind} {go_quote(name)} is invalid"
    return f"{head}: {agg}" if agg else head


def kubectl_invalid(kind: str, name: str, errors) -> str:
    """kubectl's rewrite of an Invalid status (without the `error: ` prefix it may add).

    One cause: `The Pod "x" is invalid: spec.containers[0].image: Required value`; several
    causes are listed one per line under a header ending in `invalid: ` (trailing space)."""
    causes = []
    for e in errors:
        if str(e) not in causes:
            causes.append(str(e))
    head = f"The {kind} {go_quote(name)} is invalid"
    if not causes:
        return head
    if len(causes) == 1:
        return f"{head}: {causes[0]}"
    return f"{head}: \n" + "\n".join(f"* {c}" for c in causes)


def strict_decoding_message(kind: str, api_version: str, errors) -> str:
    """The 400 BadRequest message of a strict decode (fieldValidation=Strict).

    `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field
    "spec.containers[0].imagee"`; several strict errors are joined with `, `. A wrong JSON type
    aborts decoding first, so that message is the unmarshal error alone."""
    version = api_version.rpartition("/")[2]
    head = f"{kind} in version {go_quote(version)} cannot be handled as a {kind}: "
    errors = list(errors)
    type_errors = [e for e in errors if e.type == WRONG_TYPE]
    if type_errors:
        return head + type_errors[0].detail
    return head + "strict decoding error: " + ", ".join(e.detail for e in errors)


def invalid_status(group: str, kind: str, name: str, errors) -> dict:
    """The 422 Status the apiserver returns for field errors (errors.NewInvalid)."""
    errors = list(errors)
    group_kind = f"{kind}.{group}" if group else kind
    details = {"name": name, "group": group, "kind": kind,
               "causes": [e.cause() for e in errors]}
    if not group:
        del details["group"]
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": invalid_message(group_kind, name, errors), "reason": "Invalid",
            "details": details, "code": 422}


def bad_request_status(message: str) -> dict:
    """The 400 Status of a request the apiserver cannot decode (strict decoding, wrong types)."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": "BadRequest", "code": 400}
