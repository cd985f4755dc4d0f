"""kcore.machinery.jsonpath without the oracle: templates, strict mode, errors, relaxed paths,
plain `$` queries, Go number printing, and a fuzz check that bad input only ever raises
JSONPathError. (test_jsonpath_differential.py checks the same engine against real kubectl.)"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from kcore.machinery import jsonpath
from kcore.machinery.jsonpath import JSONPathError, gofmt


def pod(name, phase="Running", **labels):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": labels},
            "spec": {"containers": [{"name": "app", "image": f"{name}:1"}]},
            "status": {"phase": phase}}


def pod_list(*pods):
    return jsonpath.kubectl_list(pods)


PODS = pod_list(pod("a", app="web"), pod("b", "Pending", app="db"), pod("c", app="web"))


@pytest.mark.parametrize("template, want", [
    pytest.param("{.items[*].metadata.name}", "a b c", id="names of a list are joined by spaces"),
    pytest.param("{.items[0].metadata.name}", "a", id="one item of a list prints alone"),
    pytest.param('{range .items[*]}{.metadata.name}{"\\n"}{end}', "a\nb\nc\n",
                 id="range prints a line per item"),
    pytest.param('{.items[?(@.status.phase=="Pending")].metadata.name}', "b",
                 id="a filter keeps matching items"),
    pytest.param("{.items[?(@.metadata.labels.app)].metadata.name}", "a b c",
                 id="an existence filter keeps items with the field"),
    pytest.param("{.items[-1:].metadata.name}", "c", id="a negative slice takes the tail"),
    pytest.param("{.items[0,2].metadata.name}", "a c", id="a union picks listed indexes"),
    pytest.param("{.items[0].metadata.labels}", '{"app":"web"}', id="a map prints as json"),
    pytest.param("{..phase}", "Running Pending Running", id="recursive descent finds all phases"),
    pytest.param("{.missing.field}", "", id="missing keys print nothing by default"),
    pytest.param("n={.items[1].metadata.name}.", "n=b.", id="text around actions is literal"),
    pytest.param("{.kind}{.apiVersion}", "Listv1", id="actions are concatenated"),
])
def test_render_prints_like_kubectl(template, want):
    assert jsonpath.render(template, PODS) == want


@pytest.mark.parametrize("template, message", [
    pytest.param("{.items[0].spec.missing}", "missing is not found", id="a missing key is an error when not allowed"),
    pytest.param("{.items[*].spec.nope}", "nope is not found", id="a key missing on every item is an error"),
    pytest.param('{.items[?(@.nope=="x")]}', "nope is not found", id="a missing key inside a comparison is an error"),
])
def test_strict_mode_reports_missing_keys(template, message):
    with pytest.raises(JSONPathError) as err:
        jsonpath.render(template, PODS, allow_missing_keys=False)
    assert str(err.value) == message and err.value.phase == "execute"


def test_strict_mode_still_lets_existence_filters_skip_items():
    data = pod_list(pod("a"), {"metadata": {"name": "bare"}})
    assert jsonpath.render("{.items[?(@.spec)].metadata.name}", data, allow_missing_keys=False) == "a"


@pytest.mark.parametrize("template, message, phase", [
    pytest.param("{.items[9]}", "array index out of bounds: index 9, length 3", "execute",
                 id="an index out of bounds is an error even with missing keys allowed"),
    pytest.param("{.metadata.name", "unclosed action", "parse", id="an unclosed brace is a parse error"),
    pytest.param("{!}", "unrecognized character in action: U+0021 '!'", "parse",
                 id="an unknown character is named by its code point"),
    pytest.param("{\t}", "unrecognized character in action: U+0009", "parse",
                 id="a non-printable character is named without a quote"),
    pytest.param("{end}", "not in range, nothing to end", "execute", id="an end outside a range is an error"),
    pytest.param("{.items[?(@.kind<true)]}", "incompatible types for comparison", "execute",
                 id="comparing a string with a boolean is an error"),
])
def test_errors_carry_client_go_messages(template, message, phase):
    with pytest.raises(JSONPathError) as err:
        jsonpath.render(template, PODS)
    assert (str(err.value), err.value.phase) == (message, phase)


def test_kubectl_error_text_for_a_parse_error():
    exc = JSONPathError("unclosed action", phase="parse")
    assert jsonpath.kubectl_error_text("{.a", {}, exc) == "error: error parsing jsonpath {.a, unclosed action\n"


def test_kubectl_error_text_for_an_execution_error_shows_the_object_in_go_syntax():
    data = {"kind": "Pod", "n": 1, "x": None, "l": ["a", 2.5, True]}
    exc = JSONPathError("array index out of bounds: index 5, length 3")
    assert jsonpath.kubectl_error_text('{.l[5]}{"x"}', data, exc) == (
        'error: error executing jsonpath "{.l[5]}{\\"x\\"}": Error executing template: '
        "array index out of bounds: index 5, length 3. Printing more information for debugging the template:\n"
        '\ttemplate was:\n\t\t{.l[5]}{"x"}\n'
        '\tobject given to jsonpath engine was:\n'
        '\t\tmap[string]interface {}{"kind":"Pod", "l":[]interface {}{"a", 2.5, true}, "n":1, "x":interface {}(nil)}'
        "\n\n\n")


@pytest.mark.parametrize("template, data, want", [
    pytest.param("{.a}", {"a": 1}, ("1", "", 0), id="a good template prints to stdout"),
    pytest.param("", {"a": 1}, ("", "error: template format specified but no template given\n", 1),
                 id="an empty template is refused"),
    pytest.param("{.a", {}, ("", "error: error parsing jsonpath {.a, unclosed action\n", 1),
                 id="a broken template exits with 1"),
])
def test_kubectl_output(template, data, want):
    assert jsonpath.kubectl_output(template, data) == want


@pytest.mark.parametrize("expr, want", [
    pytest.param(".metadata.name", "{.metadata.name}", id="a leading dot path gets braces"),
    pytest.param("metadata.name", "{.metadata.name}", id="a bare path gets a dot and braces"),
    pytest.param("{.metadata.name}", "{.metadata.name}", id="a full template is kept"),
    pytest.param("{metadata.name}", "{.metadata.name}", id="a braced path without a dot gets one"),
    pytest.param(".items[*].spec", "{.items[*].spec}", id="brackets are kept"),
    pytest.param("", "", id="an empty expression stays empty"),
])
def test_relaxed_paths(expr, want):
    assert jsonpath.relaxed(expr) == want


def test_relaxed_rejects_two_actions():
    with pytest.raises(JSONPathError, match="unexpected path string, expected a 'name1.name2'"):
        jsonpath.relaxed("{.a}{.b}")


VEHICLES = {
    "car": {"color": "blue", "price": "$20,000", "wheels": [
        {"model": "KDJ39848T", "location": "front-right"},
        {"model": "MDJ39485DK", "location": "front-left"},
        {"model": "KCMDD3435K", "location": "rear-right"},
        {"model": "JJDH34234KK", "location": "rear-left"}]},
    "bus": {"color": "white", "price": "$120,000", "wheels": [
        {"model": "BSJ39848T", "location": "rear-right"},
        {"model": "BSJ39485DK", "location": "rear-left"}]},
}
NUMBERS = [12, 43, 23, 12, 56, 43, 93, 32, 45, 63, 27, 8, 78]
NOBEL = {"prizes": [
    {"year": "2014", "category": "physics", "laureates": [{"firstname": "Isamu"}, {"firstname": "Hiroshi"}]},
    {"year": "2014", "category": "peace", "laureates": [{"firstname": "Malala"}]},
    {"year": "2013", "category": "physics", "laureates": [{"firstname": "Peter"}]}]}


@pytest.mark.parametrize("expr, data, want", [
    pytest.param("$.car.color", VEHICLES, ["blue"], id="a dotted path finds one value"),
    pytest.param("$.car", {"car": {"a": 1}}, [{"a": 1}], id="an object is one match"),
    pytest.param("$[0]", ["car", "bus"], ["car"], id="an index finds one element"),
    pytest.param("$[0,3]", ["a", "b", "c", "d"], ["a", "d"], id="a union finds several elements"),
    pytest.param("$[0:3]", NUMBERS, [12, 43, 23], id="a slice stops before its end"),
    pytest.param("$[-1:]", NUMBERS, [78], id="a negative slice takes the last element"),
    pytest.param("$[-1]", NUMBERS, [78], id="a negative index takes the last element"),
    pytest.param("$[20]", NUMBERS, [], id="an index past the end matches nothing"),
    pytest.param("$[10:99]", NUMBERS, [27, 8, 78], id="a slice past the end is clamped"),
    pytest.param("$[?(@ > 40)]", NUMBERS, [43, 56, 43, 93, 45, 63, 78], id="a filter on the element itself"),
    pytest.param("$.car.wheels[*].model", VEHICLES,
                 ["KDJ39848T", "MDJ39485DK", "KCMDD3435K", "JJDH34234KK"], id="a wildcard over a list"),
    pytest.param('$.car.wheels[?(@.location == "rear-right")].model', VEHICLES, ["KCMDD3435K"],
                 id="a filter on a field"),
    pytest.param('$.*.wheels[?(@.location == "rear-right")].model', VEHICLES, ["KCMDD3435K", "BSJ39848T"],
                 id="a wildcard over object members keeps document order"),
    pytest.param("$..color", VEHICLES, ["blue", "white"], id="recursive descent finds every color"),
    pytest.param("$.prizes[?(@.year == 2014)].laureates[*].firstname", NOBEL,
                 ["Isamu", "Hiroshi", "Malala"], id="a number compares loosely with a numeric string"),
    pytest.param("$.prizes[?(@.category == 'peace')].year", NOBEL, ["2014"], id="single quotes in a filter"),
    pytest.param("$.missing", VEHICLES, [], id="a missing key matches nothing"),
    pytest.param("$", [1], [[1]], id="the root alone is one match"),
])
def test_query(expr, data, want):
    assert jsonpath.query(expr, data) == want


def test_query_rejects_a_path_without_a_root():
    with pytest.raises(JSONPathError):
        jsonpath.query("car.color", VEHICLES)


@pytest.mark.parametrize("value, v, as_json", [
    pytest.param(0.5, "0.5", "0.5", id="a half prints plainly"),
    pytest.param(1234567.25, "1.23456725e+06", "1234567.25", id="seven integer digits switch %v to exponent"),
    pytest.param(123456.5, "123456.5", "123456.5", id="six integer digits stay plain"),
    pytest.param(0.0001, "0.0001", "0.0001", id="four decimal places stay plain"),
    pytest.param(0.00001, "1e-05", "0.00001", id="five decimal places switch %v to exponent"),
    pytest.param(1.5e-7, "1.5e-07", "1.5e-7", id="json trims the exponent's leading zero"),
    pytest.param(1e21, "1e+21", "1e+21", id="json switches to exponent at 1e21"),
    pytest.param(2.0, "2", "2", id="a whole float is an integer to kubectl"),
    pytest.param(2**64, "1.8446744073709552e+19", "18446744073709552000", id="an integer beyond int64 is a float"),
])
def test_numbers_print_as_go_prints_them(value, v, as_json):
    assert (gofmt.text(value), gofmt.json_marshal(value)) == (v, as_json)


def test_json_strings_escape_html_and_line_separators():
    assert gofmt.json_marshal({"s": "<a&b>\u2028\n\x01"}) == '{"s":"\\u003ca\\u0026b\\u003e\\u2028\\n\\u0001"}'


def test_as_json_prints_each_result_list_as_an_indented_array():
    assert jsonpath.render("{.items[0,1].metadata.name}x{.items[0].metadata.labels}{.none}", PODS,
                           as_json=True) == (
        '[\n    "a",\n    "b"\n]\n[\n    "x"\n]\n[\n    {\n        "app": "web"\n    }\n]\n[]\n')


def test_deeply_nested_data_is_an_error_not_a_crash():
    deep = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(JSONPathError):
        jsonpath.render("{..x}", {"a": deep})


def test_a_single_object_has_no_items_but_a_list_does():
    assert jsonpath.render("[{.items[*].metadata.name}]", pod("a")) == "[]"
    assert jsonpath.render("{.kind}:{.items[*].metadata.name}", pod_list(pod("a"))) == "List:a"


def test_a_template_is_parsed_once():
    assert jsonpath.parse("{.a.b}") is jsonpath.parse("{.a.b}")


_PIECES = st.sampled_from(list("{}[]().,*?@$'\"\\:-+0123456789 =<>!abn\n\t") +
                          [".metadata", "range ", "end", ".items[*]", "[?(@.", "..", "'a'", '"x"'])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12).map("".join))
def test_any_template_renders_or_raises_jsonpath_error(template):
    for allow in (True, False):
        try:
            assert isinstance(jsonpath.render(template, PODS, allow_missing_keys=allow), str)
        except JSONPathError as exc:
            assert exc.phase in ("parse", "execute") and str(exc)
    try:
        jsonpath.query("$" + template, PODS)
    except JSONPathError:
        pass
