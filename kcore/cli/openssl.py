"""openssl (3.0, as on an Ubuntu exam node) for the certificate tasks of the CKA.

    openssl x509 -in /etc/kubernetes/pki/apiserver.crt -text -noout
    openssl x509 -in apiserver.crt -noout -subject -issuer -dates
    openssl genrsa -out jane.key 2048
    openssl req -new -key jane.key -subj "/CN=jane/O=developers" -out jane.csr
    openssl x509 -req -in jane.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out jane.crt -days 500
    openssl base64 -A -in jane.csr          # one line, for a CertificateSigningRequest's spec.request

`openssl(argv, env, resolve=..., stdin="", seed=..., now=...) -> (stdout, stderr, code)`: a
pure function; file paths go through `resolve(path) -> host path`. Keys come from the seed
(`genrsa` derives RSA-2048 from seed and output path), dates from `now`. The `-text` renderer
follows OpenSSL 3.0's layout byte for byte for the certificates kcore makes (tests compare it
with a real openssl where one is installed). As OpenSSL 3.0 does, `x509 -req` without
extensions issues a version 1 certificate with a 20-byte serial and writes `<ca>.srl`."""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import ipaddress
import os
import shlex

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

from kcore.pki.ca import RSA_2048, derive_key

__all__ = ["openssl", "render_text", "render_csr_text", "one_line_name", "openssl_date", "VERSION"]

VERSION = "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)"
THREAD = "40B7A1D1A07F0000"                  # the thread id OpenSSL prefixes to error lines
DEFAULT_NOW = _dt.datetime(2026, 1, 15, 9, 0, tzinfo=_dt.timezone.utc)

_SHORT_NAMES = {NameOID.COMMON_NAME: "CN", NameOID.ORGANIZATION_NAME: "O",
                NameOID.ORGANIZATIONAL_UNIT_NAME: "OU", NameOID.COUNTRY_NAME: "C",
                NameOID.STATE_OR_PROVINCE_NAME: "ST", NameOID.LOCALITY_NAME: "L",
                NameOID.EMAIL_ADDRESS: "emailAddress", NameOID.SERIAL_NUMBER: "serialNumber"}
_BY_SHORT = {v: k for k, v in _SHORT_NAMES.items()}
_SIG_NAMES = {"sha256WithRSAEncryption": "sha256WithRSAEncryption", "ecdsa-with-SHA256": "ecdsa-with-SHA256"}
_EKU = {ExtendedKeyUsageOID.SERVER_AUTH: "TLS Web Server Authentication",
        ExtendedKeyUsageOID.CLIENT_AUTH: "TLS Web Client Authentication",
        ExtendedKeyUsageOID.CODE_SIGNING: "Code Signing", ExtendedKeyUsageOID.EMAIL_PROTECTION: "E-mail Protection",
        ExtendedKeyUsageOID.TIME_STAMPING: "Time Stamping", ExtendedKeyUsageOID.OCSP_SIGNING: "OCSP Signing",
        ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "Any Extended Key Usage"}
_KU = [("digital_signature", "Digital Signature"), ("content_commitment", "Non Repudiation"),
       ("key_encipherment", "Key Encipherment"), ("data_encipherment", "Data Encipherment"),
       ("key_agreement", "Key Agreement"), ("key_cert_sign", "Certificate Sign"), ("crl_sign", "CRL Sign")]
_EXT_NAMES = {ExtensionOID.KEY_USAGE: "X509v3 Key Usage", ExtensionOID.EXTENDED_KEY_USAGE: "X509v3 Extended Key Usage",
              ExtensionOID.BASIC_CONSTRAINTS: "X509v3 Basic Constraints",
              ExtensionOID.SUBJECT_KEY_IDENTIFIER: "X509v3 Subject Key Identifier",
              ExtensionOID.AUTHORITY_KEY_IDENTIFIER: "X509v3 Authority Key Identifier",
              ExtensionOID.SUBJECT_ALTERNATIVE_NAME: "X509v3 Subject Alternative Name"}


class _Fail(Exception):
    def __init__(self, stderr: str, code: int = 1):
        super().__init__(stderr)
        self.stderr, self.code = stderr, code


# ---- rendering ---------------------------------------------------------------------------------

