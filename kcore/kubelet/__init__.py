"""The kubelet: pods on a node, the container runtime, images as programs, probes, static pods."""
