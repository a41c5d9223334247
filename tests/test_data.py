"""nn.data: datasets, DataLoader batching and shuffling, collation, random_split and the toy datasets."""
import numpy as np
import pytest

import autograd
import nn
from nn.data import (
    DataLoader, Dataset, Subset, TensorDataset, default_collate, make_blobs, make_moons, make_spirals, make_xor,
    random_split,
)


def numbers_dataset(n=10):
    return TensorDataset(autograd.arange(n).reshape(n, 1).float(), autograd.arange(n))


def epoch_indices(loader):
    """The sample indices in the order one epoch of ``loader`` (over ``numbers_dataset``) visits them."""
    return [int(i) for _, y in loader for i in y.numpy()]


# ----------------------------------------------------------------- datasets
def test_tensor_dataset_items_and_length():
    X, y = autograd.randn(5, 3), autograd.tensor([0, 1, 0, 1, 1])
    ds = TensorDataset(X, y)
    assert len(ds) == 5
    x2, y2 = ds[2]
    np.testing.assert_array_equal(x2.numpy(), X.numpy()[2])
    assert y2.item() == 0 and y2.dtype == np.int64


def test_tensor_dataset_size_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match=r"size mismatch.*\[5, 4\]"):
        TensorDataset(autograd.zeros(5, 2), autograd.zeros(4))
    with pytest.raises(TypeError, match="argument 1 is a ndarray"):
        TensorDataset(autograd.zeros(5, 2), np.zeros(5))


def test_tensor_dataset_index_out_of_range():
    with pytest.raises(IndexError, match="invalid for a dataset of length 3"):
        TensorDataset(autograd.zeros(3, 2))[3]


def test_dataset_base_is_abstract():
    with pytest.raises(NotImplementedError):
        Dataset()[0]
    with pytest.raises(NotImplementedError):
        len(Dataset())


# ---------------------------------------------------------------- DataLoader
@pytest.mark.parametrize("n, batch_size, drop_last, sizes", [
    (10, 3, False, [3, 3, 3, 1]),
    (10, 3, True, [3, 3, 3]),
    (10, 5, False, [5, 5]),
    (10, 5, True, [5, 5]),
    (2, 5, False, [2]),
    (2, 5, True, []),
    (0, 4, False, []),
])
def test_batch_counts_and_sizes(n, batch_size, drop_last, sizes):
    loader = DataLoader(numbers_dataset(n), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == len(sizes)
    assert [len(y) for _, y in loader] == sizes


def test_unshuffled_batches_follow_the_dataset_in_order():
    loader = DataLoader(numbers_dataset(7), batch_size=3)
    batches = list(loader)
    x, y = batches[0]
    assert x.shape == (3, 1) and x.dtype == np.float32 and y.shape == (3,) and y.dtype == np.int64
    assert epoch_indices(loader) == list(range(7))
    np.testing.assert_array_equal(batches[-1][0].numpy(), [[6.0]])


def test_shuffle_is_a_fresh_permutation_each_epoch_reproducible_with_seed():
    ds = numbers_dataset(20)
    a = DataLoader(ds, batch_size=6, shuffle=True, seed=123)
    b = DataLoader(ds, batch_size=6, shuffle=True, seed=123)
    epochs_a = [epoch_indices(a) for _ in range(3)]
    epochs_b = [epoch_indices(b) for _ in range(3)]
    assert epochs_a == epochs_b
    assert all(sorted(e) == list(range(20)) for e in epochs_a)
    assert epochs_a[0] != epochs_a[1] != epochs_a[2]
    assert epochs_a[0] != list(range(20))
    rng = np.random.default_rng(123)
    assert epochs_a[:2] == [rng.permutation(20).tolist(), rng.permutation(20).tolist()]
    assert epoch_indices(DataLoader(ds, batch_size=6, shuffle=True, seed=7)) != epochs_a[0]


def test_shuffle_without_seed_follows_manual_seed():
    loader = DataLoader(numbers_dataset(20), batch_size=4, shuffle=True)
    autograd.manual_seed(5)
    first = epoch_indices(loader)
    autograd.manual_seed(5)
    assert epoch_indices(loader) == first
    assert first != epoch_indices(loader)


def test_shuffled_drop_last_drops_the_incomplete_batch():
    loader = DataLoader(numbers_dataset(10), batch_size=4, shuffle=True, drop_last=True, seed=0)
    seen = epoch_indices(loader)
    assert len(seen) == 8 and len(set(seen)) == 8


def test_fast_tensor_path_matches_generic_collation():
    X = autograd.randn(11, 2, 3, dtype=autograd.float64)
    y = autograd.tensor(np.arange(11) % 3)
    ds = TensorDataset(X, y)
    fast = list(DataLoader(ds, batch_size=4, shuffle=True, seed=1))
    slow = list(DataLoader(ds, batch_size=4, shuffle=True, seed=1, collate_fn=default_collate))
    for (xf, yf), (xs, ys) in zip(fast, slow, strict=True):
        assert xf.dtype == xs.dtype == np.float64 and yf.dtype == ys.dtype == np.int64
        np.testing.assert_array_equal(xf.numpy(), xs.numpy())
        np.testing.assert_array_equal(yf.numpy(), ys.numpy())


class ArrayDataset(Dataset):
    """A custom dataset yielding (numpy features, int label)."""

    def __init__(self, n):
        self.X = np.arange(n * 2, dtype=np.float32).reshape(n, 2)

    def __getitem__(self, i):
        return self.X[i], int(i % 2)

    def __len__(self):
        return len(self.X)


def test_custom_dataset_with_numpy_samples_and_int_labels():
    x, y = next(iter(DataLoader(ArrayDataset(5), batch_size=3)))
    assert isinstance(x, autograd.Tensor) and x.dtype == np.float32 and x.shape == (3, 2)
    np.testing.assert_array_equal(x.numpy(), [[0, 1], [2, 3], [4, 5]])
    assert y.dtype == np.int64 and y.tolist() == [0, 1, 0]


def test_default_collate_structures():
    batch = default_collate([
        {"x": autograd.tensor([1.0, 2.0]), "y": 3, "w": 0.5, "ok": True, "name": "a"},
        {"x": autograd.tensor([3.0, 4.0]), "y": 4, "w": 1.5, "ok": False, "name": "b"},
    ])
    assert set(batch) == {"x", "y", "w", "ok", "name"}
    np.testing.assert_array_equal(batch["x"].numpy(), [[1.0, 2.0], [3.0, 4.0]])
    assert batch["y"].dtype == np.int64 and batch["y"].tolist() == [3, 4]
    assert batch["w"].dtype == np.float64 and batch["w"].tolist() == [0.5, 1.5]
    assert batch["ok"].dtype == np.bool_ and batch["name"] == ["a", "b"]
    pair = default_collate([(np.int32(1), [1.0, 2.0]), (np.int32(2), [3.0, 4.0])])
    assert type(pair) is tuple and pair[0].dtype == np.int32
    assert type(pair[1]) is list and pair[1][1].tolist() == [2.0, 4.0]


def test_default_collate_keeps_the_graph_of_tensors():
    a = autograd.tensor([1.0, 2.0], requires_grad=True)
    batch = default_collate([a, a * 3])
    batch.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [4.0, 4.0])


