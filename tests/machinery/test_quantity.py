"""Quantities parse and print exactly as apimachinery's resource.Quantity (cases from its tests)."""
import pytest

from kcore.machinery import quantity
from kcore.machinery.quantity import QuantityError, bytes_value, cpu_millis, parse

FORMAT_WRONG = ("quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


@pytest.mark.parametrize("text, canonical", [
    pytest.param("0", "0", id="zero stays zero"),
    pytest.param("0Gi", "0", id="a zero with a suffix prints as a bare zero"),
    pytest.param("1000m", "1", id="a thousand millis is one"),
    pytest.param("0.1", "100m", id="a tenth prints in millis"),
    pytest.param("1.5", "1500m", id="one and a half prints as 1500m"),
    pytest.param("1.5Gi", "1536Mi", id="a fractional Gi falls to whole Mi"),
    pytest.param("1000Mi", "1000Mi", id="1000Mi is not a whole Gi and stays"),
    pytest.param("1024Mi", "1Gi", id="1024Mi rises to 1Gi"),
    pytest.param("1000M", "1G", id="1000M rises to 1G"),
    pytest.param("12e6", "12e6", id="an exponent quantity keeps exponent form"),
    pytest.param("1E-3", "1E-3", id="canonical-looking text is kept verbatim even with a capital E"),
    pytest.param("1000E-6", "1e-3", id="a rewritten exponent prints lower case"),
    pytest.param("1e3", "1e3", id="1e3 stays 1e3"),
    pytest.param("1.2e3", "1200", id="a fractional mantissa with exponent 0 prints bare"),
    pytest.param("0.5e-1", "50e-3", id="exponent form keeps exponents a multiple of three"),
    pytest.param("50k", "50k", id="50k stays 50k"),
    pytest.param("8.1k", "8100", id="8.1k prints as a plain integer"),
    pytest.param("100.035k", "100.035k", id="100.035k is kept verbatim because its scale is canonical"),
    pytest.param("100.0350k", "100035", id="100.0350k is rewritten as a plain integer"),
    pytest.param(".001Ki", "1024m", id="a thousandth of a Ki prints in millis"),
    pytest.param(".000001Ki", "1024u", id="a millionth of a Ki prints in micros"),
    pytest.param(".000000001Ki", "1024n", id="a billionth of a Ki prints in nanos"),
    pytest.param(".000000000001Ki", "2n", id="values finer than nano round up"),
    pytest.param("0.9n", "1n", id="0.9n rounds up to 1n"),
    pytest.param("3.001n", "4n", id="3.001n rounds up to 4n"),
    pytest.param("0.00000012345", "124n", id="extra precision rounds up to the next nano"),
    pytest.param("9Ei", "9223372036854775807", id="binary quantities are capped at 2^63-1"),
    pytest.param("1.1Ki", "1126400m", id="a binary value with a fraction of a byte prints decimal"),
    pytest.param("0.5Ki", "512", id="a binary value below 1024 prints decimal"),
    pytest.param("1025", "1025", id="a plain integer prints as itself"),
    pytest.param("1000E", "1", id="beyond E v1.35 drops the exponent (an upstream bug kubectl shows)"),
    pytest.param("12E", "12E", id="12E stays 12E"),
    pytest.param("-1.5Gi", "-1536Mi", id="negative values keep their sign"),
    pytest.param("+250m", "+250m", id="an explicit plus sign survives verbatim as in apimachinery"),
    pytest.param("+1Pi", "1Pi", id="a plus sign is dropped when the slow path rewrites the text"),
    pytest.param("-0", "0", id="negative zero prints as zero"),
    pytest.param("1.", "1.", id="a trailing dot is allowed and kept"),
    pytest.param("1.G", "1.G", id="a trailing dot before a suffix is allowed and kept"),
    pytest.param("1.0G", "1G", id="1.0G is rewritten as 1G"),
    pytest.param(".0001k", "100m", id="a leading dot is allowed"),
    pytest.param("300Mi", "300Mi", id="300Mi stays 300Mi"),
    pytest.param("307200Ki", "300Mi", id="307200Ki rises to 300Mi"),
    pytest.param("1025024Mi", "1001Gi", id="1025024Mi rises to 1001Gi"),
])
def test_canonical_form(text, canonical):
    assert str(parse(text)) == canonical


@pytest.mark.parametrize("text, message", [
    pytest.param("", FORMAT_WRONG, id="an empty string is refused"),
    pytest.param("aoeu", FORMAT_WRONG, id="words are refused"),
    pytest.param("1.1.M", FORMAT_WRONG, id="two dots are refused"),
    pytest.param("1+1.0M", FORMAT_WRONG, id="an expression is refused"),
    pytest.param(" 1", FORMAT_WRONG, id="leading whitespace is refused"),
    pytest.param("1 ", FORMAT_WRONG, id="trailing whitespace is refused"),
    pytest.param("500mb", FORMAT_WRONG, id="a unit like mb is refused"),
    pytest.param("0.1mi", "unable to parse quantity's suffix", id="a lower-case mi suffix is unknown"),
    pytest.param("1i", "unable to parse quantity's suffix", id="a bare i suffix is unknown"),
    pytest.param("-3.01e-", "unable to parse quantity's suffix", id="an exponent without digits is unknown"),
    pytest.param("1e", "unable to parse quantity's suffix", id="a bare e is unknown"),
    pytest.param("2Gb", FORMAT_WRONG, id="Gb is not Gi"),
])
def test_bad_quantities_are_refused_with_apimachinery_wording(text, message):
    with pytest.raises(QuantityError) as err:
        parse(text)
    assert str(err.value) == message
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("text, value, milli", [
    pytest.param("250m", 1, 250, id="250m is one unit rounded up and 250 millis"),
    pytest.param("2", 2, 2000, id="two cores are 2000 millis"),
    pytest.param("1Ki", 1024, 1024000, id="1Ki is 1024"),
    pytest.param("1.5", 2, 1500, id="value rounds 1.5 up to 2"),
    pytest.param("-1.5", -2, -1500, id="negative values round away from zero"),
    pytest.param("1n", 1, 1, id="a nano rounds up to a milli"),
    pytest.param("128974848", 128974848, 128974848000, id="a plain byte count is exact"),
    pytest.param("129e6", 129000000, 129000000000, id="an exponent is expanded"),
    pytest.param("123Mi", 128974848, 128974848000, id="123Mi is 128974848 bytes"),
])
def test_value_and_milli_value(text, value, milli):
    q = parse(text)
    assert (q.value(), q.milli_value()) == (value, milli)


@pytest.mark.parametrize("left, right, expected", [
    pytest.param("100m", "50m", 1, id="100m is more than 50m"),
    pytest.param("50m", "100m", -1, id="50m is less than 100m"),
    pytest.param("0", "0", 0, id="zero equals zero"),
    pytest.param("10000T", "100Gi", 1, id="10000T is more than 100Gi"),
    pytest.param("1Gi", "1073741824", 0, id="1Gi equals its byte count"),
    pytest.param("1", "1000m", 0, id="1 equals 1000m"),
    pytest.param("0.5", "500m", 0, id="0.5 equals 500m"),
])
def test_comparison(left, right, expected):
    a, b = parse(left), parse(right)
    assert a.cmp(b) == expected
    assert (a == b) == (expected == 0)
    assert (a < b) == (expected < 0)
    assert (a <= b) == (expected <= 0)
    assert (a > b) == (expected > 0)
    assert (a >= b) == (expected >= 0)


@pytest.mark.parametrize("left, right, total, difference", [
    pytest.param("100m", "0", "100m", "100m", id="adding zero keeps the suffix"),
    pytest.param("0", "1Gi", "1Gi", "-1Gi", id="zero takes the other side's format"),
    pytest.param("1Gi", "512Mi", "1536Mi", "512Mi", id="binary quantities add exactly"),
    pytest.param("250m", "750m", "1", "-500m", id="millis add up to a whole core"),
    pytest.param("1", "1Gi", "1073741825", "-1073741823", id="decimal plus binary keeps the left format"),
])
def test_addition_and_subtraction(left, right, total, difference):
    a, b = parse(left), parse(right)
    assert str(a + b) == total
    assert str(a - b) == difference


def test_sum_of_quantities_starts_from_zero():
    assert str(sum(parse(t) for t in ["100m", "200m", "700m"])) == "1"


def test_parse_is_cached_and_immutable_results_are_shared():
    assert parse("123Mi") is parse("123Mi")


@pytest.mark.parametrize("value, expected", [
    pytest.param(1, "1", id="a JSON integer parses"),
    pytest.param(0.5, "500m", id="a JSON float parses"),
    pytest.param(1e-05, "10e-6", id="a JSON float in exponent form parses"),
])
def test_json_numbers_are_quantities(value, expected):
    assert str(parse(value)) == expected


@pytest.mark.parametrize("value", [
    pytest.param(None, id="null is not a quantity"),
    pytest.param(True, id="a boolean is not a quantity"),
    pytest.param(["1"], id="a list is not a quantity"),
])
def test_non_strings_raise_quantity_error(value):
    with pytest.raises(QuantityError):
        parse(value)


@pytest.mark.parametrize("text, millis, nbytes", [
    pytest.param("500m", 500, 1, id="500m cpu"),
    pytest.param("2", 2000, 2, id="two cpus"),
    pytest.param("64Mi", 67108864000, 67108864, id="64Mi memory"),
    pytest.param("1G", 10 ** 12, 10 ** 9, id="1G memory"),
])
def test_helpers(text, millis, nbytes):
    assert cpu_millis(text) == millis
    assert bytes_value(text) == nbytes


def test_as_float():
    assert parse("1.5Gi").as_float() == 1610612736.0
    assert parse("250m").as_float() == 0.25


def test_formats_are_remembered():
    assert parse("1Gi").format == quantity.BINARY_SI
    assert parse("1G").format == quantity.DECIMAL_SI
    assert parse("1e9").format == quantity.DECIMAL_EXPONENT
    assert parse("0.000000000001Ki").format == quantity.DECIMAL_SI


ORACLE_INPUTS = ["1000m", "1.5Gi", "0.1", "1000Mi", "1024Mi", "12e6", "1E-3", "100.035k", "+250m", "1.", "1.G",
                 "01", "+1Ti", "+1Pi", "01Mi", "1025Mi", "-1Mi", "0.5e-1", "1.2e3", "8.1k", "9Ei", "1000E", ".0001k",
                 "-0", "0.0", "1e21", ".000000000001Ki", "0.9n", "3.001n", "1.1Ki", "0.5Ki", "129e6", "123Mi",
                 "307200Ki", "1000M", "5.444T", "0.00000012345", "7.123456M"]


def test_canonical_strings_match_real_kubectl(real_kubectl):
    """`kubectl create quota --dry-run=client` parses and re-prints quantities offline."""
    import json

    from tests.conftest import run_real_kubectl

    hard = ",".join(f"q{i}={text}" for i, text in enumerate(ORACLE_INPUTS))
    proc = run_real_kubectl(real_kubectl, ["create", "quota", "q", f"--hard={hard}", "--dry-run=client", "-o", "json"])
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)["spec"]["hard"]
    ours = {f"q{i}": str(parse(text)) for i, text in enumerate(ORACLE_INPUTS)}
    assert ours == printed


