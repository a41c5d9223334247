"""Feeding data to a model: ``Dataset``, ``TensorDataset``, ``Subset``, ``random_split``,
``DataLoader`` with ``default_collate``, and toy datasets that need no download.

The toy datasets (``make_moons``, ``make_spirals``, ``make_blobs``, ``make_xor``)
return numpy arrays ``X`` of shape (n_samples, n_features), float32 by default,
and ``y`` of shape (n_samples,), int64 class indices; wrap them with
``TensorDataset(autograd.tensor(X), autograd.tensor(y))``.

Randomness: with ``seed=None`` everything here draws from
``autograd.random.generator()``, so ``autograd.manual_seed`` makes it
reproducible; with an int ``seed`` it uses its own ``numpy.random.default_rng(seed)``.
"""
import collections.abc
import math
import numbers

import numpy as np

from autograd import random as _random
from autograd.dtypes import DEFAULT_FLOAT
from autograd.ops import stack
from autograd.tensor import Tensor


def _rng(seed):
    """``default_rng(seed)``, or chainrule's global generator when ``seed`` is None."""
    return _random.generator() if seed is None else np.random.default_rng(seed)


# ------------------------------------------------------------------ datasets
class Dataset:
    """A map-style dataset: ``dataset[i]`` is the i-th sample, ``len(dataset)`` the number of samples.

    Subclasses implement ``__getitem__`` and ``__len__``.
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")


class TensorDataset(Dataset):
    """Samples are rows of tensors sharing their first dimension: ``dataset[i] == (t[i] for t in tensors)``."""

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor")
        for k, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: argument {k} is a {type(t).__name__}, expected a Tensor")
            if t.ndim == 0:
                raise ValueError(f"TensorDataset: argument {k} is a 0-d tensor; samples are indexed along dim 0")
        sizes = [t.shape[0] for t in tensors]
        if len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors: first dimensions are {sizes}")
        self.tensors = tensors

    def __getitem__(self, index):
        try:
            return tuple(_row(t, index) for t in self.tensors)
        except IndexError as error:
            raise IndexError(f"TensorDataset: index {index!r} is invalid for a dataset of length {len(self)} ({error})") from None

    def __len__(self):
        return self.tensors[0].shape[0]

    def _batch(self, indices):
        """The batch default_collate would build for ``indices``, in one indexing op per tensor."""
        return tuple(_row(t, indices) for t in self.tensors)


def _row(t, index):
    """``t[index]``; without recording an op when ``t`` needs no gradient (the common case for data)."""
    if t.requires_grad:
        return t[index]
    return Tensor._make(np.asarray(t._array[index]))


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = list(indices)
        self._positions = np.asarray(self.indices, dtype=np.int64)

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)

    def _batch(self, indices):
        return self.dataset._batch(self._positions[indices])


def _has_fast_batch(dataset):
    while isinstance(dataset, Subset):
        dataset = dataset.dataset
    return isinstance(dataset, TensorDataset)


def random_split(dataset, lengths, seed=None):
    """Split ``dataset`` into non-overlapping random ``Subset`` s of the given lengths (like PyTorch).

    ``lengths`` are ints summing to ``len(dataset)``, or fractions summing to 1:
    each gets ``floor(fraction * n)`` samples and the remaining ones are dealt
    round-robin from the first split on.
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) for x in lengths) and math.isclose(sum(lengths), 1.0):
        if any(x < 0 for x in lengths):
            raise ValueError(f"random_split: fractions must be non-negative, got {lengths}")
        counts = [int(math.floor(n * x)) for x in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if any(isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative ints or fractions summing to 1, got {lengths}")
    if sum(lengths) != n:
        raise ValueError(
            f"random_split: sum of input lengths ({sum(lengths)}) does not equal the length of the input dataset ({n})"
        )
    order = _rng(seed).permutation(n).tolist()
    splits, start = [], 0
    for length in lengths:
        splits.append(Subset(dataset, order[start:start + length]))
        start += length
    return splits


# ------------------------------------------------------------------- loading
def default_collate(batch):
    """Merge a list of samples into a batch, recursively.

    Tensors are stacked along a new dim 0 (gradients flow through), numpy
    arrays and numpy scalars become a Tensor of their dtype, Python ints become
    an int64 Tensor, floats a float64 Tensor (as in PyTorch), bools a bool
    Tensor, strings stay a list; a dict of samples becomes a dict of batches,
    and a tuple (or list) of fields becomes a tuple (or list) of batches.
    """
    if not batch:
        raise ValueError("default_collate: the batch is empty")
    first = batch[0]
    if isinstance(first, Tensor):
        if any(t.requires_grad for t in batch):
            return stack(list(batch))
        return Tensor._make(_stack_arrays([t._array for t in batch]))
    if isinstance(first, (np.ndarray, np.generic)):
        if first.dtype.kind not in "biuf":
            raise TypeError(f"default_collate: cannot batch numpy arrays of dtype {first.dtype}")
        return Tensor._make(_stack_arrays([np.asarray(x) for x in batch]))
    if isinstance(first, bool):
        return Tensor._make(np.array(batch, dtype=np.bool_))
    if isinstance(first, numbers.Integral):
        return Tensor._make(np.array(batch, dtype=np.int64))
    if isinstance(first, numbers.Real):
        return Tensor._make(np.array(batch, dtype=np.float64))
    if isinstance(first, str):
        return list(batch)
    if isinstance(first, collections.abc.Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in first}
    if isinstance(first, (tuple, list)):
        lengths = {len(sample) for sample in batch}
        if len(lengths) != 1:
            raise RuntimeError("default_collate: each element in list of batch should be of equal size")
        fields = [default_collate(list(samples)) for samples in zip(*batch)]
        if isinstance(first, tuple) and hasattr(first, "_fields"):  # namedtuple
            return type(first)(*fields)
        return tuple(fields) if isinstance(first, tuple) else fields
    raise TypeError(
        f"default_collate: batch must contain Tensors, numpy arrays, numbers, strings, dicts or "
        f"tuples/lists of those; found {type(first).__name__}"
    )


def _stack_arrays(arrays):
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        raise RuntimeError(f"default_collate: each element in the batch should be of equal size, got shapes {sorted(shapes)}")
    return np.stack(arrays)


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples.

    Each ``iter(loader)`` (one epoch) visits every index once: in order, or,
    with ``shuffle=True``, in a fresh random permutation (from
    ``numpy.random.default_rng(seed)`` created with the loader, so two loaders
    with the same seed give the same epochs; with ``seed=None`` from
    ``autograd.random.generator()``, which ``autograd.manual_seed`` controls).
    The last batch is smaller unless ``drop_last=True`` drops it. Samples are
    merged by ``collate_fn`` (default: :func:`default_collate`).

    ``len(loader)`` = ceil(N / batch_size), or floor(N / batch_size) with ``drop_last``.

    PyTorch's other arguments are accepted so loops port unchanged: ``num_workers``,
    ``pin_memory``, ``timeout``, ``worker_init_fn``, ``prefetch_factor`` and
    ``persistent_workers`` change nothing (samples are loaded in the main process, and the
    batches are the same), and ``generator`` (a numpy Generator) can stand in for ``seed``.
    ``sampler`` and ``batch_sampler`` are not supported and raise.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None,
                 persistent_workers=False, seed=None):
        if sampler is not None or batch_sampler is not None:
            raise NotImplementedError(
                "DataLoader: sampler and batch_sampler are not supported; use shuffle=True, or index the "
                "dataset yourself (nn.data.Subset)"
            )
        if isinstance(num_workers, bool) or not isinstance(num_workers, numbers.Integral) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers option should be non-negative, got {num_workers!r}")
        if generator is not None and seed is not None:
            raise ValueError("DataLoader: pass either seed or generator, not both")
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, but got batch_size={batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.collate_fn = collate_fn
        self.num_workers = int(num_workers)
        self._own_rng = generator if generator is not None else None if seed is None else np.random.default_rng(seed)

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            rng = self._own_rng if self._own_rng is not None else _random.generator()
            order = rng.permutation(n)
        else:
            order = np.arange(n)
        fast = self.collate_fn is None and _has_fast_batch(self.dataset)
        collate = self.collate_fn or default_collate
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            indices = order[start:start + self.batch_size]
            if fast:
                yield self.dataset._batch(indices)
            else:
                yield collate([self.dataset[int(i)] for i in indices])


# ------------------------------------------------------------- toy datasets
def _finish(X, y, rng, shuffle, noise, dtype):
    """Shuffle the rows, then add N(0, noise^2) to every coordinate (scikit-learn's order: the labels
    of a noisy and a clean draw with the same seed agree)."""
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.astype(dtype, copy=False), y.astype(np.int64, copy=False)


def _split_counts(n_samples, n_classes):
    """How many of ``n_samples`` each class gets: as equal as possible, the first classes one more."""
    return [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]


def _check_count(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


def make_moons(n_samples=100, noise=0.0, seed=None, shuffle=True, dtype=DEFAULT_FLOAT):
    """Two interleaving half circles (scikit-learn's ``make_moons`` geometry).

    Class 0 (``n_samples // 2`` points): (cos t, sin t) for t evenly spaced in [0, pi];
    class 1 (the rest): (1 - cos t, 1 - sin t - 0.5). The rows are shuffled (unless
    ``shuffle=False``), then Gaussian noise of std ``noise`` is added to every coordinate.

    Returns ``X`` of shape (n_samples, 2) (``dtype``, float32 by default) and
    ``y`` of shape (n_samples,) int64 in {0, 1}; rows shuffled unless ``shuffle=False``.
    """
    _check_count("make_moons: n_samples", n_samples, 0)
    rng = _rng(seed)
    n_out = n_samples // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_samples - n_out)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_samples - n_out, np.int64)])
    return _finish(X, y, rng, shuffle, noise, dtype)


def make_spirals(n_samples=100, n_classes=2, noise=0.0, seed=None, turns=1.0, shuffle=True, dtype=DEFAULT_FLOAT):
    """``n_classes`` interleaved spiral arms around the origin.

    Arm k has ``n_samples // n_classes`` points (the first arms one more when it
    does not divide); its i-th of m points has radius r = (i + 1) / m and angle
    2*pi*turns*r + 2*pi*k/n_classes, at (r cos angle, r sin angle), plus Gaussian
    noise of std ``noise`` on each coordinate.

    Returns ``X`` of shape (n_samples, 2) and ``y`` of shape (n_samples,) int64 in [0, n_classes).
    """
    _check_count("make_spirals: n_samples", n_samples, 0)
    _check_count("make_spirals: n_classes", n_classes, 2)
    rng = _rng(seed)
    parts, labels = [], []
    for k, m in enumerate(_split_counts(n_samples, n_classes)):
        r = np.arange(1, m + 1) / max(m, 1)
        angle = 2 * np.pi * turns * r + 2 * np.pi * k / n_classes
        parts.append(np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1))
        labels.append(np.full(m, k, np.int64))
    return _finish(np.concatenate(parts), np.concatenate(labels), rng, shuffle, noise, dtype)


def make_blobs(n_samples=100, centers=3, n_features=2, cluster_std=1.0, seed=None, center_box=(-10.0, 10.0),
               shuffle=True, dtype=DEFAULT_FLOAT, return_centers=False):
    """Isotropic Gaussian clusters (scikit-learn's ``make_blobs``).

    ``centers`` is a count (centers drawn uniformly from ``center_box`` in each
    of ``n_features`` dims) or an array (n_centers, n_features). Cluster k gets
    ``n_samples // n_centers`` points (the first ones one more), drawn from
    N(centers[k], cluster_std[k]^2 I); ``cluster_std`` is a float or one per center.

    Returns ``X`` of shape (n_samples, n_features), ``y`` of shape (n_samples,)
    int64 in [0, n_centers), and the centers (n_centers, n_features) if ``return_centers``.
    """
    _check_count("make_blobs: n_samples", n_samples, 0)
    rng = _rng(seed)
    if isinstance(centers, numbers.Integral):
        _check_count("make_blobs: centers", centers, 1)
        _check_count("make_blobs: n_features", n_features, 1)
        centers = rng.uniform(center_box[0], center_box[1], size=(int(centers), n_features))
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or len(centers) == 0:
            raise ValueError(f"make_blobs: centers must be an int or an array (n_centers, n_features), got shape {centers.shape}")
    stds = np.asarray(cluster_std, dtype=np.float64)
    if stds.ndim > 1 or stds.size not in (1, len(centers)):
        raise ValueError(f"make_blobs: cluster_std must be a float or one per center ({len(centers)}), got shape {stds.shape}")
    stds = np.broadcast_to(stds.reshape(-1), (len(centers),))
    parts, labels = [], []
    for k, m in enumerate(_split_counts(n_samples, len(centers))):
        parts.append(rng.normal(loc=centers[k], scale=stds[k], size=(m, centers.shape[1])))
        labels.append(np.full(m, k, np.int64))
    X, y = _finish(np.concatenate(parts), np.concatenate(labels), rng, shuffle, 0.0, dtype)
    return (X, y, centers) if return_centers else (X, y)


def make_xor(n_samples=100, noise=0.0, seed=None, dtype=DEFAULT_FLOAT):
    """The XOR problem: points uniform in the square [-1, 1]^2, label 1 when exactly one coordinate is positive.

    y = (x0 > 0) xor (x1 > 0), decided before Gaussian noise of std ``noise``
    is added to the coordinates (so noisy points may cross the axes).

    Returns ``X`` of shape (n_samples, 2) and ``y`` of shape (n_samples,) int64 in {0, 1}.
    """
    _check_count("make_xor: n_samples", n_samples, 0)
    rng = _rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64)
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.astype(dtype, copy=False), y


__all__ = [
    "Dataset", "TensorDataset", "Subset", "random_split", "default_collate", "DataLoader",
    "make_moons", "make_spirals", "make_blobs", "make_xor",
]