def test_default_collate_errors():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(RuntimeError, match=r"equal size, got shapes \[\(2,\), \(3,\)\]"):
        default_collate([autograd.zeros(2), autograd.zeros(3)])
    with pytest.raises(TypeError, match="found object"):
        default_collate([object(), object()])


def test_custom_collate_fn_is_used():
    loader = DataLoader(ArrayDataset(4), batch_size=2, collate_fn=lambda samples: [label for _, label in samples])
    assert list(loader) == [[0, 1], [0, 1]]


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(numbers_dataset(), batch_size=0)


# --------------------------------------------------------------- random_split
def test_random_split_lengths_disjoint_and_reproducible():
    ds = numbers_dataset(10)
    train, test = random_split(ds, [7, 3], seed=0)
    assert isinstance(train, Subset) and (len(train), len(test)) == (7, 3)
    indices = [int(train[i][1].item()) for i in range(7)] + [int(test[i][1].item()) for i in range(3)]
    assert sorted(indices) == list(range(10))
    assert indices == np.random.default_rng(0).permutation(10).tolist()
    assert random_split(ds, [7, 3], seed=0)[0].indices == train.indices


def test_random_split_fractions_like_pytorch():
    assert [len(s) for s in random_split(numbers_dataset(10), [0.7, 0.3], seed=0)] == [7, 3]
    assert [len(s) for s in random_split(numbers_dataset(11), [0.5, 0.5], seed=0)] == [6, 5]
    assert [len(s) for s in random_split(numbers_dataset(10), [0.33, 0.33, 0.34], seed=0)] == [4, 3, 3]


def test_random_split_bad_lengths():
    with pytest.raises(ValueError, match="does not equal the length"):
        random_split(numbers_dataset(10), [5, 4])
    with pytest.raises(ValueError, match="non-negative"):
        random_split(numbers_dataset(10), [12, -2])


