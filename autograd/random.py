"""The one source of randomness for chainrule: ``manual_seed`` makes runs reproducible.

Factories (``rand``, ``randn``, ``bernoulli``, ``normal``, ``multinomial``), the in-place fills
(``Tensor.uniform_``, ``normal_``, ...), ``nn.init``, dropout, data shuffling and the scalar ``nn.MLP``
all draw from :func:`generator`. The draws below return ndarrays; the tensor methods check their
arguments and write the values in.
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


# PyTorch's names for the dtypes its kernels refuse (torch.int64 is 'Long'), for its error messages.
TORCH_TYPE_NAMES = {
    "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    "float16": "Half", "float32": "Float", "float64": "Double",
}


def uniform(low, high, shape, dtype):
    """Draws from U[low, high) in ``dtype``: float64 draws (the very values ``nn.init.uniform_`` draws from
    the same state) rounded to ``dtype``, where a draw that rounds up to ``high`` is moved just below it."""
    values = np.asarray(_generator.uniform(low, high, size=shape)).astype(dtype)
    if low < high and values.size:
        top = dtype.type(high)
        below = np.nextafter(top, dtype.type(-np.inf))
        np.minimum(values, below if below >= dtype.type(low) else top, out=values)
    return values


def normal(mean, std, shape):
    """Draws from N(mean, std^2) (float64; ``mean`` and ``std`` numbers or arrays broadcast to ``shape``)."""
    return _generator.normal(mean, std, size=shape)


def bernoulli(p, shape):
    """1 with probability ``p`` (a number or an array broadcast to ``shape``), else 0: a bool array."""
    return _generator.random(shape) < p


def integers(low, last, shape):
    """Integers uniform on [low, last], both ends included (int64)."""
    return _generator.integers(low, last, size=shape, dtype=np.int64, endpoint=True)


def exponential(lambd, shape):
    """Draws from the exponential distribution of rate ``lambd`` (density lambd * exp(-lambd x), x >= 0)."""
    return _generator.exponential(1.0 / lambd, size=shape)


def geometric(p, shape):
    """The number of Bernoulli(p) trials up to and including the first success: k >= 1 with P = (1-p)^(k-1) p."""
    return _generator.geometric(p, size=shape)


def log_normal(mean, std, shape):
    """exp(N(mean, std^2)): draws whose logarithm is normal."""
    return _generator.lognormal(mean, std, size=shape)


def cauchy(median, sigma, shape):
    """Draws from the Cauchy distribution: density 1 / (pi sigma (1 + ((x - median) / sigma)^2))."""
    return median + sigma * _generator.standard_cauchy(size=shape)


def multinomial(probs, num_samples, replacement):
    """``num_samples`` category indices per row of the 2-d float64 array ``probs`` (non-negative weights,
    each row with a positive sum), int64.

    With replacement: independent draws by inverse CDF. Without: PyTorch's algorithm, the ``num_samples``
    largest keys p_i / E_i (E_i exponential draws), which samples categories one after another in
    proportion to the weights left; categories of weight 0 come last.
    """
    rows, n = probs.shape
    out = np.empty((rows, num_samples), dtype=np.int64)
    if replacement:
        cdf = np.cumsum(probs, axis=1)
        u = _generator.random((rows, num_samples)) * cdf[:, -1:]
        last = n - 1 - np.argmax(probs[:, ::-1] > 0, axis=1)  # never beyond the last category of weight > 0
        for r in range(rows):
            out[r] = np.minimum(np.searchsorted(cdf[r], u[r], side="right"), last[r])
        return out
    keys = probs / _generator.exponential(1.0, size=probs.shape)
    return np.argsort(-keys, axis=1, kind="stable")[:, :num_samples].astype(np.int64)
