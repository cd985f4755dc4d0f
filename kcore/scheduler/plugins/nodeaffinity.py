"""NodeAffinity (PreFilter, Filter, PreScore, Score).

Filter: the node must carry every spec.nodeSelector label and match at least one
requiredDuringScheduling nodeSelectorTerm (`node(s) didn't match Pod's node affinity/selector`,
UnschedulableAndUnresolvable). PreFilter also returns kube-scheduler's PreFilterResult: a pod
pinned to nodes by `matchFields` metadata.name (every DaemonSet pod) is filtered on those nodes
only, and the others read `node(s) didn't satisfy plugin(s) [NodeAffinity]`. Score: the sum
of the weights of the preferred terms the node matches, scaled so the best node gets 100.
Pods with neither skip the plugin entirely."""
from __future__ import annotations

from itertools import compress
from operator import attrgetter, methodcaller, not_

from .. import messages, util
from ..framework import (NODE_NAMES, NODE_NAMES_PLUGINS, SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE,
                         FilterPlugin, PreFilterPlugin, Memo, PreScorePlugin, ScorePlugin, Status, default_normalize_score)

_SKIP = Status(SKIP)
_LABELS = attrgetter("labels")
_NAME = attrgetter("name")
_INDEX = attrgetter("index")
KEY = "NodeAffinity"


def required_of(pod_dict: dict):
    spec = pod_dict.get("spec") or {}
    selector = spec.get("nodeSelector") or {}
    na = (spec.get("affinity") or {}).get("nodeAffinity") or {}
    required = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    return selector, required


def node_matches(selector: dict, required, node_info) -> bool:
    labels = node_info.labels
    for k, v in selector.items():
        if labels.get(k) != v:
            return False
    if required is not None and not util.node_selector_matches(required, labels, node_info.name):
        return False
    return True


def _compile_requirement(expr: dict, field: bool = False):
    """A (labels, name) -> bool closure for one requirement (the hot path of Filter)."""
    key, op, vals = expr.get("key"), expr.get("operator"), expr.get("values") or ()
    if field:
        if key != "metadata.name" or op not in ("In", "NotIn"):
            return lambda labels, name: False
        vs = frozenset(vals)
        return (lambda labels, name: name in vs) if op == "In" else (lambda labels, name: name not in vs)
    vs = frozenset(vals)
    if op == "In":
        fn = lambda labels, name: labels.get(key) in vs  # noqa: E731
        fn.simple_in = (key, vs)
        return fn
    if op == "NotIn":
        return lambda labels, name: labels.get(key) not in vs
    if op == "Exists":
        return lambda labels, name: key in labels
    if op == "DoesNotExist":
        return lambda labels, name: key not in labels
    return lambda labels, name: util.node_selector_requirement_matches(expr, labels)


def compile_term(term: dict):
    checks = [_compile_requirement(e) for e in term.get("matchExpressions") or ()]
    checks += [_compile_requirement(f, field=True) for f in term.get("matchFields") or ()]
    if not checks:
        return lambda labels, name: False
    if len(checks) == 1:
        return checks[0]
    return lambda labels, name: all(c(labels, name) for c in checks)


def compile_required(selector: dict, required):
    """One closure for nodeSelector AND (any required term)."""
    checks = [_compile_requirement({"key": k, "operator": "In", "values": [v]})
              for k, v in selector.items()]
    if required is not None:
        terms = [compile_term(t) for t in required.get("nodeSelectorTerms") or ()]
        if not terms:
            checks.append(lambda labels, name: False)
        elif len(terms) == 1:
            checks.append(terms[0])
        else:
            checks.append(lambda labels, name: any(t(labels, name) for t in terms))
    if len(checks) == 1:
        return checks[0]
    return lambda labels, name: all(c(labels, name) for c in checks)


_MISMATCH = Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.NODE_AFFINITY_MISMATCH, plugin="NodeAffinity")
ERR_REASON_CONFLICT = "pod affinity terms conflict"


