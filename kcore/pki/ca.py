"""Certificate authorities and the keys behind them, all derived from a seed.

A kubeadm cluster has three CAs: `kubernetes` (ca.crt: API server, kubelets, admins),
`etcd-ca` (etcd/ca.crt: etcd servers, peers and its clients) and `front-proxy-ca`
(aggregation layer). Each is a self-signed certificate valid 10 years, built the way
kubeadm builds it: Key Usage critical `Digital Signature, Key Encipherment, Certificate Sign`,
Basic Constraints critical `CA:TRUE`, a Subject Key Identifier and a SAN naming itself.

Nothing here reads a clock or a random source. Keys come from `derive_key(seed, label)`:

- `ECDSA-P256` (kubeadm's `encryptionAlgorithm: ECDSA-P256`): the private scalar is a hash of
  seed and label — instant. This is the default, so a cluster bootstraps in milliseconds.
- `RSA-2048` (kubeadm's default algorithm, and what `openssl genrsa 2048` makes): primes are
  searched in a sha256 counter stream seeded by seed and label, with a small-prime sieve and
  Miller-Rabin; ~0.1-0.3 s per key in pure Python, so results are cached per (seed, label).

Dates are passed in; serial numbers are a hash of seed and label (positive, below 2**63)."""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

__all__ = ["CA", "derive_key", "make_ca", "load_ca", "serial_for", "sign_builder", "name",
           "ECDSA_P256", "RSA_2048", "CA_DAYS", "LEAF_DAYS", "BACKDATE"]

ECDSA_P256 = "ECDSA-P256"
RSA_2048 = "RSA-2048"
CA_DAYS = 3650                    # kubeadm CACertificateValidityPeriod = 87600h
LEAF_DAYS = 365                   # kubeadm CertificateValidityPeriod = 8760h
BACKDATE = _dt.timedelta(minutes=5)


# ---- deterministic keys ---------------------------------------------------------------------

class _Stream:
    """A sha256 counter stream: the only 'randomness' PKI uses."""

    def __init__(self, *parts):
        self.seed = "\x1f".join(str(p) for p in parts).encode()
        self.counter = 0

    def bytes(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        return out[:n]

    def bits(self, n: int) -> int:
        return int.from_bytes(self.bytes((n + 7) // 8), "big") >> (-n % 8)


def _small_primes(limit: int) -> list[int]:
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(limit ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(3, limit) if sieve[i]]


_SMALL = _small_primes(65536)                # sieving this far saves ~30% of the modexps


def _miller_rabin(n: int, stream: _Stream, rounds: int = 5) -> bool:
    d, r = n - 1, 0
    while not d & 1:
        d >>= 1
        r += 1
    for _ in range(rounds):
        a = 2 + stream.bits(256) % (n - 3)
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(stream: _Stream, bits: int, e: int = 65537) -> int:
    window = 2048
    while True:
        base = stream.bits(bits) | (3 << (bits - 2)) | 1
        alive = bytearray([1]) * window                    # alive[i]: base + 2i has no small factor
        for p in _SMALL:
            start = (-(base % p) * ((p + 1) // 2)) % p
            alive[start::p] = bytes(len(range(start, window, p)))
        for i in range(window):
            if not alive[i]:
                continue
            c = base + 2 * i
            if c.bit_length() != bits:
                break
            if c % e != 1 and _miller_rabin(c, stream):
                return c


@functools.lru_cache(maxsize=256)
def _rsa_key(seed: str, label: str, bits: int) -> rsa.RSAPrivateKey:
    stream = _Stream("rsa", bits, seed, label)
    e = 65537
    while True:
        p = _prime(stream, bits // 2)
        q = _prime(stream, bits - bits // 2)
        if p == q:
            continue
        if p < q:
            p, q = q, p
        n = p * q
        if n.bit_length() == bits:
            break
    lam = (p - 1) * (q - 1) // _gcd(p - 1, q - 1)
    d = pow(e, -1, lam)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
        rsa.RSAPublicNumbers(e, n))
    return numbers.private_key()


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def derive_key(seed, label: str, algorithm: str = ECDSA_P256, bits: int = 2048):
    """The private key named `label` in the world of `seed`; same inputs, same key."""
    if algorithm == ECDSA_P256:
        order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
        scalar = int.from_bytes(_Stream("ec", seed, label).bytes(40), "big") % (order - 1) + 1
        return ec.derive_private_key(scalar, ec.SECP256R1())
    if algorithm in (RSA_2048, "RSA") or algorithm.startswith("RSA-"):
        if algorithm.startswith("RSA-"):
            bits = int(algorithm[4:])
        return _rsa_key(str(seed), label, bits)
    raise ValueError(f"unknown encryption algorithm {algorithm!r}: want {ECDSA_P256} or {RSA_2048}")


def serial_for(seed, label: str) -> int:
    return _Stream("serial", seed, label).bits(63) or 1


def name(cn: str, organizations=()) -> x509.Name:
    """A subject in Go's order: O before CN (OpenSSL prints `O = x, CN = y`)."""
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in organizations]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def sign_builder(builder: x509.CertificateBuilder, key) -> x509.Certificate:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return builder.sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    return builder.sign(key, hashes.SHA256())


# ---- certificate authorities ----------------------------------------------------------------

@dataclass(frozen=True)
class CA:
    cert: x509.Certificate
    key: object
    seed: str = "0"

    @property
    def name(self) -> str:
        return self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return dump_key(self.key)

    @property
    def ski(self) -> x509.SubjectKeyIdentifier:
        try:
            return self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        except x509.ExtensionNotFound:
            return x509.SubjectKeyIdentifier.from_public_key(self.key.public_key())


def dump_key(key) -> bytes:
    """PEM as kubeadm writes keys: `RSA PRIVATE KEY` (PKCS#1) / `EC PRIVATE KEY` (SEC1)."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def _utc(t: _dt.datetime) -> _dt.datetime:
    if t.tzinfo is None:
        return t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone(_dt.timezone.utc)


def make_ca(cn: str, not_before: _dt.datetime, days: int = CA_DAYS, seed="0",
            algorithm: str = ECDSA_P256, not_after: _dt.datetime | None = None) -> CA:
    """A self-signed CA named `cn`, valid from `not_before` for `days` (or until `not_after`)."""
    not_before = _utc(not_before)
    not_after = _utc(not_after) if not_after else not_before + _dt.timedelta(days=days)
    key = derive_key(seed, f"ca/{cn}", algorithm)
    subject = name(cn)
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(subject)
               .public_key(key.public_key())
               .serial_number(serial_for(seed, f"ca/{cn}"))
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                            key_encipherment=True, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=True, crl_sign=False,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False))
    return CA(sign_builder(builder, key), key, str(seed))


def load_ca(cert_pem: bytes, key_pem: bytes, seed="0") -> CA:
    cert = x509.load_pem_x509_certificate(_b(cert_pem))
    key = serialization.load_pem_private_key(_b(key_pem), password=None)
    return CA(cert, key, str(seed))


def _b(data) -> bytes:
    return data.encode() if isinstance(data, str) else data
