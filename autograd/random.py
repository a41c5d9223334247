"""The one source of randomness for chainrule: ``manual_seed`` makes runs reproducible.

Factories (``rand``, ``randn``), ``nn.init``, dropout, data shuffling and the
scalar ``nn.MLP`` all draw from :func:`generator`.
"""
import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed):
    """Reseed the global generator with the integer ``seed``; return the generator."""
    global _generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: expected an int seed, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"manual_seed: seed must be non-negative, got {seed}")
    _generator = np.random.default_rng(int(seed))
    return _generator


def generator():
    """The ``numpy.random.Generator`` all of chainrule draws from."""
    return _generator
