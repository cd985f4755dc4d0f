"""ImageLocality scores (imagelocality/image_locality_test.go): sizes scaled by spread, clamped
between 23MB and 1000MB per container."""
from __future__ import annotations

from tests.scheduler.builders import node, pod, scores

MB = 1024 * 1024


def with_images(name, *images):
    n = node(name)
    for img, size in images:
        n.image(img, size)
    return n


def two_images_pod():
    p = pod("p")
    p.spec["containers"] = [{"name": "a", "image": "gcr.io/40"}, {"name": "b", "image": "gcr.io/300"}]
    return p


def test_two_images_spread_on_two_nodes_prefer_the_larger_image_one():
    nodes = [with_images("node403002000", ("gcr.io/40:latest", 40 * MB), ("gcr.io/300:latest", 300 * MB),
                         ("gcr.io/2000:latest", 2000 * MB)),
             with_images("node25010", ("gcr.io/250:latest", 250 * MB), ("gcr.io/10:latest", 10 * MB))]
    assert scores("ImageLocality", nodes, two_images_pod()) == {"node403002000": 7, "node25010": 0}


def test_an_image_on_every_node_counts_fully_only_if_it_is_everywhere():
    nodes = [with_images("a", ("nginx:latest", 500 * MB)), with_images("b", ("nginx:latest", 500 * MB))]
    got = scores("ImageLocality", nodes, pod("p"))
    assert got == {"a": 48, "b": 48}


def test_nodes_without_images_score_zero():
    assert scores("ImageLocality", [node("a")], pod("p")) == {"a": 0}