@pytest.mark.parametrize("text", ["abc", "0.1mi", "1i", "2Gb", "-3.01e-"])
def test_errors_match_real_kubectl(real_kubectl, text):
    from tests.conftest import run_real_kubectl

    proc = run_real_kubectl(real_kubectl, ["create", "quota", "q", f"--hard=cpu={text}", "--dry-run=client"])
    with pytest.raises(QuantityError) as err:
        parse(text)
    assert proc.stderr.strip() == f"error: {err.value}"


from hypothesis import assume, given, strategies as st  # noqa: E402

SUFFIXES = ["", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "e-6", "E9"]


@given(sign=st.sampled_from(["", "-", "+"]), whole=st.integers(0, 10 ** 12), frac=st.sampled_from(["", ".5", ".25", ".001"]),
       suffix=st.sampled_from(SUFFIXES))
def test_printing_is_a_fixed_point_and_keeps_the_value(sign, whole, frac, suffix):
    q = parse(f"{sign}{whole}{frac}{suffix}")
    assume(abs(q.nanos) < 10 ** 30)   # from 10^21 up v1.35 drops the exponent ("1000E" prints "1")
    again = parse(str(q))
    assert again == q
    # Not always a fixed point on the first round, in Go too: a fractional binary value such as
    # 652538069562.5Ki prints as plain digits, which then parse as decimal SI and print as
    # 668198983232k (both checked against kubectl v1.35). The second round is stable.
    assert str(parse(str(again))) == str(again)


def test_a_fractional_binary_value_prints_as_digits_then_as_decimal_si_as_go_does():
    first = parse("652538069562.5Ki")
    assert str(first) == "668198983232000"
    assert str(parse(str(first))) == "668198983232k"


@given(a=st.integers(-10 ** 15, 10 ** 15), b=st.integers(-10 ** 15, 10 ** 15))
def test_milli_arithmetic_is_exact(a, b):
    qa, qb = quantity.Quantity.from_milli(a), quantity.Quantity.from_milli(b)
    assert (qa + qb).milli_value() == a + b
    assert (qa - qb).milli_value() == a - b
    assert (qa < qb) == (a < b)
