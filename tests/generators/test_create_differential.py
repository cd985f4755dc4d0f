"""Every offline `kubectl create ... --dry-run=client -o yaml` against the builders.

Each case is one command line. The real kubectl runs it (all cases at once, in a thread
pool); the same words go through tests/generators/cli.py into GENERATORS[sub]; the YAML (or
the first `error:` line) must be byte-identical."""
from __future__ import annotations

import os
import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest

from kcore.cli.kubectl.generators import GENERATORS, GeneratorError, struct_ordered
from kcore.cli.kubectl.printers.yamlout import to_json, to_yaml
from tests.conftest import run_real_kubectl
from tests.generators.cli import parse

FILES = f"/tmp/kcore-generator-tests-{os.getpid()}"  # per run: two runs at once must not share files

CASES = [
    # deployment
    ("deployment web --image=nginx", "a deployment from one image"),
    ("deployment web --image=nginx:1.25 --replicas=3 --port=80", "replicas and a port on the container"),
    ("deployment web --image=nginx:1.25 --image=registry.k8s.io/pause:3.9 --port=8080",
     "several images make several containers and only the first gets the port"),
    ("deployment web --image=busybox -- sleep 3600", "words after -- become the command"),
    ("deployment web --image=nginx@sha256:abc", "a digest is cut from the container name"),
    ("deployment web --image=x --port=0", "port zero is still printed"),
    ("deployment web --image=a --image=b -- sleep 1", "several images refuse a command"),
    ("deployment web", "a deployment needs an image"),
    ("deployment web --image=nginx -r 2", "the short replicas flag"),
    ("deployment web --image=y -n foo", "an explicit namespace is printed and y is quoted"),
    # services
    ("service clusterip my-svc --tcp=80:8080", "a ClusterIP service"),
    ("service clusterip my-svc --tcp=80:8080,443:8443", "two port pairs are named after themselves"),
    ("service clusterip my-svc --tcp=80", "a bare port targets itself"),
    ("service clusterip my-svc --tcp=80:http", "a named target port"),
    ("service clusterip headless --clusterip=None", "a headless service has no ports"),
    ("service clusterip my-svc --tcp=80 --clusterip=10.0.0.10", "an explicit cluster IP"),
    ("service clusterip my-svc", "a service needs a tcp port"),
    ("service clusterip my-svc --tcp=abc", "a port must be a number"),
    ("service clusterip my-svc --tcp=70000", "a port must fit in 16 bits"),
    ("service clusterip my-svc --tcp=80:-1", "a numeric target port must be in range"),
    ("service clusterip my-svc --tcp=80:Bad_Name", "a target port name must be lowercase"),
    ("service nodeport my-np --tcp=80:8080 --node-port=30080", "a NodePort service with a node port"),
    ("service nodeport my-np --tcp=80:8080", "a NodePort service without a node port"),
    ("service loadbalancer my-lb --tcp=80:8080", "a LoadBalancer service"),
    ("service externalname my-ext --external-name=example.com", "an ExternalName service"),
    ("service externalname my-ext --external-name=example.com --tcp=80", "an ExternalName with ports"),
    ("service externalname my-ext --external-name=Bad_", "an external name must be a DNS name"),
    ("service externalname my-ext", "an external name is required"),
    # configmaps
    ("configmap app --from-literal=key1=value1 --from-literal=key2=value2", "literal keys"),
    ("configmap app --from-literal=a=b=c --from-literal=n=80 --from-literal=t=true",
     "values keep their equals signs and are quoted where YAML needs it"),
    ("configmap app", "an empty configmap"),
    ("configmap app --from-literal=a=b --append-hash", "--append-hash adds kubectl's content hash"),
    ("configmap app --append-hash", "the hash of an empty configmap"),
    (f"configmap app --from-file={FILES}/binary.bin --append-hash", "binary data is part of the hash"),
    ("secret generic s --from-literal=a=b --append-hash", "a secret's hash"),
    ("secret generic s --append-hash --type=foo", "a secret's type is part of its hash"),
    ("secret docker-registry regcred --docker-username=u --docker-password=p --append-hash",
     "a docker-registry secret with a hash"),
    ("configmap app --from-literal=a=b -n foo", "a configmap in an explicit namespace"),
    ("quota q --hard=pods=1 -n foo", "a quota in an explicit namespace"),
    ("namespace dev -n foo", "a namespace ignores -n"),
    (f"configmap app --from-file={FILES}/app.env", "a file becomes a key named after it"),
    (f"configmap app --from-file=conf={FILES}/app.env", "a file under a chosen key"),
    (f"configmap app --from-file={FILES}/dir", "a directory adds each regular file"),
    (f"configmap app --from-env-file={FILES}/app.env", "an env file adds one key per line"),
    (f"configmap app --from-file={FILES}/binary.bin", "a binary file goes to binaryData"),
    ("configmap app --from-literal=a", "a literal needs a value"),
    ("configmap app --from-literal==b", "a literal needs a key"),
    ("configmap app --from-literal=a=1 --from-literal=a=2", "duplicate keys are refused"),
    ("configmap app --from-literal=a/b=1", "keys must be valid configmap keys"),
    ("configmap app --from-file=/nonexist", "a missing file is reported"),
    (f"configmap app --from-file=k={FILES}/dir", "a directory cannot take a key"),
    (f"configmap app --from-file=={FILES}/x", "a file source needs a key before ="),
    ("configmap app --from-file=k=", "a file source needs a path after ="),
    ("configmap app --from-file=a=b=c", "a file source has at most one ="),
    (f"configmap app --from-env-file={FILES}/app.env --from-literal=a=b", "env files stand alone"),
    (f"configmap app --from-env-file={FILES}/bad.env", "env file keys must be variable names"),
    # secrets
    ("secret generic db --from-literal=username=admin --from-literal=password=s3cr3t", "a generic secret"),
    ("secret generic db --type=Opaque --from-literal=a=1", "the type is printed last"),
    (f"secret generic db --from-file={FILES}/app.env --from-file={FILES}/binary.bin", "files are base64"),
    (f"secret generic db --from-env-file={FILES}/app.env", "an env file in a secret"),
    (f"secret generic db --from-file={FILES}/dir", "a directory of files in a secret"),
    ("secret generic db --from-literal=a=1 --from-literal=a=2", "duplicate secret keys are refused"),
    ("service clusterip s --tcp=80:8080:9090", "extra colon parts are ignored but named"),
    ("service nodeport s --tcp=80,443 --node-port=30000", "every port gets the node port"),
    ("secret generic db --from-literal=a/b=1", "secret keys must be valid"),
    ("secret docker-registry regcred --docker-server=registry.example.com --docker-username=user "
     "--docker-password=pass --docker-email=user@example.com", "a docker-registry secret"),
    ("secret docker-registry regcred --docker-username=u --docker-password=p&<>", "Go escapes HTML in the auth json"),
    ("secret docker-registry regcred --docker-username=u", "a password is needed"),
    (f"secret tls tls --cert={FILES}/tls.crt --key={FILES}/tls.key", "a TLS secret"),
    ("secret tls tls", "a TLS secret needs both files"),
    (f"secret tls tls --cert={FILES}/tls.crt --key={FILES}/other.key", "a key must match its certificate"),
    (f"secret tls tls --cert={FILES}/tls.crt --key={FILES}/tls.crt", "a certificate is not a key"),
    (f"secret tls tls --cert={FILES}/tls.key --key={FILES}/tls.key", "switched inputs are noticed"),
    (f"secret tls tls --cert={FILES}/garbage.crt --key={FILES}/tls.key", "a malformed certificate"),
    ("secret tls tls --cert=/nonexist.crt --key=/x", "a missing certificate is reported"),
    # rbac bindings
    ("rolebinding rb1 --role=pod-reader --user=jane --serviceaccount=default:mysa --group=devs",
     "subjects are users, then groups, then service accounts"),
    ("rolebinding rb1 --clusterrole=view --user=a --user=b,c", "users are not split at commas"),
    ("rolebinding rb1", "a binding needs a role"),
    ("rolebinding rb1 --role=a --clusterrole=b", "a binding takes only one role"),
    ("rolebinding rb1 --role=a --serviceaccount=foo", "a service account is namespace:name"),
    ("clusterrolebinding crb1 --clusterrole=node-reader --user=jane", "a cluster role binding"),
    ("clusterrolebinding crb1 --clusterrole=x --group=g --serviceaccount=ns:sa", "group and sa subjects"),
    ("clusterrolebinding crb1", "a cluster role binding needs a cluster role"),
    ("clusterrolebinding crb1 --clusterrole=x", "a binding without subjects"),
    # small kinds
    ("serviceaccount mysa", "a service account"),
    ("namespace dev", "a namespace"),
    ("namespace n", "a namespace whose name YAML would read as a boolean"),
    ("quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3", "a quota"),
    ("quota q --hard=pods=2 --scopes=BestEffort,NotTerminating", "quota scopes"),
    ("quota q --hard=cpu=1000m,memory=1024Mi,pods=0.5,requests.storage=1e3", "quantities are canonical"),
    ("quota q", "an empty quota"),
    ("quota q --hard=cpu", "a hard limit needs a value"),
    ("quota q --hard=cpu=abc", "a hard limit must be a quantity"),
    ("priorityclass high --value=1000", "a priority class"),
    ("priorityclass high --value=1000 --global-default --description=hi --preemption-policy=Never",
     "a global default priority class"),
    ("pdb my-pdb --selector=app=web --min-available=1", "a pdb with min available"),
    ("pdb my-pdb --selector=app=web --max-unavailable=50%", "a pdb with a percentage"),
    ("pdb my-pdb --selector=tier+in+(a,b),app=x,!legacy --min-available=2",
     "set-based selectors become match expressions"),
    ("pdb my-pdb --selector=app!=x --min-available=1", "not-equals is not a label selector operator"),
    ("pdb my-pdb --selector=n>3 --min-available=1", "greater-than is refused in label selectors"),
    ("pdb my-pdb --selector=app=x", "a pdb needs a budget"),
    ("pdb my-pdb --min-available=1", "a pdb needs a selector"),
    ("pdb my-pdb --selector=app=x --min-available=1 --max-unavailable=1", "only one budget"),
    ("pdb my-pdb --selector=a+in+( --min-available=1", "a bad selector is reported"),
    # jobs
    ("job my-job --image=busybox -- echo hello", "a job with a command"),
    ("job my-job --image=busybox", "a job without a command"),
    ("job my-job", "a job needs an image or a source"),
    ("job my-job --from=cronjob/x -- echo", "a job from a cronjob takes no command"),
    ("cronjob my-cron --image=busybox --schedule=*/1+*+*+*+* -- date", "a cronjob"),
    ("cronjob my-cron --image=busybox --schedule=0+*+*+*+* --restart=Never", "a cronjob that never restarts"),
    ("cronjob my-cron", "a cronjob needs image and schedule"),
    ("cronjob my-cron --image=x", "a cronjob needs a schedule"),
    # ingress
    ("ingress simple --rule=foo.com/bar=svc1:8080,tls=my-cert", "an ingress with TLS"),
    ("ingress simple --rule=foo.com/*=svc:http", "a star makes a prefix path"),
    ("ingress simple --rule=/path=svc:80", "a rule without host"),
    ("ingress simple --class=nginx --default-backend=defsvc:80 --annotation=k=v --rule=a.com/=s:80",
     "class, default backend and annotations"),
    ("ingress i --rule=a.com/=s:80,tls --rule=a.com/b*=t:http,tls=x --rule=b.com/c=u:80,tls=x "
     "--rule=/x=v:80 --class=nginx --default-backend=d:http --annotation=a=b=c",
     "rules for one host share an entry and TLS hosts are listed once"),
    ("ingress w --rule=*.foo.com/api/v1*=api:8080,tls=wild --rule=*.foo.com/=web:80,tls=wild",
     "a wildcard host keeps one TLS entry"),
    ("ingress d --default-backend=defsvc:http", "an ingress with only a default backend"),
    ("ingress t --rule=a.com/=s:80,tls=x --rule=b.com/=s:80,tls=x", "hosts sharing a secret share a TLS entry"),
    ("ingress i", "an ingress needs rules or a backend"),
    ("ingress i --rule=bad", "a malformed rule"),
    ("ingress i --default-backend=svc", "a malformed default backend"),
    ("ingress i --annotation=x --rule=/=s:80", "a malformed annotation"),
]


