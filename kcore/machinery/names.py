"""Name rules of the Kubernetes API, with apimachinery's exact validation messages.

Every check returns a list of messages, empty when the value is valid, the way
`k8s.io/apimachinery/pkg/util/validation` does; callers put them after
`metadata.name: Invalid value: "<v>": `. Which rule an object's name follows is a
per-kind policy (most names are DNS-1123 subdomains, namespaces are DNS-1123 labels,
services DNS-1035 labels); `validate_name(policy, name)` picks the rule by policy name.

Two message families exist in v0.35 and kubectl v1.35 shows both: object names and config
keys say "must be no more than 253 characters" (util/validation), while label keys and values
go through api/validate/content and say "must be no more than 63 bytes" and "a valid label
key ..." (checked against the real kubectl).

The RegexError helper renders examples as `'a', ` joined by ` or `, so messages with two
examples carry a double space before `or` -- that is the real text, kept on purpose.

`generate_name(prefix, suffix)` is the API server's SimpleNameGenerator: the prefix is cut
to 58 characters and the 5 random characters (from the loop, passed in) are appended."""
from __future__ import annotations

import functools
import re

__all__ = [
    "DNS1123_LABEL_MAX_LENGTH", "DNS1123_SUBDOMAIN_MAX_LENGTH", "DNS1035_LABEL_MAX_LENGTH",
    "QUALIFIED_NAME_MAX_LENGTH", "LABEL_VALUE_MAX_LENGTH", "MAX_GENERATED_NAME_LENGTH",
    "is_dns1123_label", "is_dns1123_subdomain", "is_dns1035_label", "is_qualified_name",
    "is_valid_label_value", "is_config_map_key", "is_path_segment_name", "validate_name",
    "generate_name", "max_len_error", "regex_error", "empty_error", "POLICIES",
]

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH   # 58

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"

DNS1123_LABEL_ERR = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                     "or '-', and must start and end with an alphanumeric character")
DNS1123_SUBDOMAIN_ERR = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                         "characters, '-' or '.', and must start and end with an alphanumeric character")
DNS1035_LABEL_ERR = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                     "start with an alphabetic character, and end with an alphanumeric character")
QUALIFIED_NAME_ERR = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                      "end with an alphanumeric character")
LABEL_VALUE_ERR = ("a valid label must be an empty string or consist of alphanumeric characters, "
                   "'-', '_' or '.', and must start and end with an alphanumeric character")
CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

_DNS1123_LABEL = re.compile(DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL = re.compile(DNS1035_LABEL_FMT)
_QUALIFIED_NAME = re.compile(QUALIFIED_NAME_FMT)
_LABEL_VALUE = re.compile(LABEL_VALUE_FMT)
_CONFIG_MAP_KEY = re.compile(CONFIG_MAP_KEY_FMT)


def empty_error() -> str:
    return "must be non-empty"


def max_len_error(length: int) -> str:
    """util/validation's wording, used for object names and config keys."""
    return f"must be no more than {length} characters"


def _content_max_len_error(length: int) -> str:
    """api/validate/content's wording (v0.35), used for label keys and values."""
    return f"must be no more than {length} bytes"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _nbytes(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


@functools.lru_cache(maxsize=8192)
def _dns1123_label(value: str) -> tuple[str, ...]:
    errs = []
    if _nbytes(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL.fullmatch(value):
        if _DNS1123_SUBDOMAIN.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return tuple(errs)


@functools.lru_cache(maxsize=8192)
def _dns1123_subdomain(value: str, too_long=max_len_error) -> tuple[str, ...]:
    errs = []
    if _nbytes(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(too_long(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return tuple(errs)


@functools.lru_cache(maxsize=8192)
def _dns1035_label(value: str) -> tuple[str, ...]:
    errs = []
    if _nbytes(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _DNS1035_LABEL.fullmatch(value):
        errs.append(regex_error(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return tuple(errs)


@functools.lru_cache(maxsize=8192)
def _qualified_name(value: str) -> tuple[str, ...]:
    errs = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + m for m in _dns1123_subdomain(prefix, _content_max_len_error))
    else:
        return (
            "a valid label key "
            + regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        )
    if not name:
        errs.append("name part " + empty_error())
    elif _nbytes(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + _content_max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _QUALIFIED_NAME.fullmatch(name):
        errs.append("name part " + regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT,
                                               "MyName", "my.name", "123-abc"))
    return tuple(errs)


@functools.lru_cache(maxsize=8192)
def _label_value(value: str) -> tuple[str, ...]:
    errs = []
    if _nbytes(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(_content_max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE.fullmatch(value):
        errs.append(regex_error(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return tuple(errs)


def is_dns1123_label(value: str) -> list[str]:
    """Namespaces, container and port names: lower-case alphanumerics and '-', at most 63."""
    return list(_dns1123_label(value))


def is_dns1123_subdomain(value: str) -> list[str]:
    """Most object names: dot-separated DNS-1123 labels, at most 253 characters."""
    return list(_dns1123_subdomain(value))


def is_dns1035_label(value: str) -> list[str]:
    """Service names: like a DNS-1123 label but must start with a letter."""
    return list(_dns1035_label(value))


def is_qualified_name(value: str) -> list[str]:
    """Label and annotation keys: optional DNS subdomain prefix, '/', then a 63-char name."""
    return list(_qualified_name(value))


def is_valid_label_value(value: str) -> list[str]:
    """Label values: empty, or a 63-char name of alphanumerics, '-', '_' and '.'."""
    return list(_label_value(value))


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_config_map_key(value: str) -> list[str]:
    """ConfigMap and Secret data keys."""
    errs = []
    if _nbytes(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _CONFIG_MAP_KEY.fullmatch(value):
        errs.append(regex_error(CONFIG_MAP_KEY_ERR, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    errs.extend(_chdir_prefix(value))
    return errs


def is_path_segment_name(value: str) -> list[str]:
    """Names that only have to be usable as one URL path segment (e.g. RBAC roles)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    errs = []
    for bad in ("/", "%"):
        if bad in value:
            errs.append(f"may not contain '{bad}'")
    return errs


def _mask_trailing_dash(name: str) -> str:
    """A generateName prefix may end in '-': validate it as if it ended in a letter."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


POLICIES = {
    "subdomain": is_dns1123_subdomain,
    "label": is_dns1123_label,
    "dns1035": is_dns1035_label,
    "path": is_path_segment_name,
}


def validate_name(policy: str, name: str, prefix: bool = False) -> list[str]:
    """Messages for `name` under a kind's name policy: 'subdomain' (most kinds), 'label'
    (namespaces), 'dns1035' (services) or 'path' (RBAC and other path-segment names).
    With prefix=True the value is a generateName prefix and may end in '-'."""
    try:
        check = POLICIES[policy]
    except KeyError:
        raise ValueError(f"unknown name policy {policy!r}; expected one of {sorted(POLICIES)}") from None
    if prefix and policy != "path":
        name = _mask_trailing_dash(name)
    return check(name)


def generate_name(prefix: str, suffix: str) -> str:
    """metadata.generateName expansion: prefix cut to 58 characters plus the random suffix."""
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        prefix = prefix[:MAX_GENERATED_NAME_LENGTH]
    return prefix + suffix
