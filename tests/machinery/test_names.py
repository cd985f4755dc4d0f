"""Name rules return apimachinery's exact messages (texts from apimachinery v0.35 source)."""
import pytest

from kcore.machinery import names

SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
               "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
               "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
NAME_PART_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                 "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                 "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
             "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
             "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


@pytest.mark.parametrize("value, errors", [
    pytest.param("web", [], id="a short lower-case name is a subdomain"),
    pytest.param("web-1.example.com", [], id="dotted names are subdomains"),
    pytest.param("a" * 253, [], id="253 characters is the subdomain limit"),
    pytest.param("Bad_Name", [SUBDOMAIN_MSG], id="upper case and underscores are refused"),
    pytest.param("-web", [SUBDOMAIN_MSG], id="a leading dash is refused"),
    pytest.param("web.", [SUBDOMAIN_MSG], id="a trailing dot is refused"),
    pytest.param("", [SUBDOMAIN_MSG], id="an empty subdomain is refused"),
    pytest.param("web\n", [SUBDOMAIN_MSG], id="a trailing newline is refused"),
    pytest.param("a" * 254, ["must be no more than 253 characters"], id="254 characters is too long"),
])
def test_dns1123_subdomain(value, errors):
    assert names.is_dns1123_subdomain(value) == errors


@pytest.mark.parametrize("value, errors", [
    pytest.param("dev", [], id="a lower-case namespace is a label"),
    pytest.param("123-abc", [], id="a label may start with a digit"),
    pytest.param("a" * 63, [], id="63 characters is the label limit"),
    pytest.param("Dev", [LABEL_MSG], id="upper case is refused"),
    pytest.param("a.b", ["must not contain dots"], id="a dotted name is a subdomain, not a label"),
    pytest.param("a" * 64, ["must be no more than 63 characters"], id="64 characters is too long"),
    pytest.param("A" * 64, ["must be no more than 63 characters", LABEL_MSG], id="too long and bad reports both"),
])
def test_dns1123_label(value, errors):
    assert names.is_dns1123_label(value) == errors


@pytest.mark.parametrize("value, errors", [
    pytest.param("my-svc", [], id="a service name starting with a letter is fine"),
    pytest.param("1svc", [DNS1035_MSG], id="a service name may not start with a digit"),
    pytest.param("svc-", [DNS1035_MSG], id="a service name may not end with a dash"),
])
def test_dns1035_label(value, errors):
    assert names.is_dns1035_label(value) == errors


@pytest.mark.parametrize("value, errors", [
    pytest.param("app", [], id="a bare key is qualified"),
    pytest.param("app.kubernetes.io/name", [], id="a prefixed key is qualified"),
    pytest.param("MyName", [], id="keys may use upper case"),
    pytest.param("app:web", [NAME_PART_MSG], id="a colon is refused"),
    pytest.param("/name", ["prefix part must be non-empty"], id="an empty prefix is refused"),
    pytest.param("example.com/", ["name part must be non-empty", NAME_PART_MSG], id="an empty name part is refused"),
    pytest.param("a" * 64, ["name part must be no more than 63 bytes"], id="a 64-character name part is too long"),
    pytest.param("Example.com/x", ["prefix part " + SUBDOMAIN_MSG], id="the prefix must be a lower-case subdomain"),
    pytest.param("k" * 254 + "/k", ["prefix part must be no more than 253 bytes"], id="a long key prefix is measured in bytes"),
    pytest.param("a/b/c", ["a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must "
                           "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                           "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
                           "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
                 id="two slashes are refused"),
])
def test_qualified_name(value, errors):
    assert names.is_qualified_name(value) == errors


@pytest.mark.parametrize("value, errors", [
    pytest.param("", [], id="an empty label value is valid"),
    pytest.param("my_value", [], id="underscores are allowed in values"),
    pytest.param("bad value", [VALUE_MSG], id="spaces are refused"),
    pytest.param("v" * 64, ["must be no more than 63 bytes"], id="a 64-character value is too long"),
])
def test_label_value(value, errors):
    assert names.is_valid_label_value(value) == errors


@pytest.mark.parametrize("value, errors", [
    pytest.param("key.name", [], id="a dotted key is a valid config key"),
    pytest.param("..data", ["must not start with '..'"], id="a key may not start with two dots"),
    pytest.param("..", ["must not be '..'"], id="a key may not be two dots"),
    pytest.param("a b", ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                         "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                         "'[-._a-zA-Z0-9]+')"], id="a space is refused in a config key"),
])
def test_config_map_key(value, errors):
    assert names.is_config_map_key(value) == errors


@pytest.mark.parametrize("policy, name, prefix, errors", [
    pytest.param("subdomain", "web.v1", False, [], id="a pod may have a dotted name"),
    pytest.param("label", "web.v1", False, ["must not contain dots"], id="a namespace may not have dots"),
    pytest.param("dns1035", "1web", False, [DNS1035_MSG], id="a service name must start with a letter"),
    pytest.param("subdomain", "web-", True, [], id="a generateName prefix may end in a dash"),
    pytest.param("subdomain", "web-", False, [SUBDOMAIN_MSG], id="a name may not end in a dash"),
    pytest.param("path", "system:admin", False, [], id="RBAC names only need to be path segments"),
    pytest.param("path", "a/b", False, ["may not contain '/'"], id="a path segment may not hold a slash"),
    pytest.param("path", "..", False, ["may not be '..'"], id="a path segment may not be two dots"),
])
def test_validate_name_by_policy(policy, name, prefix, errors):
    assert names.validate_name(policy, name, prefix=prefix) == errors


def test_unknown_policy_is_a_value_error():
    with pytest.raises(ValueError):
        names.validate_name("nonsense", "x")


@pytest.mark.parametrize("prefix, suffix, expected", [
    pytest.param("web-", "x7k2p", "web-x7k2p", id="a short prefix is kept whole"),
    pytest.param("a" * 58, "bcdfg", "a" * 58 + "bcdfg", id="a 58-character prefix is kept whole"),
    pytest.param("a" * 70, "bcdfg", "a" * 58 + "bcdfg", id="a long prefix is cut to 58 characters"),
])
def test_generate_name(prefix, suffix, expected):
    result = names.generate_name(prefix, suffix)
    assert result == expected
    assert len(result) <= 63
