"""Label and field selectors parse, print and match as k8s.io/apimachinery/pkg/labels does."""
import pytest

from kcore.machinery import labels
from kcore.machinery.labels import SelectorError

NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
             "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
             "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
               "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
               "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


@pytest.mark.parametrize("text, canonical", [
    pytest.param("", "", id="the empty selector prints empty"),
    pytest.param("env=prod", "env=prod", id="an equality stays as written"),
    pytest.param("a==b", "a==b", id="a double equals is kept"),
    pytest.param("key = value", "key=value", id="spaces around operators are dropped"),
    pytest.param("tier!=db,env in (qa, prod)", "env in (prod,qa),tier!=db", id="requirements sort by key and values sort"),
    pytest.param("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()", id="empty values are kept in sets"),
    pytest.param("x in (in)", "x in (in)", id="keywords are values inside parentheses"),
    pytest.param("!gpu", "!gpu", id="a negated key is does-not-exist"),
    pytest.param("gpu", "gpu", id="a bare key is exists"),
    pytest.param("env=", "env=", id="an empty value is allowed"),
    pytest.param("replicas>5", "replicas>5", id="greater-than keeps its symbol"),
    pytest.param("x in (b,a,b)", "x in (a,b)", id="duplicate set values collapse"),
])
def test_canonical_string(text, canonical):
    assert str(labels.parse(text)) == canonical