def one_line_name(name: x509.Name) -> str:
    """`CN = kube-apiserver`, `O = kubeadm:cluster-admins, CN = kubernetes-admin`."""
    parts = []
    for rdn in name.rdns:
        for attr in rdn:
            parts.append(f"{_SHORT_NAMES.get(attr.oid, attr.oid.dotted_string)} = {attr.value}")
    return ", ".join(parts)


def openssl_date(t: _dt.datetime) -> str:
    return f"{t:%b} {t.day:2d} {t:%H:%M:%S} {t.year} GMT"


def _hex_lines(data: bytes, per_line: int, indent: int) -> list[str]:
    pairs = [f"{b:02x}" for b in data]
    lines = []
    for i in range(0, len(pairs), per_line):
        chunk = ":".join(pairs[i:i + per_line])
        last = i + per_line >= len(pairs)
        lines.append(" " * indent + chunk + ("" if last else ":"))
    return lines


def _int_bytes(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
    return b"\x00" + raw if raw[0] & 0x80 else raw


def _serial_lines(serial: int) -> list[str]:
    if serial < 2 ** 63:
        return [f"        Serial Number: {serial} (0x{serial:x})"]
    raw = serial.to_bytes((serial.bit_length() + 7) // 8, "big")
    return ["        Serial Number:", "            " + ":".join(f"{b:02x}" for b in raw)]


def _sig_name(obj) -> str:
    oid = obj.signature_algorithm_oid
    return _SIG_NAMES.get(oid._name, oid._name or oid.dotted_string)


def _pubkey_lines(pub, indent: int = 12) -> list[str]:
    pad = " " * indent
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return [f"{pad}Public Key Algorithm: rsaEncryption", f"{pad}    Public-Key: ({pub.key_size} bit)",
                f"{pad}    Modulus:", *_hex_lines(_int_bytes(n.n), 15, indent + 8),
                f"{pad}    Exponent: {n.e} (0x{n.e:x})"]
    if isinstance(pub, ec.EllipticCurvePublicKey):
        point = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        curve = {"secp256r1": ("prime256v1", "P-256"), "secp384r1": ("secp384r1", "P-384")}.get(
            pub.curve.name, (pub.curve.name, ""))
        lines = [f"{pad}Public Key Algorithm: id-ecPublicKey", f"{pad}    Public-Key: ({pub.curve.key_size} bit)",
                 f"{pad}    pub:", *_hex_lines(point, 15, indent + 8), f"{pad}    ASN1 OID: {curve[0]}"]
        if curve[1]:
            lines.append(f"{pad}    NIST CURVE: {curve[1]}")
        return lines
    return [f"{pad}Public Key Algorithm: {type(pub).__name__}"]


def _general_name(g) -> str:
    if isinstance(g, x509.DNSName):
        return f"DNS:{g.value}"
    if isinstance(g, x509.IPAddress):
        ip = g.value
        if isinstance(ip, ipaddress.IPv6Address):
            return "IP Address:" + ":".join(f"{int(h, 16):X}" for h in ip.exploded.split(":"))
        return f"IP Address:{ip}"
    if isinstance(g, x509.RFC822Name):
        return f"email:{g.value}"
    if isinstance(g, x509.UniformResourceIdentifier):
        return f"URI:{g.value}"
    return f"othername:<unsupported>"


def _ext_value(ext) -> list[str]:
    v = ext.value
    if isinstance(v, x509.KeyUsage):
        names = [label for attr, label in _KU if getattr(v, attr)]
        if v.key_agreement:
            names += [label for attr, label in (("encipher_only", "Encipher Only"), ("decipher_only", "Decipher Only"))
                      if getattr(v, attr)]
        return [", ".join(names)]
    if isinstance(v, x509.ExtendedKeyUsage):
        return [", ".join(_EKU.get(o, o.dotted_string) for o in v)]
    if isinstance(v, x509.BasicConstraints):
        text = "CA:TRUE" if v.ca else "CA:FALSE"
        if v.path_length is not None:
            text += f", pathlen:{v.path_length}"
        return [text]
    if isinstance(v, x509.SubjectKeyIdentifier):
        return [":".join(f"{b:02X}" for b in v.digest)]
    if isinstance(v, x509.AuthorityKeyIdentifier):
        return [":".join(f"{b:02X}" for b in v.key_identifier)] if v.key_identifier else []
    if isinstance(v, x509.SubjectAlternativeName):
        return [", ".join(_general_name(g) for g in v)]
    return [binascii.hexlify(ext.value.public_bytes()).decode() if hasattr(ext.value, "public_bytes") else ""]


def _ext_lines(extensions, indent: int = 12) -> list[str]:
    lines = []
    for ext in extensions:
        name = _EXT_NAMES.get(ext.oid, ext.oid.dotted_string)
        lines.append(" " * indent + f"{name}: " + ("critical" if ext.critical else ""))
        lines += [" " * (indent + 4) + text for text in _ext_value(ext)]
    return lines


def render_text(cert: x509.Certificate) -> str:
    """`openssl x509 -text -noout` of one certificate."""
    version = 3 if cert.version == x509.Version.v3 else 1
    lines = ["Certificate:", "    Data:", f"        Version: {version} (0x{version - 1:x})",
             *_serial_lines(cert.serial_number),
             f"        Signature Algorithm: {_sig_name(cert)}",
             f"        Issuer: {one_line_name(cert.issuer)}", "        Validity",
             f"            Not Before: {openssl_date(cert.not_valid_before_utc)}",
             f"            Not After : {openssl_date(cert.not_valid_after_utc)}",
             f"        Subject: {one_line_name(cert.subject)}", "        Subject Public Key Info:",
             *_pubkey_lines(cert.public_key())]
    if len(cert.extensions):
        lines += ["        X509v3 extensions:", *_ext_lines(cert.extensions)]
    lines += [f"    Signature Algorithm: {_sig_name(cert)}", "    Signature Value:",
              *_hex_lines(cert.signature, 18, 8)]
    return "\n".join(lines) + "\n"


def render_csr_text(csr: x509.CertificateSigningRequest) -> str:
    lines = ["Certificate Request:", "    Data:", "        Version: 1 (0x0)",
             f"        Subject: {one_line_name(csr.subject)}", "        Subject Public Key Info:",
             *_pubkey_lines(csr.public_key()), "        Attributes:"]
    if len(csr.extensions):
        lines += ["            Requested Extensions:", *_ext_lines(csr.extensions, 16)]
    else:
        lines.append("            (none)")
        lines.append("            Requested Extensions:")
    lines += [f"    Signature Algorithm: {_sig_name(csr)}", "    Signature Value:", *_hex_lines(csr.signature, 18, 8)]
    return "\n".join(lines) + "\n"


# ---- DER surgery: OpenSSL 3.0's `x509 -req` makes version 1 certificates ------------------------

def _der_element(buf: bytes, i: int) -> tuple[int, int, int]:
    """(tag, content start, end) of the element at i."""
    length = buf[i + 1]
    if length < 0x80:
        return buf[i], i + 2, i + 2 + length
    n = length & 0x7F
    size = int.from_bytes(buf[i + 2:i + 2 + n], "big")
    return buf[i], i + 2 + n, i + 2 + n + size


def _der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def _as_version1(cert: x509.Certificate, ca_key) -> x509.Certificate:
    der = cert.public_bytes(serialization.Encoding.DER)
    _, start, _ = _der_element(der, 0)
    _, tbs_start, tbs_end = _der_element(der, start)
    tbs = der[tbs_start:tbs_end]
    parts, i = [], 0
    while i < len(tbs):
        tag, _, end = _der_element(tbs, i)
        if tag not in (0xA0, 0xA3):                      # drop [0] version and [3] extensions
            parts.append(tbs[i:end])
        i = end
    new_tbs = _der(0x30, b"".join(parts))
    sig_alg = parts[1]
    if isinstance(ca_key, ec.EllipticCurvePrivateKey):
        sig = ca_key.sign(new_tbs, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    else:
        sig = ca_key.sign(new_tbs, padding.PKCS1v15(), hashes.SHA256())
    return x509.load_der_x509_certificate(_der(0x30, new_tbs + sig_alg + _der(0x03, b"\x00" + sig)))


# ---- command plumbing --------------------------------------------------------------------------

class _Ctx:
    def __init__(self, resolve, stdin, seed, now):
        self.resolve, self.stdin, self.seed, self.now = resolve, stdin, seed, now
        self.err: list[str] = []

    def read(self, path: str, what: str, trailer: str = "") -> bytes:
        try:
            with open(self.resolve(path), "rb") as f:
                return f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise _Fail(f"Could not open file or uri for loading {what} from {path}\n"
                        f"{THREAD}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n"
                        f"{THREAD}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:266:calling stat({path})\n{trailer}") from None

    def read_bio(self, path: str, what: str) -> bytes:
        try:
            with open(self.resolve(path), "rb") as f:
                return f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise _Fail(f'Can\'t open "{path}" for reading, No such file or directory\n'
                        f"{THREAD}:error:80000002:system library:BIO_new_file:No such file or directory:../crypto/bio/bss_file.c:67:calling fopen({path}, r)\n"
                        f"{THREAD}:error:10000080:BIO routines:BIO_new_file:no such file:../crypto/bio/bss_file.c:75:\n"
                        f"Unable to load {what}\n") from None

    def write(self, path: str | None, data: bytes, prog: str) -> str:
        """Write to a file, or return the text for stdout when no path is given."""
        if path is None:
            return data.decode()
        host = self.resolve(path)
        try:
            with open(host, "wb") as f:
                f.write(data)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise _Fail(f'{prog}: Can\'t open "{path}" for writing, No such file or directory\n') from None
        return ""


def _options(argv: list[str], with_value: set[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    opts, rest, i = [], [], 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a.startswith("-") and len(a) > 1:
            name = a.lstrip("-")
            if name in with_value:
                if i >= len(argv):
                    raise _Fail(f"Option -{name} needs a value\n")
                opts.append((name, argv[i]))
                i += 1
            else:
                opts.append((name, None))
        else:
            rest.append(a)
    return opts, rest


def _load_cert(ctx: _Ctx, path: str | None) -> x509.Certificate:
    data = ctx.read(path, "certificate", "Unable to load certificate\n") if path else ctx.stdin.encode()
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        where = f"Could not read certificate from {path}" if path else "Could not read certificate from <stdin>"
        raise _Fail(f"{where}\n{THREAD}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:\n"
                    "Unable to load certificate\n") from None


def _load_key(ctx: _Ctx, path: str):
    data = ctx.read(path, "private key")
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise _Fail(f"Could not read private key from {path}\n") from None


def _parse_subj(subj: str) -> x509.Name:
    bad = _Fail("req: subject name is expected to be in the format /type0=value0/type1=value1/type2=... "
                f"where characters may be escaped by \\. This name is not in that format: '{subj}'\n")
    if not subj.startswith("/"):
        raise bad
    fields, cur, i = [], "", 1
    while i < len(subj):
        ch = subj[i]
        if ch == "\\" and i + 1 < len(subj):
            cur += subj[i + 1]
            i += 2
            continue
        if ch == "/":
            fields.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    fields.append(cur)
    attrs = []
    for f in fields:
        if not f:
            continue
        key, eq, value = f.partition("=")
        if not eq:
            raise bad
        oid = _BY_SHORT.get(key)
        if oid is None:
            raise _Fail(f"req: Skipping unknown subject name attribute \"{key}\"\n")
        attrs.append(x509.NameAttribute(oid, value))
    return x509.Name(attrs)


def _serial_hex(serial: int) -> str:
    """OpenSSL prints whole bytes: 04F74B336C40A380, never 4F74B336C40A380."""
    return serial.to_bytes((serial.bit_length() + 7) // 8 or 1, "big").hex().upper()


def _fingerprint(cert: x509.Certificate, algo: str) -> str:
    h = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "md5": hashes.MD5()}[algo]
    return ":".join(f"{b:02X}" for b in cert.fingerprint(h))


# ---- subcommands -------------------------------------------------------------------------------

def _x509(ctx: _Ctx, argv: list[str]) -> str:
    opts, _ = _options(argv, {"in", "out", "CA", "CAkey", "CAserial", "days", "set_serial", "ext",
                              "checkend", "inform", "outform", "signkey", "nameopt", "extfile", "extensions",
                              "passin", "CAform", "CAkeyform", "keyform", "certopt"})
    o = dict(opts)
    if "req" in o:
        return _x509_req(ctx, o)
    cert = _load_cert(ctx, o.get("in"))
    out = []
    digest = next((n for n, _ in opts if n in ("sha1", "sha256", "md5")), "sha1")
    for name, value in opts:
        if name == "text":
            out.append(render_text(cert))
        elif name == "subject":
            out.append(f"subject={one_line_name(cert.subject)}\n")
        elif name == "issuer":
            out.append(f"issuer={one_line_name(cert.issuer)}\n")
        elif name == "dates":
            out.append(f"notBefore={openssl_date(cert.not_valid_before_utc)}\n"
                       f"notAfter={openssl_date(cert.not_valid_after_utc)}\n")
        elif name == "startdate":
            out.append(f"notBefore={openssl_date(cert.not_valid_before_utc)}\n")
        elif name == "enddate":
            out.append(f"notAfter={openssl_date(cert.not_valid_after_utc)}\n")
        elif name == "serial":
            out.append(f"serial={_serial_hex(cert.serial_number)}\n")
        elif name == "fingerprint":
            out.append(f"{digest.upper()} Fingerprint={_fingerprint(cert, digest)}\n")
        elif name == "ext":
            wanted = {"subjectAltName": ExtensionOID.SUBJECT_ALTERNATIVE_NAME, "keyUsage": ExtensionOID.KEY_USAGE,
                      "extendedKeyUsage": ExtensionOID.EXTENDED_KEY_USAGE,
                      "basicConstraints": ExtensionOID.BASIC_CONSTRAINTS,
                      "subjectKeyIdentifier": ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                      "authorityKeyIdentifier": ExtensionOID.AUTHORITY_KEY_IDENTIFIER}
            oids = [wanted[n] for n in value.split(",") if n in wanted]
            exts = [e for e in cert.extensions if e.oid in oids]
            if not exts:
                ctx.err.append("No extensions in certificate")
            else:
                out.append("\n".join(_ext_lines(exts, 0)) + "\n")
        elif name == "pubkey":
            out.append(cert.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo).decode())
    if "checkend" in o:
        try:
            seconds = int(o["checkend"])
        except ValueError:
            raise _Fail(f"x509: Non-numeric value for checkend: {o['checkend']}\n") from None
        expires = cert.not_valid_after_utc <= ctx.now + _dt.timedelta(seconds=seconds)
        out.append("Certificate will expire\n" if expires else "Certificate will not expire\n")
        text = "".join(out)
        if expires:
            raise _FailWithOut(text)
        return text
    if "noout" not in o:
        pem = cert.public_bytes(serialization.Encoding.PEM)
        out.append(ctx.write(o.get("out"), pem, "x509"))
    return "".join(out)


class _FailWithOut(_Fail):
    def __init__(self, stdout: str):
        super().__init__("", 1)
        self.stdout = stdout


def _serial_from_file(ctx: _Ctx, srl: str, create: bool, label: str) -> int:
    host = ctx.resolve(srl)
    if os.path.exists(host):
        with open(host) as f:
            return int(f.read().strip() or "0", 16) + 1
    if not create:
        raise _Fail(f"{srl}: No such file or directory\n{THREAD}:error:80000002:system library:BIO_new_file:"
                    f"No such file or directory:../crypto/bio/bss_file.c:67:calling fopen({srl}, r)\n")
    digest = hashlib.sha256(f"{ctx.seed}\x1fsrl\x1f{label}".encode()).digest()[:20]
    return int.from_bytes(digest, "big") >> 1 | (1 << 150)


def _check_ca_key(ca_cert: x509.Certificate, ca_key) -> None:
    pub = ca_cert.public_key()
    if isinstance(pub, rsa.RSAPublicKey) != isinstance(ca_key, rsa.RSAPrivateKey) or \
            isinstance(pub, ec.EllipticCurvePublicKey) != isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise _Fail("CA certificate and CA private key do not match\n"
                    f"{THREAD}:error:03000065:digital envelope routines:evp_keymgmt_util_match:different key types:../crypto/evp/keymgmt_lib.c:388:\n"
                    f"{THREAD}:error:05800073:x509 certificate routines:X509_check_private_key:key type mismatch:../crypto/x509/x509_cmp.c:406:\n")
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if ca_key.public_key().public_bytes(*der) != pub.public_bytes(*der):
        raise _Fail("CA certificate and CA private key do not match\n"
                    f"{THREAD}:error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch:../crypto/x509/x509_cmp.c:403:\n")


def _x509_req(ctx: _Ctx, o: dict) -> str:
    data = ctx.read_bio(o["in"], "certificate request input") if o.get("in") else ctx.stdin.encode()
    try:
        csr = x509.load_pem_x509_csr(data)
    except ValueError:
        raise _Fail(f"{THREAD}:error:1E08010C:DECODER routines:OSSL_DECODER_from_bio:unsupported:"
                    "../crypto/encode_decode/decoder_lib.c:102:No supported data to decode. Input type: PEM\n"
                    "Unable to load certificate request input\n") from None
    if not csr.is_signature_valid:
        raise _Fail("Certificate request self-signature did not match the contents\n")
    if "CA" in o:
        ca_cert = _load_cert(ctx, o["CA"])
        ca_key = _load_key(ctx, o.get("CAkey", o["CA"]))
        ctx.err.append("Certificate request self-signature ok")
        ctx.err.append(f"subject={one_line_name(csr.subject)}")
        _check_ca_key(ca_cert, ca_key)
        issuer = ca_cert.subject
        signer = ca_key
    elif "signkey" in o:
        signer = _load_key(ctx, o["signkey"])
        ctx.err.append("Certificate request self-signature ok")
        ctx.err.append(f"subject={one_line_name(csr.subject)}")
        issuer = csr.subject
    else:
        raise _Fail("x509: We need a private key to sign with, use -signkey or -CAkey or -CA with private key\n")
    try:
        days = int(o.get("days", "30"))
    except ValueError:
        raise _Fail(f"x509: Non-numeric value for days: {o['days']}\n") from None
    if "set_serial" in o:
        try:
            serial = int(o["set_serial"], 0)
        except ValueError:
            raise _Fail(f"x509: Error parsing serial number value: {o['set_serial']}\n") from None
    elif "CA" in o:
        srl = o.get("CAserial") or os.path.splitext(o["CA"])[0] + ".srl"
        serial = _serial_from_file(ctx, srl, "CAcreateserial" in o, csr.public_bytes(serialization.Encoding.PEM).hex())
        ctx.write(srl, f"{_serial_hex(serial)}\n".encode(), "x509")
    else:
        serial = int.from_bytes(hashlib.sha256(f"{ctx.seed}\x1fself\x1f{csr.subject}".encode()).digest()[:20], "big") >> 1
    now = ctx.now.replace(microsecond=0)
    builder = (x509.CertificateBuilder().subject_name(csr.subject).issuer_name(issuer)
               .public_key(csr.public_key()).serial_number(serial)
               .not_valid_before(now).not_valid_after(now + _dt.timedelta(days=days)))
    if isinstance(signer, ec.EllipticCurvePrivateKey):
        cert = builder.sign(signer, hashes.SHA256(), ecdsa_deterministic=True)
    else:
        cert = builder.sign(signer, hashes.SHA256())
    cert = _as_version1(cert, signer)
    pem = cert.public_bytes(serialization.Encoding.PEM)
    out = render_text(cert) if "text" in o else ""
    if "noout" in o:
        return out
    return out + ctx.write(o.get("out"), pem, "x509")


def _genrsa(ctx: _Ctx, argv: list[str]) -> str:
    opts, rest = _options(argv, {"out", "passout", "cipher"})
    o = dict(opts)
    bits = 2048
    if rest:
        try:
            bits = int(rest[0])
        except ValueError:
            raise _Fail(f"genrsa: Invalid number \"{rest[0]}\"\n") from None
    if bits < 512:
        raise _Fail(f"genrsa: Invalid number \"{bits}\"\n")
    out = o.get("out")
    if out is not None and not os.path.isdir(os.path.dirname(os.path.abspath(ctx.resolve(out))) or "."):
        raise _Fail(f'genrsa: Can\'t open "{out}" for writing, No such file or directory\n')
    key = derive_key(ctx.seed, f"genrsa/{out or '-'}", f"RSA-{bits}" if bits != 2048 else RSA_2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return ctx.write(out, pem, "genrsa")


def _req(ctx: _Ctx, argv: list[str]) -> str:
    opts, _ = _options(argv, {"key", "subj", "out", "in", "newkey", "keyout", "days", "config", "addext",
                              "passin", "passout", "keyform", "outform", "inform"})
    o = dict(opts)
    if "new" not in o and "newkey" not in o:
        data = ctx.read_bio(o["in"], "X509 request") if o.get("in") else ctx.stdin.encode()
        try:
            csr = x509.load_pem_x509_csr(data)
        except ValueError:
            raise _Fail("Unable to load X509 request\n") from None
        out = []
        if "verify" in o:
            ctx.err.append("Certificate request self-signature verify OK" if csr.is_signature_valid
                           else "Certificate request self-signature verify failure")
        if "subject" in o:
            out.append(f"subject={one_line_name(csr.subject)}\n")
        if "text" in o:
            out.append(render_csr_text(csr))
        if "noout" not in o:
            out.append(ctx.write(o.get("out"), csr.public_bytes(serialization.Encoding.PEM), "req"))
        return "".join(out)
    if "newkey" in o:
        spec = o["newkey"]
        bits = int(spec.split(":", 1)[1]) if spec.startswith("rsa:") and ":" in spec else 2048
        keyout = o.get("keyout", "privkey.pem")
        key = derive_key(ctx.seed, f"genrsa/{keyout}", f"RSA-{bits}" if bits != 2048 else RSA_2048)
        ctx.write(keyout, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()), "req")
        ctx.err.append("-----")
    elif "key" in o:
        key = _load_key(ctx, o["key"])
    else:
        raise _Fail("req: Need a private key (-key or -newkey)\n")
    if "subj" not in o:
        raise _Fail("req: no subject given; use -subj \"/CN=name\" (prompting is not supported here)\n")
    subject = _parse_subj(o["subj"])
    b = x509.CertificateSigningRequestBuilder().subject_name(subject)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        csr = b.sign(key, hashes.SHA256(), ecdsa_deterministic=True)
    else:
        csr = b.sign(key, hashes.SHA256())
    pem = csr.public_bytes(serialization.Encoding.PEM)
    text = render_csr_text(csr) if "text" in o else ""
    if "noout" in o:
        return text
    return text + ctx.write(o.get("out"), pem, "req")


def _base64(ctx: _Ctx, argv: list[str]) -> str:
    opts, _ = _options(argv, {"in", "out"})
    o = dict(opts)
    data = ctx.read_bio(o["in"], "input") if o.get("in") else ctx.stdin.encode()
    if "d" in o:
        try:
            result = base64.b64decode(b"".join(data.split()))
        except binascii.Error:
            result = b""
    elif "A" in o:
        result = base64.b64encode(data)                # -A: one line, no newline at all
    else:
        enc = base64.b64encode(data).decode()
        result = "".join(enc[i:i + 64] + "\n" for i in range(0, len(enc), 64)).encode()
    if o.get("out"):
        return ctx.write(o["out"], result, "base64")
    return result.decode("utf-8", errors="replace")


_COMMANDS = {"x509": _x509, "genrsa": _genrsa, "req": _req, "base64": _base64}


def openssl(argv, env: dict | None = None, *, resolve=lambda p: p, stdin: str = "", seed="0",
            now: _dt.datetime | None = None) -> tuple[str, str, int]:
    """Run `openssl argv...`; returns (stdout, stderr, exit code)."""
    if isinstance(argv, str):
        argv = shlex.split(argv)
    argv = list(argv)
    if argv and os.path.basename(argv[0]) == "openssl":
        argv = argv[1:]
    now = now or DEFAULT_NOW
    if now.tzinfo is None:
        now = now.replace(tzinfo=_dt.timezone.utc)
    ctx = _Ctx(resolve, stdin, seed, now)
    if not argv:
        return "", "", 0
    if argv[0] == "version":
        return VERSION + "\n", "", 0
    cmd = _COMMANDS.get(argv[0])
    if cmd is None:
        return "", f"Invalid command '{argv[0]}'; type \"help\" for a list.\n", 1
    try:
        out = cmd(ctx, argv[1:])
        code = 0
    except _Fail as exc:
        out = getattr(exc, "stdout", "")
        if exc.stderr:
            ctx.err.append(exc.stderr.rstrip("\n"))
        code = exc.code
    return out, "".join(line + "\n" for line in ctx.err), code
