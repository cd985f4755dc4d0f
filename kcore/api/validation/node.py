"""Nodes: taints must have a qualified-name key, a label-like value, a known effect, and be
unique by key and effect. The path is `metadata.taints[i]`, as ValidateNode builds it (it
derives the taints path from the metadata path); pod CIDRs may not change once set."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.errors import FieldError
from kcore.api.validation.common import as_dict, as_list, spec_of
from kcore.machinery import names

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def validate_taints(taints, path: str = "metadata.taints") -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(as_list(taints)):
        taint, tpath = as_dict(taint), f"{path}[{i}]"
        key, value, effect = taint.get("key") or "", taint.get("value") or "", taint.get("effect") or ""
        errs += [fe.invalid(f"{tpath}.key", key, m) for m in names.is_qualified_name(key)]
        problems = names.is_valid_label_value(str(value))
        if problems:
            errs.append(fe.invalid(f"{tpath}.value", value, ";".join(problems)))
        if not effect:
            errs.append(fe.required(f"{tpath}.effect"))
        elif effect not in EFFECTS:
            errs.append(fe.not_supported(f"{tpath}.effect", effect, EFFECTS))
        if (key, effect) in seen:
            errs.append(fe.FieldError(fe.DUPLICATE, tpath, {k: v for k, v in taint.items() if v not in (None, "")},
                                      "taints must be unique by key and effect pair"))
            continue
        seen.add((key, effect))
    return errs


def _node(obj):
    return validate_taints(spec_of(obj).get("taints"))


def _node_update(new, old):
    old_cidrs = as_list(spec_of(old).get("podCIDRs"))
    if old_cidrs and as_list(spec_of(new).get("podCIDRs")) != old_cidrs:
        return [fe.forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid')]
    return []


CHECKS = {("", "Node"): _node}
UPDATES = {("", "Node"): _node_update}
