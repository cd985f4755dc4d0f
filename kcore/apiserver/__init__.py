"""kube-apiserver: authentication, authorization, admission, validation, etcd, watches."""
from kcore.apiserver.authn import ADMIN, User
from kcore.apiserver.errors import ApiError
from kcore.apiserver.server import APIServer

__all__ = ["ADMIN", "APIServer", "ApiError", "User"]
