"""Properties: bad input never crashes decoding, defaulting or validation; defaulting is idempotent."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcore.api import defaults, kinds, schema, validation
from kcore.api.errors import FieldError

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["", "nginx", "Always", "80", "1Gi", "250m", "x y", "TCP", "None", "app"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["name", "image", "ports", "containerPort", "resources", "limits", "cpu",
                                     "selector", "matchLabels", "app", "template", "spec", "metadata", "labels",
                                     "containers", "replicas", "strategy", "type", "port", "targetPort", "x"]),
                    inner, max_size=4)), max_leaves=20)

KINDS = [(rt.api_version, rt.kind) for rt in kinds.ALL]


@st.composite
def objects(draw):
    api_version, kind = draw(st.sampled_from(KINDS))
    obj = {"apiVersion": api_version, "kind": kind, "metadata": draw(st.one_of(
        st.just({"name": "x"}), st.dictionaries(st.sampled_from(["name", "labels", "namespace"]), json_values, max_size=2)))}
    for key in draw(st.lists(st.sampled_from(["spec", "data", "rules", "subjects", "type", "roleRef"]), max_size=3)):
        obj[key] = draw(json_values)
    return obj


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(objects())
def test_any_object_gets_errors_not_exceptions(obj):
    errs = schema.decode_errors(copy.deepcopy(obj))
    assert all(isinstance(e, FieldError) and str(e) for e in errs)
    if errs:
        return  # the apiserver stops at decoding, and so do later stages
    once = copy.deepcopy(obj)
    defaults.apply(once)
    twice = copy.deepcopy(once)
    defaults.apply(twice)
    assert twice == once
    for e in validation.validate(once) + validation.validate(once, obj):
        assert isinstance(e, FieldError) and str(e)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(objects())
def test_defaulting_and_validation_survive_objects_that_never_decoded(obj):
    defaults.apply(obj)
    for e in validation.validate(obj) + validation.validate(obj, copy.deepcopy(obj)):
        assert isinstance(e, FieldError)
