"""Kubernetes resource quantities: "250m", "1.5Gi", "12e6", parsed and printed as apimachinery does.

A quantity is a signed number with a suffix. The suffix picks one of three formats, and the
format is remembered so the canonical form comes back in the same family:

    decimal SI   n u m "" k M G T P E        "1000m" -> "1", "0.1" -> "100m", "1000M" -> "1G"
    binary SI    Ki Mi Gi Ti Pi Ei           "1.5Gi" -> "1536Mi", "1024Mi" -> "1Gi"
    exponent     e<int> / E<int>             "1e3" -> "1e3", "12e6" -> "12e6", "1E-3" -> "1e-3"

Parsing never goes through floating point: the value is kept as an exact integer count of
nano-units (apimachinery keeps nothing finer; a non-zero finer value rounds away from zero, so
"0.9n" is "1n"). Binary quantities are capped at 2^63-1, as the API server silently does.
The canonical form moves trailing zeros into the suffix, keeps the exponent a multiple of 3 and
never emits a fraction; a binary quantity that is not a whole number of bytes, or is below 1024
in magnitude, prints in decimal SI instead. Like apimachinery, text that is already canonical
is remembered verbatim: "1E-3" prints as "1E-3", "100m" as "100m".

`value()` and `milli_value()` round up, away from zero, like `Quantity.Value()` and
`MilliValue()`; the scheduler and printers use them through `cpu_millis()` and `bytes_value()`.
Bad text raises `QuantityError` with apimachinery's message for the failure.
"""
from __future__ import annotations

import functools
import re