@pytest.mark.parametrize("text, message", [
    pytest.param("app:web", 'unable to parse requirement: <nil>: Invalid value: "app:web": ' + NAME_PART,
                 id="a colon in a key is refused as kubectl users see it"),
    pytest.param("env=a@b", 'unable to parse requirement: values[0][env]: Invalid value: "a@b": ' + LABEL_VALUE,
                 id="a bad value names its key"),
    pytest.param("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
                 id="two words without an operator are refused"),
    pytest.param("env in prod", "unable to parse requirement: found 'prod' expected: '('",
                 id="a set without parentheses is refused"),
    pytest.param("env in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'",
                 id="set values need commas"),
    pytest.param("=x", "found '=', expected: !, identifier, or 'end of string'", id="a selector may not start with an operator"),
    pytest.param("x,", "found '', expected: identifier after ','", id="a trailing comma is refused"),
    pytest.param("env=a,b=c=d", "found '=', expected: ',' or 'end of string'", id="a second equals sign is refused"),
    pytest.param("!x=y", "found '=', expected: ',' or 'end of string'", id="a negated key takes no value"),
    pytest.param("x<y", "unable to parse requirement: values[0]: Invalid value: \"y\": for 'Gt', 'Lt' operators, "
                        "the value must be an integer", id="less-than needs an integer"),
    pytest.param("app.kubernetes_io/name=x",
                 'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a '
                 "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                 "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
                 "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                 id="an underscore in a key prefix is refused"),
])
def test_bad_selectors_raise_with_kubernetes_wording(text, message):
    with pytest.raises(SelectorError) as err:
        labels.parse(text)
    assert str(err.value) == message


@pytest.mark.parametrize("text, pod_labels, matches", [
    pytest.param("env in (prod),tier!=db", {"env": "prod"}, True, id="set membership with a missing != key matches"),
    pytest.param("env in (prod),tier!=db", {"env": "prod", "tier": "db"}, False, id="!= refuses the named value"),
    pytest.param("env notin (dev)", {}, True, id="notin matches when the key is absent"),
    pytest.param("env notin (dev)", {"env": "dev"}, False, id="notin refuses a listed value"),
    pytest.param("env in (dev)", {}, False, id="in needs the key"),
    pytest.param("gpu", {"gpu": ""}, True, id="exists matches an empty value"),
    pytest.param("!gpu", {"gpu": "true"}, False, id="does-not-exist refuses a present key"),
    pytest.param("", {"anything": "x"}, True, id="the empty selector matches everything"),
    pytest.param("env=", {"env": ""}, True, id="an empty value matches an empty label"),
    pytest.param("replicas>5", {"replicas": "7"}, True, id="greater-than compares integers"),
    pytest.param("replicas>5", {"replicas": "seven"}, False, id="greater-than ignores non-integers"),
    pytest.param("app=web", None, False, id="an object without labels has none"),
])
def test_matches(text, pod_labels, matches):
    assert labels.parse(text).matches(pod_labels) is matches


@pytest.mark.parametrize("selector, canonical, pod_labels, matches", [
    pytest.param({"matchLabels": {"app": "web"}}, "app=web", {"app": "web"}, True, id="matchLabels become equalities"),
    pytest.param({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db", "cache"]}]},
                 "tier in (cache,db)", {"tier": "db"}, True, id="In becomes a set requirement"),
    pytest.param({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]},
                 "tier notin (db)", {}, True, id="NotIn matches a missing key"),
    pytest.param({"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}, "gpu", {"gpu": "1"}, True,
                 id="Exists needs only the key"),
    pytest.param({"matchExpressions": [{"key": "gpu", "operator": "DoesNotExist"}]}, "!gpu", {"gpu": "1"}, False,
                 id="DoesNotExist refuses the key"),
    pytest.param({}, "", {"a": "b"}, True, id="an empty selector matches everything"),
    pytest.param(None, "", {"a": "b"}, False, id="a null selector matches nothing"),
])
def test_from_label_selector(selector, canonical, pod_labels, matches):
    sel = labels.from_label_selector(selector)
    assert str(sel) == canonical
    assert sel.matches(pod_labels) is matches


@pytest.mark.parametrize("selector, message", [
    pytest.param({"matchExpressions": [{"key": "a", "operator": "Has"}]}, '"Has" is not a valid label selector operator',
                 id="an unknown operator is refused"),
    pytest.param({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]},
                 "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
                 id="In without values is refused"),
    pytest.param({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
                 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
                 id="Exists with values is refused"),
    pytest.param({"matchLabels": {"bad key": "x"}}, 'key: Invalid value: "bad key": ' + NAME_PART,
                 id="a bad matchLabels key is refused"),
])
def test_bad_label_selectors(selector, message):
    with pytest.raises(SelectorError) as err:
        labels.from_label_selector(selector)
    assert str(err.value) == message


@pytest.mark.parametrize("pod_labels, errors", [
    pytest.param({"app": "web", "app.kubernetes.io/name": "web"}, [], id="good labels have no errors"),
    pytest.param({"bad key": "x"}, ['metadata.labels: Invalid value: "bad key": ' + NAME_PART], id="a bad key is reported"),
    pytest.param({"ok": "spaces are not allowed"},
                 ['metadata.labels: Invalid value: "spaces are not allowed": ' + LABEL_VALUE], id="a bad value is reported"),
    pytest.param({"k": "v" * 64}, ['metadata.labels: Invalid value: "' + "v" * 64 + '": must be no more than 63 bytes'],
                 id="a long value is reported"),
])
def test_validate_labels(pod_labels, errors):
    assert labels.validate_labels(pod_labels) == errors


def test_selector_from_set_is_sorted_and_matches_exactly():
    sel = labels.selector_from_set({"tier": "web", "app": "shop"})
    assert str(sel) == "app=shop,tier=web"
    assert sel.matches({"app": "shop", "tier": "web", "x": "y"})
    assert not sel.matches({"app": "shop"})
    assert labels.selector_from_set({}).empty


def test_parse_is_cached():
    assert labels.parse("app=web,tier=db") is labels.parse("app=web,tier=db")


def test_requires_exact_match():
    sel = labels.parse("app=web,tier in (a,b)")
    assert sel.requires_exact_match("app") == "web"
    assert sel.requires_exact_match("tier") is None


@pytest.mark.parametrize("text, fields, matches, canonical", [
    pytest.param("status.phase=Running", {"status.phase": "Running"}, True, "status.phase=Running",
                 id="an equality on a dotted path matches"),
    pytest.param("status.phase==Running", {"status.phase": "Pending"}, False, "status.phase=Running",
                 id="a double equals prints as a single one"),
    pytest.param("spec.nodeName!=node01,status.phase=Running", {"status.phase": "Running", "spec.nodeName": "node02"},
                 True, "spec.nodeName!=node01,status.phase=Running", id="terms are anded and sorted"),
    pytest.param("metadata.name=a\\,b", {"metadata.name": "a,b"}, True, "metadata.name=a\\,b",
                 id="escaped commas are part of the value"),
    pytest.param("", {}, True, "", id="the empty field selector matches everything"),
    pytest.param("spec.nodeName=", {"spec.nodeName": ""}, True, "spec.nodeName=", id="an empty value matches unset"),
])
def test_field_selectors(text, fields, matches, canonical):
    sel = labels.parse_field_selector(text)
    assert sel.matches(lambda path: fields.get(path, "")) is matches
    assert str(sel) == canonical


@pytest.mark.parametrize("text, message", [
    pytest.param("status.phase", "invalid selector: 'status.phase'; can't understand 'status.phase'", id="a term needs an operator"),
    pytest.param("a=b=c", "invalid field selector: unescaped character =", id="a second equals sign must be escaped"),
    pytest.param("a=b\\x", "invalid field selector: invalid escape sequence: \\x", id="only backslash, comma and equals escape"),
])
def test_bad_field_selectors(text, message):
    with pytest.raises(SelectorError) as err:
        labels.parse_field_selector(text)
    assert str(err.value) == message


@pytest.mark.parametrize("text", [
    pytest.param("app:web", id="oracle: a colon in a key"),
    pytest.param("env=a@b", id="oracle: a bad value"),
    pytest.param("a b", id="oracle: a missing operator"),
    pytest.param("env in prod", id="oracle: a set without parentheses"),
    pytest.param("x,", id="oracle: a trailing comma"),
    pytest.param("env in (a b)", id="oracle: set values without a comma"),
    pytest.param("a/b/c=d", id="oracle: two slashes in a key"),
    pytest.param("x<y", id="oracle: less-than with a word"),
    pytest.param("=x", id="oracle: a leading operator"),
    pytest.param("k=" + "v" * 64, id="oracle: a value that is too long"),
])
def test_parse_errors_match_real_kubectl(real_kubectl, tmp_path, text):
    """`kubectl set selector --local` runs labels.Parse offline and prints its error."""
    from tests.conftest import run_real_kubectl

    svc = tmp_path / "svc.json"
    svc.write_text('{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},'
                   '"spec":{"selector":{"a":"b"},"ports":[{"port":80}]}}')
    proc = run_real_kubectl(real_kubectl, ["set", "selector", "-f", str(svc), "--local", text, "-o", "json"])
    with pytest.raises(SelectorError) as err:
        labels.parse(text)
    assert proc.stderr.strip() == f'error: couldn\'t parse the selector string "{text}": {err.value}'


from hypothesis import given, strategies as st  # noqa: E402

_KEYS = st.sampled_from(["app", "tier", "example.com/team", "env"])
_VALUES = st.sampled_from(["", "web", "db", "a.b", "x_y", "in", "notin"])
_SET_VALUES = st.sampled_from(["web", "db", "a.b", "x_y", "in", "notin"])   # "(,,)" is refused by Go too
_REQUIREMENTS = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", _KEYS, _VALUES),
    st.builds(lambda k, v: f"{k}!={v}", _KEYS, _VALUES),
    st.builds(lambda k, vs: f"{k} in ({','.join(vs)})", _KEYS, st.lists(_SET_VALUES, min_size=1, max_size=3)),
    st.builds(lambda k, vs: f"{k} notin ({','.join(vs)})", _KEYS, st.lists(_SET_VALUES, min_size=1, max_size=3)),
    st.builds(lambda k: k, _KEYS),
    st.builds(lambda k: f"!{k}", _KEYS),
)


@given(reqs=st.lists(_REQUIREMENTS, min_size=1, max_size=4),
       pod=st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_canonical_string_reparses_to_the_same_selector(reqs, pod):
    sel = labels.parse(",".join(reqs))
    again = labels.parse(str(sel))
    assert again == sel
    assert again.matches(pod) == sel.matches(pod)
