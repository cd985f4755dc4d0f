"""Virtual time and the one seeded random source (see loop.py)."""
from kcore.sim.loop import EPOCH, Handle, Loop

__all__ = ["EPOCH", "Handle", "Loop"]
