"""The cluster's identities: CAs, kubeadm's certificates, CSR signing and kubeconfig files.

Real X.509 through `cryptography`, fully deterministic: keys derive from a seed, dates are
passed in. See ca.py for the key choice (ECDSA-P256 by default, RSA-2048 on request)."""
from kcore.pki.ca import CA, ECDSA_P256, RSA_2048, derive_key, load_ca, make_ca
from kcore.pki.certs import (Issued, PKIError, cert_info, dump_cert, dump_key, issue, kubeadm_cas,
                             kubeadm_pki, kubelet_pki, load_cert, load_key, make_csr, public_key_pem, sign_csr)
from kcore.pki.kubeconfig import kubeadm_kubeconfigs, kubeconfig, to_yaml

__all__ = ["CA", "ECDSA_P256", "RSA_2048", "derive_key", "load_ca", "make_ca", "Issued", "PKIError",
           "cert_info", "dump_cert", "dump_key", "issue", "kubeadm_cas", "kubeadm_pki", "kubelet_pki", "load_cert",
           "load_key", "make_csr", "public_key_pem", "sign_csr", "kubeadm_kubeconfigs", "kubeconfig",
           "to_yaml"]