def test_loader_over_a_split_subset_batches_its_samples():
    train, _ = random_split(numbers_dataset(10), [6, 4], seed=3)
    seen = epoch_indices(DataLoader(train, batch_size=4))
    assert seen == train.indices
    custom = list(DataLoader(Subset(ArrayDataset(6), [5, 0, 3]), batch_size=2))
    assert custom[0][1].tolist() == [1, 0] and custom[1][0].tolist() == [[6.0, 7.0]]


# ------------------------------------------------------------ toy datasets
def test_make_moons_geometry_matches_scikit_learn():
    X, y = make_moons(n_samples=101, shuffle=False)
    assert X.shape == (101, 2) and y.shape == (101,) and X.dtype == np.float32 and y.dtype == np.int64
    assert (y[:50] == 0).all() and (y[50:] == 1).all()
    t_out, t_in = np.linspace(0, np.pi, 50), np.linspace(0, np.pi, 51)
    np.testing.assert_allclose(X[:50], np.c_[np.cos(t_out), np.sin(t_out)], atol=1e-7)
    np.testing.assert_allclose(X[50:], np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], atol=1e-7)
    assert X[:, 0].min() == -1 and X[:, 0].max() == 2 and X[:, 1].min() == -0.5 and 0.999 < X[:, 1].max() <= 1


def test_make_moons_shuffle_noise_and_determinism():
    X, y = make_moons(200, noise=0.1, seed=0)
    X2, y2 = make_moons(200, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make_moons(200, noise=0.1, seed=1)[0])
    assert (y == 0).sum() == 100 and not (y[:100] == 0).all()
    clean, labels = make_moons(200, seed=0, dtype=np.float64)
    np.testing.assert_array_equal(labels, y)  # the same shuffle; noise only moves points
    residual = X - clean
    assert 0.08 < residual.std() < 0.12
    autograd.manual_seed(4)
    a = make_moons(50, noise=0.2)[0]
    autograd.manual_seed(4)
    np.testing.assert_array_equal(a, make_moons(50, noise=0.2)[0])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_make_spirals_points_lie_on_their_arms(n_classes):
    X, y = make_spirals(n_samples=90, n_classes=n_classes, seed=0)
    assert X.shape == (90, 2) and X.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [90 // n_classes] * n_classes
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() > 0 and r.max() <= 1 + 1e-6
    angle = np.arctan2(X[:, 1], X[:, 0])
    offset = angle - 2 * np.pi * r - 2 * np.pi * y / n_classes
    np.testing.assert_allclose(np.cos(offset), 1.0, atol=1e-5)
    noisy, labels = make_spirals(90, n_classes, noise=0.05, seed=0)
    np.testing.assert_array_equal(labels, y)
    assert not np.array_equal(noisy, X)


def test_make_blobs_clusters():
    centers = np.array([[0.0, 0.0], [10.0, 10.0], [-10.0, 5.0]])
    X, y = make_blobs(n_samples=301, centers=centers, cluster_std=0.5, seed=0)
    assert X.shape == (301, 2) and y.dtype == np.int64 and np.bincount(y).tolist() == [101, 100, 100]
    for k in range(3):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.2)
        assert (0.4 < X[y == k].std(axis=0)).all() and (X[y == k].std(axis=0) < 0.6).all()
    X, y, c = make_blobs(n_samples=40, centers=4, n_features=3, cluster_std=0.0, seed=1, return_centers=True)
    assert X.shape == (40, 3) and c.shape == (4, 3) and (np.abs(c) <= 10).all()
    np.testing.assert_allclose(X, c[y], rtol=1e-6)
    np.testing.assert_array_equal(make_blobs(40, 4, 3, seed=1)[0], make_blobs(40, 4, 3, seed=1)[0])


def test_make_xor_labels_follow_the_quadrants():
    X, y = make_xor(n_samples=400, seed=0)
    assert X.shape == (400, 2) and y.dtype == np.int64 and (np.abs(X) <= 1).all()
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert 150 < y.sum() < 250
    noisy, labels = make_xor(400, noise=0.3, seed=0)
    np.testing.assert_array_equal(labels, y)
    assert (np.abs(noisy) > 1).any()


def test_toy_dataset_bad_arguments():
    with pytest.raises(ValueError, match="cluster_std"):
        make_blobs(10, centers=3, cluster_std=[1.0, 2.0])
    with pytest.raises(ValueError, match="n_classes"):
        make_spirals(10, n_classes=1)
    with pytest.raises(ValueError, match="n_samples"):
        make_moons(-1)


def test_nn_data_is_exposed():
    assert nn.data.DataLoader is DataLoader and nn.data.make_moons is make_moons