__all__ = [
    "Quantity", "QuantityError", "parse", "cpu_millis", "bytes_value",
    "DECIMAL_SI", "BINARY_SI", "DECIMAL_EXPONENT", "SPLIT_RE",
]

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXPONENT = {e: s for s, e in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BINARY_BY_POWER = {0: "", 1: "Ki", 2: "Mi", 3: "Gi", 4: "Ti", 5: "Pi", 6: "Ei"}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_EXPONENT_RE = re.compile(r"[+-]?[0-9]+\Z")

_NANO = 10 ** 9
_MAX_BINARY_NANOS = (2 ** 63 - 1) * _NANO
_MAX_DECIMAL_EXPONENT = 400   # larger exponents are refused rather than expanded into huge ints
_INT32 = 2 ** 31


class QuantityError(ValueError):
    """A quantity string apimachinery would refuse; the message is apimachinery's."""


def _ceil_div(numerator: int, denominator: int) -> int:
    """Divide rounding away from zero (apimachinery's 'round up')."""
    q, r = divmod(abs(numerator), denominator)
    if r:
        q += 1
    return -q if numerator < 0 else q


class Quantity:
    """An exact fixed-point number of nano-units plus the format it prints in. Immutable."""

    __slots__ = ("_nanos", "format", "_text")

    def __init__(self, nanos: int = 0, format: str = DECIMAL_SI):
        self._nanos = int(nanos)
        self.format = format
        self._text: str | None = None

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def from_int(cls, value: int, format: str = DECIMAL_SI) -> "Quantity":
        return cls(int(value) * _NANO, format)

    @classmethod
    def from_milli(cls, millis: int, format: str = DECIMAL_SI) -> "Quantity":
        return cls(int(millis) * 10 ** 6, format)

    # -- accessors ----------------------------------------------------------------------------
    @property
    def nanos(self) -> int:
        return self._nanos

    def is_zero(self) -> bool:
        return self._nanos == 0

    def sign(self) -> int:
        return (self._nanos > 0) - (self._nanos < 0)

    def scaled_value(self, exponent: int) -> int:
        """ceil(q / 10^exponent), rounding away from zero, as ScaledValue()."""
        shift = exponent + 9
        if shift >= 0:
            return _ceil_div(self._nanos, 10 ** shift)
        return self._nanos * 10 ** (-shift)

    def value(self) -> int:
        return self.scaled_value(0)

    def milli_value(self) -> int:
        return self.scaled_value(-3)

    def as_float(self) -> float:
        return self._nanos / _NANO

    # -- printing -----------------------------------------------------------------------------
    def __str__(self) -> str:
        if self._text is None:
            self._text = _canonical(self._nanos, self.format)
        return self._text

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    # -- arithmetic and comparison ------------------------------------------------------------
    def _coerce(self, other) -> "Quantity | None":
        if isinstance(other, Quantity):
            return other
        if isinstance(other, str):
            return parse(other)
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return _ZERO
        return None

    def __add__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        fmt = o.format if self._nanos == 0 else self.format
        return Quantity(self._nanos + o._nanos, fmt)

    def __radd__(self, other):   # lets sum() start from 0
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return o.__add__(self)

    def __sub__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        fmt = o.format if self._nanos == 0 else self.format
        return Quantity(self._nanos - o._nanos, fmt)

    def __neg__(self):
        return Quantity(-self._nanos, self.format)

    def __abs__(self):
        return Quantity(abs(self._nanos), self.format)

    def cmp(self, other) -> int:
        o = self._coerce(other)
        if o is None:
            raise TypeError(f"cannot compare Quantity with {type(other).__name__}")
        return (self._nanos > o._nanos) - (self._nanos < o._nanos)

    def __eq__(self, other):
        o = self._coerce(other) if not isinstance(other, str) else None
        if o is None:
            return NotImplemented
        return self._nanos == o._nanos

    def __hash__(self):
        return hash(self._nanos)

    def __lt__(self, other):
        o = self._coerce(other)
        return NotImplemented if o is None else self._nanos < o._nanos

    def __le__(self, other):
        o = self._coerce(other)
        return NotImplemented if o is None else self._nanos <= o._nanos

    def __gt__(self, other):
        o = self._coerce(other)
        return NotImplemented if o is None else self._nanos > o._nanos

    def __ge__(self, other):
        o = self._coerce(other)
        return NotImplemented if o is None else self._nanos >= o._nanos

    def __bool__(self):
        return self._nanos != 0


_ZERO = Quantity(0, DECIMAL_SI)


def _canonical(nanos: int, fmt: str) -> str:
    if nanos == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 * _NANO < nanos < 1024 * _NANO or nanos % _NANO:
            fmt = DECIMAL_SI
        else:
            amount, power = nanos // _NANO, 0
            while power < 6 and amount % 1024 == 0:
                amount //= 1024
                power += 1
            return f"{amount}{_BINARY_BY_POWER[power]}"
    elif fmt != DECIMAL_SI:
        fmt = DECIMAL_EXPONENT
    # decimal: strip trailing zeros into the exponent, then lower it to a multiple of three
    mantissa, exponent = nanos, -9
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    if shift:
        mantissa *= 10 ** shift
        exponent -= shift
    if fmt == DECIMAL_SI:
        # v1.35 drops an exponent beyond E (10^18) that has no suffix: "1000E" prints "1".
        # (Fixed upstream later to fall back to "1e21"; kcore follows v1.35 kubectl.)
        return f"{mantissa}{_DECIMAL_BY_EXPONENT.get(exponent, '')}"
    return f"{mantissa}e{exponent}" if exponent else str(mantissa)


def _scan(text: str) -> tuple[bool, str, str, str]:
    """Split text into (positive, numerator, denominator, suffix) the way apimachinery scans."""
    positive, pos, end = True, 0, len(text)
    if end and text[0] in "+-":
        positive = text[0] == "+"
        pos = 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos] or "0"
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityError(ERR_FORMAT_WRONG)
    return positive, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """(base, exponent, format) for a suffix, or QuantityError(ERR_SUFFIX)."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE" and _EXPONENT_RE.match(suffix, 1):
        exponent = int(suffix[1:])
        if -_INT32 <= exponent < _INT32:
            return 10, exponent, DECIMAL_EXPONENT
    raise QuantityError(ERR_SUFFIX)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> Quantity:
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(0, DECIMAL_SI)
    positive, num, denom, suffix = _scan(text)
    base, exponent, fmt = _interpret(suffix)
    if len(num) + len(denom) > 1000:
        raise QuantityError(ERR_NUMERIC)
    digits = int(num + denom)
    if base == 2:
        numerator, power10 = digits << exponent, -len(denom)
    else:
        numerator, power10 = digits, exponent - len(denom)
    # nanos = ceil(numerator * 10^(power10 + 9)), away from zero
    shift = power10 + 9
    if numerator == 0:
        nanos = 0
    elif shift >= 0:
        if shift > _MAX_DECIMAL_EXPONENT:
            raise QuantityError(ERR_NUMERIC)
        nanos = numerator * 10 ** shift
    elif -shift > len(str(numerator)) + 1:
        nanos = 1                    # far below a nano: rounds up to the smallest unit
    else:
        nanos = _ceil_div(numerator, 10 ** (-shift))
    if fmt == BINARY_SI:
        nanos = min(nanos, _MAX_BINARY_NANOS)
        if 0 < nanos < _NANO:
            fmt = DECIMAL_SI
    q = Quantity(nanos if positive else -nanos, fmt)
    if _keeps_text(num, denom, base, exponent):
        q._text = text
    elif nanos == 0:
        q._text = "0"
    return q


def _keeps_text(num: str, denom: str, base: int, exponent: int) -> bool:
    """apimachinery's fast path remembers the input verbatim when it already looks canonical
    ("100m", "12e6", "1E-3", "1Mi"), so String() gives the text back -- sign and all."""
    shifted = num + denom
    if base == 10:
        scale = exponent - len(denom)
        return (18 - len(shifted) >= 0 and scale >= -9 and scale % 3 == 0
                and not shifted.endswith("000") and shifted[0] != "0")
    if denom or exponent < 0:
        return False
    precision = 15 - len(num) - int(exponent * 3 / 10) - 1
    value = int(num)
    return (precision >= 0 and (value << exponent) < 2 ** 63
            and exponent % 10 == 0 and value & 7 != 0)


def parse(text) -> Quantity:
    """Parse a quantity as resource.ParseQuantity does (JSON numbers are accepted too)."""
    if isinstance(text, Quantity):
        return text
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise QuantityError(ERR_FORMAT_WRONG)
    if not isinstance(text, str):
        text = str(text)
    return _parse_text(text)


def cpu_millis(text) -> int:
    """CPU in millicores ('500m' -> 500, '2' -> 2000, '0.1' -> 100), rounded up."""
    return parse(text).milli_value()


def bytes_value(text) -> int:
    """Memory/storage in bytes ('1Gi' -> 1073741824, '1.5k' -> 1500), rounded up."""
    return parse(text).value()