def pinned_node_names(required) -> set | None:
    """kube-scheduler's PreFilterResult for node affinity: when every required term names
    nodes through `matchFields` metadata.name In [...], only those nodes can fit (the
    requirements of a term are ANDed: intersect; the terms are ORed: union). None when some
    term leaves every node possible. An empty set means the terms conflict."""
    if required is None:
        return None
    names = None
    for term in required.get("nodeSelectorTerms") or ():
        term_names = None
        for f in (term or {}).get("matchFields") or ():
            if f.get("key") == "metadata.name" and f.get("operator") == "In":
                vs = set(f.get("values") or ())
                term_names = vs if term_names is None else term_names & vs
        if term_names is None:
            return None
        names = term_names if names is None else names | term_names
    return names


class NodeAffinity(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = "NodeAffinity"
    normalizes = True

    def pre_filter(self, state, pod, nodes):
        selector, required = required_of(pod.pod)
        if not selector and required is None:
            return _SKIP
        state[KEY] = compile_required(selector, required)
        names = pinned_node_names(required)
        if names is not None:
            if not names:
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, ERR_REASON_CONFLICT)
            state[NODE_NAMES] = names
            state[NODE_NAMES_PLUGINS] = [self.name]
        return None

    def filter(self, state, pod, node_info):
        match = state.get(KEY) or compile_required(*required_of(pod.pod))
        if match(node_info.labels, node_info.name):
            return None
        return _MISMATCH

    def static_key(self, state, pod):
        return repr(required_of(pod.pod))

    def filter_nodes(self, state, pod, nodes, failed):
        match = state.get(KEY) or compile_required(*required_of(pod.pod))
        simple = getattr(match, "simple_in", None)
        if simple is not None:
            key, vs = simple
            verdicts = list(map(vs.__contains__, map(methodcaller("get", key), map(_LABELS, nodes))))
            ok = list(compress(nodes, verdicts))
            if len(ok) != len(nodes):
                failed.update(dict.fromkeys(
                    map(_NAME, compress(nodes, map(not_, verdicts))), _MISMATCH))
            return ok
        ok = [ni for ni in nodes if match(ni.labels, ni.name)]
        if len(ok) != len(nodes):
            failed.update(dict.fromkeys(
                [ni.name for ni in nodes if not match(ni.labels, ni.name)], _MISMATCH))
        return ok

    def pre_score(self, state, pod, nodes):
        na = ((pod.pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
        terms = [(t.get("weight", 0), t.get("preference") or {})
                 for t in na.get("preferredDuringSchedulingIgnoredDuringExecution") or ()]
        terms = [(w, p) for w, p in terms if w]
        if not terms:
            return _SKIP
        state[KEY + "/preferred"] = [(w, compile_term(p)) for w, p in terms]
        state[KEY + "/key"] = repr(terms)
        return None

    def score(self, state, pod, node_info):
        total = 0
        for weight, match in state[KEY + "/preferred"]:
            if match(node_info.labels, node_info.name):
                total += weight
        return total

    def score_nodes(self, state, pod, nodes):
        cache = self.handle.cache if self.handle is not None else None
        if cache is not None and nodes and nodes[0].index >= 0:
            # preferences read only node labels: score the cluster once per distinct pod spec
            raw = cache.static_scores((self.name, state[KEY + "/key"]),
                                      lambda ni: self.score(state, pod, ni))
            return list(map(raw.__getitem__, map(_INDEX, nodes)))
        terms = state[KEY + "/preferred"]
        if len(terms) == 1:
            w, match = terms[0]
            simple = getattr(match, "simple_in", None)
            if simple is not None:
                key, vs = simple
                weight = Memo(lambda value: w if value in vs else 0)
                return list(map(weight.__getitem__, map(methodcaller("get", key), map(_LABELS, nodes))))
            return [w if match(ni.labels, ni.name) else 0 for ni in nodes]
        score = self.score
        return [score(state, pod, ni) for ni in nodes]

    def normalize_score(self, state, pod, scores):
        default_normalize_score(scores, reverse=False)

    def events_to_register(self):
        return (("Node", "Add"), ("Node", "Update"))
