"""`-o go-template`: Go's text/template over a decoded object, as kubectl runs it.

Each case is what kubectl v1.35 printed for the template over OBJECT (recorded with
`kubectl patch --local -f obj.json --type=merge -p '{}' -o go-template=...`); the differential
test asks the real binary again where it is available. An exec error writes what ran so far
and a debugging block to stdout, and the error line to stderr."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcore.machinery import gotemplate

OBJECT = {"apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "p", "labels": {"a": "b", "z": "<x>"}},
          "spec": {"containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 80}]}],
                   "n": None, "f": 1.5, "big": 1000000.0}}   # a whole float, as JSON may carry it

# (template, stdout) for templates that run
RUNS = [
    pytest.param("{{.metadata.name}} {{.status.missing}}", "p <no value>", id="a missing key prints no value"),
    pytest.param("{{.spec.nothing.deeper}}", "<no value>", id="fields past a missing key stay missing"),
    pytest.param("{{.spec}}", "map[big:1000000 containers:[map[image:x name:c ports:[map[containerPort:80]]]] "
                 "f:1.5 n:<nil>]", id="maps print as Go maps with sorted keys"),
    pytest.param("{{1.5}} {{1e6}} {{0.00001}} {{.spec.f}} {{.spec.big}}", "1.5 1e+06 1e-05 1.5 1000000",
                 id="floats print as Go's %v prints them"),
    pytest.param("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}", "a=b;z=<x>;",
                 id="range over a map walks sorted keys"),
    pytest.param("{{range $i, $c := .spec.containers}}{{$i}}:{{$c.name}}{{end}}", "0:c",
                 id="range over a list gives index and element"),
    pytest.param("{{range .spec.nope}}x{{else}}empty{{end}}", "empty", id="range over nothing runs else"),
    pytest.param("{{if and .metadata .spec}}yes{{else if .x}}x{{else}}no{{end}}", "yes", id="if with and"),
    pytest.param("{{with .spec.containers}}{{len .}}{{end}}", "1", id="with moves the dot"),
    pytest.param("{{- .metadata.name -}}  \n", "p", id="trim markers eat the spaces around"),
    pytest.param('{{index .metadata.labels "zz"}}', "<no value>", id="index of a missing key"),
    pytest.param('{{.metadata.name | printf "%q"}}', '"p"', id="a pipeline feeds the last argument"),
    pytest.param('{{printf "%5s|%-4d|%v" "ab" 7 .spec.containers}}', "   ab|7   |[map[image:x name:c "
                 "ports:[map[containerPort:80]]]]", id="printf pads and prints lists"),
    pytest.param('{{print 1 2 "a" "b" 3}}', "1 2ab3", id="print spaces only between non-strings"),
    pytest.param('{{not .spec.nope}} {{or .spec.nope "dflt"}}', "true dflt", id="not and or"),
    pytest.param("{{$x := .metadata.name}}{{$x}}", "p", id="a variable"),
    pytest.param("{{(index .spec.containers 0).name}}", "c", id="a field of a parenthesized pipeline"),
    pytest.param('{{base64decode "aGVsbG8="}} {{exists .metadata "labels"}}', "hello true",
                 id="kubectl's base64decode and exists"),
]

# (template, the error line kubectl prints on stderr, without "error: ")
FAILS = [
    pytest.param("{{.metadata.name", "error parsing template {{.metadata.name, template: output:1: "
                 "unclosed action", id="an unclosed action does not parse"),
    pytest.param("{{nope}}", 'error parsing template {{nope}}, template: output:1: function "nope" not defined',
                 id="an unknown function does not parse"),
    pytest.param("{{.spec.n.x}}", 'error executing template "{{.spec.n.x}}": template: output:1:7: executing '
                 '"output" at <.spec.n.x>: nil pointer evaluating interface {}.x', id="a field of null fails"),
    pytest.param("a\n{{.spec.n.x}}", 'error executing template "a\\n{{.spec.n.x}}": template: output:2:7: '
                 'executing "output" at <.spec.n.x>: nil pointer evaluating interface {}.x',
                 id="errors give the line and column"),
    pytest.param("{{.metadata.name.x}}", 'error executing template "{{.metadata.name.x}}": template: '
                 'output:1:11: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type '
                 "interface {}", id="a field of a string fails"),
    pytest.param("{{len .spec.nope}}", 'error executing template "{{len .spec.nope}}": template: output:1:2: '
                 'executing "output" at <len .spec.nope>: error calling len: reflect: call of '
                 "reflect.Value.Type on zero Value", id="len of a missing key fails"),
    pytest.param("{{range .metadata.name}}{{end}}", 'error executing template "{{range .metadata.name}}'
                 '{{end}}": template: output:1:17: executing "output" at <.metadata.name>: range can\'t '
                 "iterate over p", id="range over a string fails"),
    pytest.param("{{eq .metadata.name 3}}", 'error executing template "{{eq .metadata.name 3}}": template: '
                 'output:1:2: executing "output" at <eq .metadata.name 3>: error calling eq: incompatible '
                 "types for comparison: string and int", id="eq of a string and a number fails"),
]


def _kcore(template):
    from kcore.cli.kubectl import KubectlError
    from kcore.cli.kubectl.output import OutputFormat, render
    try:
        return render(None, OutputFormat("go-template", template), [("pods", [OBJECT])], {}, single=True), ""
    except KubectlError as exc:
        return getattr(exc, "stdout", ""), f"{exc.prefix}{exc.message}\n"


@pytest.mark.parametrize("template, stdout", RUNS)
def test_a_template_prints_what_kubectl_prints(template, stdout):
    assert gotemplate.render(template, gotemplate.as_unstructured(OBJECT)) == stdout


@pytest.mark.parametrize("template, line", FAILS)
def test_a_failing_template_says_what_kubectl_says(template, line):
    out, err = _kcore(template)
    assert err == f"error: {line}\n"
    if "executing" in line:
        data = gotemplate.as_unstructured(OBJECT)
        raw = json.dumps(data, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
        assert out.endswith(f"\traw data was:\n\t\t{raw}\n\tobject given to template engine was:\n\t\t"
                            f"{gotemplate.go_sprint(data)}\n\n")
        assert out.startswith(template.partition("{{")[0] + "Error executing template: template: ")


@pytest.mark.parametrize("template", [p.values[0] for p in RUNS + FAILS])
def test_the_real_kubectl_agrees(real_kubectl, tmp_path, template):
    from tests.conftest import run_real_kubectl
    (tmp_path / "obj.json").write_text(json.dumps(OBJECT))
    real = run_real_kubectl(real_kubectl, ["patch", "--local", "-f", "obj.json", "--type=merge", "-p", "{}",
                                           "-o", "go-template=" + template], cwd=str(tmp_path))
    assert _kcore(template) == (real.stdout, real.stderr)


PIECES = st.sampled_from(["{{", "}}", "{{- ", " -}}", ".", ".metadata", ".spec.n", ".name", "range", "if", "else",
                          "end", "with", "$", "$x", ":=", "=", "|", "(", ")", ",", "len", "index", "printf",
                          "eq", "lt", "and", "not", '"s"', "`r`", "'c'", "'cc'", '"\\q"', "1", "-2", "1.5e3",
                          "0x1f", "nil", "true", " ", "\n", '"%d %s"', "base64decode", "slice", "x", "/*", "*/",
                          ".spec.containers", "$i, $e :="])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(PIECES, max_size=12))
def test_any_template_renders_or_fails_with_a_template_error(pieces):
    try:
        gotemplate.render("".join(pieces), OBJECT)
    except gotemplate.TemplateError:
        pass
