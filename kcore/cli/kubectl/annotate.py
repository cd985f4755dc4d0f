"""kubectl annotate: add, change (`--overwrite`) or remove (`key-`) annotations."""
from __future__ import annotations

from kcore.cli.kubectl import label

FLAGS = label.FLAGS


def run(ctx, p):
    return label.apply_changes(ctx, p, "annotations", ("annotated", "annotated", "annotated"), None)
