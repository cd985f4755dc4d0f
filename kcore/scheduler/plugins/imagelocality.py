"""ImageLocality (Score): prefer nodes that already hold the pod's images.

Each image present on the node contributes its size scaled by the share of nodes that have it
(so an image everyone has counts little); the sum is clamped to [23MB, 1000MB x containers] and
mapped linearly onto 0..100."""
from __future__ import annotations

from operator import attrgetter, methodcaller

from .. import util
from ..framework import MAX_NODE_SCORE, Memo, ScorePlugin

_SIZES = attrgetter("image_sizes")
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def _images(pod_dict: dict) -> list[str]:
    spec = pod_dict.get("spec") or {}
    out = []
    for c in list(spec.get("initContainers") or ()) + list(spec.get("containers") or ()):
        if c.get("image"):
            out.append(util.normalized_image_name(c["image"]))
    return out


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    if sum_scores < MIN_THRESHOLD:
        sum_scores = MIN_THRESHOLD
    elif sum_scores > max_threshold:
        sum_scores = max_threshold
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


class ImageLocality(ScorePlugin):
    name = "ImageLocality"

    def score_nodes(self, state, pod, nodes):
        images = _images(pod.pod)
        n = len(images)
        if not n:
            return [0] * len(nodes)
        cache = self.handle.cache if self.handle is not None else None
        total_nodes = len(cache.node_list) if cache is not None else len(nodes)
        spread = {img: (len(cache.image_nodes.get(img, ())) if cache is not None else 1) / total_nodes
                  for img in images}
        memo = Memo(lambda total: calculate_priority(total, n))
        if len(images) == 1 and cache is not None:
            img = images[0]
            holders, sizes = cache.image_summary(img)
            if not holders:                       # nobody has it: every node scores the floor
                return [memo[0]] * len(nodes)
            if len(sizes) == 1:                   # one size: two possible scores
                hi = memo[int(sizes[0] * spread[img])]
                if len(holders) == total_nodes:
                    return [hi] * len(nodes)
                lo = memo[0]
                return [hi if ni.name in holders else lo for ni in nodes]
        if len(images) == 1:
            img = images[0]
            sp = spread[img]
            by_size = Memo(lambda size: memo[int(size * sp)])
            return list(map(by_size.__getitem__, map(methodcaller("get", img, 0), map(_SIZES, nodes))))
        out = []
        for ni in nodes:
            sizes = ni.image_sizes
            s = 0
            if sizes:
                for img in images:
                    size = sizes.get(img)
                    if size is not None:
                        s += int(size * spread[img])
            out.append(memo[s])
        return out

    def score(self, state, pod, node_info):
        return self.score_nodes(state, pod, [node_info])[0]