def _words(line: str) -> list[str]:
    return [w.replace("+", " ") for w in shlex.split(line)]


def _setup_files():
    import os
    os.makedirs(f"{FILES}/dir/sub", exist_ok=True)
    with open(f"{FILES}/app.env", "w") as fh:
        fh.write("# settings\na=1\nb=hello world\n\nc=x=y\n")
    with open(f"{FILES}/bad.env", "w") as fh:
        fh.write("1abc=x\n")
    with open(f"{FILES}/binary.bin", "wb") as fh:
        fh.write(b"\xff\xfe\x00binary")
    with open(f"{FILES}/dir/one.txt", "w") as fh:
        fh.write("one\n")
    with open(f"{FILES}/dir/two.conf", "w") as fh:
        fh.write("server {\n  listen 80;\n}\n")
    for stem, cn in (("tls", "web"), ("other", "db")):
        crt, key = _self_signed(cn)
        with open(f"{FILES}/{stem}.crt", "wb") as fh:
            fh.write(crt)
        with open(f"{FILES}/{stem}.key", "wb") as fh:
            fh.write(key)
    with open(f"{FILES}/garbage.crt", "w") as fh:
        fh.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")


def _self_signed(cn: str) -> tuple[bytes, bytes]:
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime.datetime(2026, 1, 1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


@pytest.fixture(scope="module")
def oracle(real_kubectl):
    _setup_files()

    def run(job):
        line, fmt = job
        words = _words(line)
        cut = words.index("--") if "--" in words else len(words)
        words[cut:cut] = ["--dry-run=client", "-o", fmt]
        proc = run_real_kubectl(real_kubectl, ["create", *words])
        return proc.returncode, proc.stdout, proc.stderr
    jobs = [(c[0], fmt) for c in CASES for fmt in ("yaml", "json")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(jobs, pool.map(run, jobs)))


def ours(line: str, fmt: str = "yaml") -> tuple[int, str, str]:
    words = _words(line)
    sub = words[0]
    sub = {"pdb": "poddisruptionbudget"}.get(sub, sub)
    rest = words[1:]
    if sub in ("service", "secret"):
        sub, rest = f"{sub} {rest[0]}", rest[1:]
    try:
        positional, options = parse(sub, rest)
        obj = GENERATORS[sub](positional[0], **options)
    except GeneratorError as exc:
        return 1, "", str(exc) + "\n"
    if fmt == "json":
        return 0, to_json(struct_ordered(obj), sort_keys=False), ""
    return 0, to_yaml(obj), ""


@pytest.mark.parametrize("line", [pytest.param(c[0], id=c[1]) for c in CASES])
def test_create_json_follows_go_struct_order(oracle, line):
    code, out, err = oracle[(line, "json")]
    if code == 0:
        assert ours(line, "json") == (0, out, "")


@pytest.mark.parametrize("line", [pytest.param(c[0], id=c[1]) for c in CASES])
def test_create_matches_kubectl(oracle, line):
    code, out, err = oracle[(line, "yaml")]
    mine = ours(line)
    if code == 0:
        assert mine == (0, out, "")
    else:
        assert mine[0] == 1
        assert mine[2].splitlines()[0] == err.splitlines()[0]
