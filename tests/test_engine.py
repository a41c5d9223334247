"""The backward engine's semantics: accumulation, retain_graph, create_graph and autograd.grad,
grad modes, detach, deep and reused graphs, in-place rules, user-defined Functions, gradcheck."""
import contextlib
import gc
import math
import threading
import weakref

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Function


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# ------------------------------------------------------------------ accumulation
def test_gradients_accumulate_across_backward_calls_until_zeroed():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0, 6.0])
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [5.0, 7.0, 9.0])
    x.grad.zero_()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0, 3.0])
    x.grad = None
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])


def test_leaf_grad_has_leafs_shape_and_dtype_and_owns_its_memory():
    x32 = ag.tensor([1.0, 2.0], requires_grad=True)
    y32 = ag.tensor([[3.0], [4.0]], requires_grad=True)
    z = x32 + y32  # broadcast (2, 2)
    z.backward(ag.ones(2, 2))
    assert x32.grad.shape == (2,) and y32.grad.shape == (2, 1)
    assert x32.grad.dtype == np.float32 and not x32.grad.requires_grad
    np.testing.assert_array_equal(x32.grad.numpy(), [2.0, 2.0])
    # one op handing the same gradient to two leaves must not make their .grad share memory
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a + b).sum().backward()
    a.grad.add_(10.0)
    np.testing.assert_array_equal(b.grad.numpy(), [1.0, 1.0])
    seed = ag.tensor(np.array([1.0, 1.0]))
    c = leaf([0.0, 0.0])
    (c * 1).backward(seed)
    c.grad.mul_(5)
    np.testing.assert_array_equal(seed.numpy(), [1.0, 1.0])


def test_non_leaf_grad_is_none_unless_retained():
    x = leaf([1.0, 2.0])
    hidden = x * 2
    kept = x * 3
    kept.retain_grad()
    assert kept.retains_grad and not hidden.retains_grad
    (hidden * kept).sum().backward()
    assert hidden.grad is None
    np.testing.assert_array_equal(kept.grad.numpy(), (x * 2).detach().numpy())
    np.testing.assert_array_equal(x.grad.numpy(), [12 * 1.0, 12 * 2.0])  # d(6 x^2)/dx


def test_backward_on_a_scalar_seeds_one_and_gradient_argument_weights_outputs():
    x = leaf([1.0, 2.0, 3.0])
    y = x * x
    y.backward(gradient=ag.tensor(np.array([1.0, 0.5, -1.0])))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, -6.0])
    z = leaf(2.0)
    (z ** 3).backward()
    assert z.grad.item() == 12.0


def test_backward_of_a_leaf_and_of_several_outputs():
    x = leaf(2.0)
    x.backward()
    assert x.grad.item() == 1.0
    a = leaf([1.0, 2.0])
    ag.backward([a * 2, (a * a).sum()], [ag.ones(2, dtype=ag.float64), None])
    np.testing.assert_array_equal(a.grad.numpy(), [4.0, 6.0])  # 2 + 2a
    b = leaf([1.0, 2.0])
    y = b * 2
    ag.backward([y, y], [ag.ones(2, dtype=ag.float64), ag.ones(2, dtype=ag.float64)])
    np.testing.assert_array_equal(b.grad.numpy(), [4.0, 4.0])
    c = leaf([1.0, 2.0])
    (c * 2).backward([1, 1])  # a gradient given as a list
    np.testing.assert_array_equal(c.grad.numpy(), [2.0, 2.0])


def test_retained_non_leaf_grad_accumulates_too():
    x = leaf([1.0, 2.0])
    h = x * 3
    h.retain_grad()
    (h * h).sum().backward(retain_graph=True)
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [12.0, 24.0])  # 2 * 2h, h = [3, 6]
    np.testing.assert_array_equal(x.grad.numpy(), [36.0, 72.0])


def test_unused_leaf_keeps_grad_none():
    used, unused = leaf([1.0]), leaf([1.0])
    (used * 2).sum().backward()
    assert unused.grad is None


# ------------------------------------------------------------------ retain_graph
def test_second_backward_without_retain_graph_raises_clear_error():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_a_second_backward_that_accumulates():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    np.testing.assert_allclose(first, np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0])))
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_autograd_grad_frees_the_graph_too():
    x = leaf([1.0])
    y = (x.sin() * 2).sum()
    ag.grad(y, x)
    with pytest.raises(RuntimeError, match="second time"):
        ag.grad(y, x)


def test_saved_tensors_are_released_after_backward_unless_retained():
    x = leaf([1.0, 2.0])
    y = x.exp()
    z = (y * y).sum()
    z.backward(retain_graph=True)
    assert len(y.grad_fn.saved_tensors) == 1
    z.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.grad_fn.saved_tensors


def test_graph_is_freed_by_reference_counting():
    # no reference cycles between nodes and results: dropping the output frees the whole graph at once
    gc.disable()
    try:
        x = leaf([1.0, 2.0])
        y = x.exp()
        h = y.sigmoid()
        z = (h * y / y).sum() + ag.log_softmax(h, 0).sum() + h.max(0).values + h[[0, 0]].sum() + ag.std(h)
        refs = [weakref.ref(t) for t in (y, h, z)] + [weakref.ref(z.grad_fn)]
        z.backward()
        del y, h, z
        assert all(r() is None for r in refs)
    finally:
        gc.enable()


# ------------------------------------------------------------------ autograd.grad, create_graph
def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    x, w = leaf([1.0, 2.0]), leaf([3.0, -1.0])
    y = (x * w).sum()
    gx, gw = ag.grad(y, [x, w])
    np.testing.assert_array_equal(gx.numpy(), [3.0, -1.0])
    np.testing.assert_array_equal(gw.numpy(), [1.0, 2.0])
    assert x.grad is None and w.grad is None
    (only,) = ag.grad((x * x).sum(), x)
    np.testing.assert_array_equal(only.numpy(), [2.0, 4.0])


def test_grad_of_an_intermediate_tensor():
    x = leaf([1.0, 2.0])
    h = x * 3
    y = (h * h).sum()
    (gh,) = ag.grad(y, h)
    np.testing.assert_array_equal(gh.numpy(), [6.0, 12.0])


def test_grad_outputs_give_a_vector_jacobian_product():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    w = ag.tensor(np.array([[0.5, -1.0], [2.0, 1.0]]))
    y = x @ w  # dy/dx contracted with v: v @ w.T
    v = np.array([[1.0, 0.0], [-2.0, 3.0]])
    (g,) = ag.grad(y, x, grad_outputs=ag.tensor(v))
    np.testing.assert_allclose(g.numpy(), v @ w.numpy().T)
    # several outputs, each with its own grad_output: the contributions add up
    a, b = x.sum(dim=0), (x * x).sum(dim=1)
    (g,) = ag.grad([a, b], [x], grad_outputs=[ag.tensor(np.array([1.0, 2.0])), ag.tensor(np.array([1.0, -1.0]))])
    np.testing.assert_allclose(g.numpy(), np.array([[1, 2], [1, 2]]) + 2 * x.detach().numpy() * [[1], [-1]])


def test_allow_unused():
    x, unused = leaf([1.0]), leaf([2.0])
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="allow_unused"):
        ag.grad(y, [x, unused], retain_graph=True)
    gx, gu = ag.grad(y, [x, unused], allow_unused=True)
    np.testing.assert_array_equal(gx.numpy(), [2.0])
    assert gu is None


def second_derivative(fn, x0):
    x = leaf(x0)
    (g,) = ag.grad(fn(x), x, create_graph=True)
    assert g.requires_grad and g.grad_fn is not None
    (h,) = ag.grad(g, x)
    return g.detach().numpy(), h.numpy()


@pytest.mark.parametrize("name,fn,first,second", [
    ("tanh", ag.tanh, lambda x: 1 - np.tanh(x) ** 2, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    ("sigmoid", ag.sigmoid,
     lambda x: 1 / (1 + np.exp(-x)) * (1 - 1 / (1 + np.exp(-x))),
     lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    ("exp*sin", lambda x: ag.exp(x) * ag.sin(x),
     lambda x: np.exp(x) * (np.sin(x) + np.cos(x)), lambda x: 2 * np.exp(x) * np.cos(x)),
])
@pytest.mark.parametrize("x0", [-1.3, 0.0, 0.4, 2.0])
def test_second_derivatives_match_closed_forms(name, fn, first, second, x0):
    g, h = second_derivative(fn, x0)
    np.testing.assert_allclose(g, first(x0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(h, second(x0), rtol=1e-12, atol=1e-15)


def test_third_derivative_of_exp_sin_and_backward_with_create_graph():
    x = leaf(0.7)
    y = ag.exp(x) * ag.sin(x)
    (g,) = ag.grad(y, x, create_graph=True)
    (h,) = ag.grad(g, x, create_graph=True)
    (t,) = ag.grad(h, x)
    # (e^x sin x)''' = 2 e^x (cos x - sin x)
    np.testing.assert_allclose(t.item(), 2 * math.exp(0.7) * (math.cos(0.7) - math.sin(0.7)), rtol=1e-12)
    z = leaf(0.3)
    (z ** 3).backward(create_graph=True)
    assert z.grad.requires_grad and z.grad.grad_fn is not None
    grad_norm = z.grad * z.grad  # the gradient of a gradient norm: d/dz (3 z^2)^2 = 36 z^3
    (gg,) = ag.grad(grad_norm, z)
    np.testing.assert_allclose(gg.item(), 36 * 0.3**3, rtol=1e-12)


def test_create_graph_backward_accumulates_differentiable_grads():
    c = leaf([1.0, 2.0])
    (c * c).sum().backward(create_graph=True)
    (c * c).sum().backward(create_graph=True)
    np.testing.assert_array_equal(c.grad.detach().numpy(), [4.0, 8.0])
    (h,) = ag.grad(c.grad.sum(), c)  # d/dc of sum(4c)
    np.testing.assert_array_equal(h.numpy(), [4.0, 4.0])


def mlp_loss(w, x, y):
    """A 3-4-1 tanh MLP whose 21 parameters are the entries of the vector w."""
    w1, b1 = w[:12].reshape(4, 3), w[12:16]
    w2, b2 = w[16:20].reshape(1, 4), w[20:]
    hidden = ag.tanh(x @ w1.T + b1)
    return ((hidden @ w2.T + b2 - y) ** 2).mean()


def test_hessian_vector_product_of_an_mlp_loss_matches_finite_differences():
    rng = np.random.default_rng(0)
    x, y = ag.tensor(rng.normal(size=(5, 3))), ag.tensor(rng.normal(size=(5, 1)))
    w0, v = rng.normal(size=21), rng.normal(size=21)
    w = leaf(w0)
    (g,) = ag.grad(mlp_loss(w, x, y), w, create_graph=True)
    (hvp,) = ag.grad((g * ag.tensor(v)).sum(), w)

    def gradient_at(point):
        p = leaf(point)
        return ag.grad(mlp_loss(p, x, y), p)[0].numpy()

    eps = 1e-5
    numerical = (gradient_at(w0 + eps * v) - gradient_at(w0 - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hvp.numpy(), numerical, rtol=1e-6, atol=1e-8)
    assert np.abs(hvp.numpy()).max() > 1e-3  # a real curvature, not zeros matching zeros


def test_gradient_of_gradient_passes_gradcheck():
    w = ag.tensor(np.random.default_rng(1).normal(size=(2, 3)))
    b = leaf([0.3, -0.2])

    def grad_of_loss(p):
        (g,) = ag.grad((ag.sigmoid(w.T @ p) ** 2).sum(), p, create_graph=True)
        return g

    assert ag.gradcheck(grad_of_loss, [b])


# ------------------------------------------------------------------ grad mode
def test_no_grad_context_and_decorator():
    x = leaf([1.0])
    with ag.no_grad():
        y = x * 2
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf

    @ag.no_grad()
    def double(t):
        return t * 2

    z = double(x)
    assert not z.requires_grad and ag.is_grad_enabled()
    np.testing.assert_array_equal(z.numpy(), [2.0])


def test_enable_grad_inside_no_grad():
    x = leaf([1.0])
    with ag.no_grad():
        with ag.enable_grad():
            y = x * 2
        z = x * 2

        @ag.enable_grad()
        def triple(t):
            return t * 3

        w = triple(x)
    assert y.requires_grad and not z.requires_grad and w.requires_grad


def test_set_grad_enabled_as_call_context_and_decorator():
    x = leaf([1.0])
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(True):
        assert (x * 2).requires_grad
    ag.set_grad_enabled(False)
    try:
        assert not ag.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        ag.set_grad_enabled(True)
    assert ag.is_grad_enabled()

    @ag.set_grad_enabled(False)
    def no_graph(t):
        return t * 2

    assert ag.is_grad_enabled()  # decorating does not switch the mode
    assert not no_graph(x).requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with ag.no_grad():
            raise ValueError("boom")
    assert ag.is_grad_enabled()


@contextlib.contextmanager
def another_thread_inside(modes, look):
    """Run ``look()`` in another thread inside the context ``modes()``, and hold that thread there while
    the with-block runs in this one. Yields a dict that gets ``look()``'s result as "inside"."""
    entered, release, seen = threading.Event(), threading.Event(), {}

    def hold():
        with modes():
            seen["inside"] = look()
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    assert entered.wait(5)
    try:
        yield seen
    finally:
        release.set()
        worker.join(5)


def test_grad_mode_is_thread_local():
    x = leaf([1.0])
    with another_thread_inside(ag.no_grad, lambda: (x * 2).requires_grad) as seen:
        assert ag.is_grad_enabled()
        assert (x * 2).requires_grad  # this thread does not see the other's no_grad
    assert seen["inside"] is False

    def report():
        seen["fresh thread"] = ag.is_grad_enabled()

    with ag.no_grad():
        other = threading.Thread(target=report)
        other.start()
        other.join(5)
    assert seen["fresh thread"] is True  # a new thread starts with grad enabled


def test_thread_mode_tracks_changed_threads_and_reads_right_in_every_thread():
    """ThreadMode (grad and anomaly mode) lets ops skip the thread-local read while no thread has changed
    its mode; whatever ``changed`` holds, each thread must read its own mode."""
    from autograd.thread_mode import ThreadMode

    mode = ThreadMode(True)
    fast = lambda: not mode.changed or mode.local.value  # noqa: E731  (the read apply() does)
    assert not mode.changed and mode.get() and fast()
    assert mode.set(False) is True and len(mode.changed) == 1 and not mode.get() and not fast()
    assert mode.set(False) is False and len(mode.changed) == 1  # no change
    seen = {}

    def other_thread():
        seen["fresh"] = (mode.get(), fast())  # its own default, though another thread changed its mode
        mode.set(False)  # ends with its mode changed: its ident stays in changed
        seen["changed"] = len(mode.changed)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join(5)
    assert seen == {"fresh": (True, True), "changed": 2}
    mode.set(True)
    assert len(mode.changed) == 1 and mode.get() and fast()  # still right, by the thread-local read


def test_grad_and_anomaly_mode_of_one_thread_leave_another_recording_unchecked():
    x = leaf([1.0])

    @contextlib.contextmanager
    def both_modes():
        with ag.no_grad(), ag.detect_anomaly():
            yield

    look = lambda: (ag.is_grad_enabled(), ag.is_anomaly_enabled(), (x * 2).requires_grad)  # noqa: E731
    with another_thread_inside(both_modes, look) as seen:
        assert ag.is_grad_enabled() and not ag.is_anomaly_enabled()
        y = x * np.inf  # recorded here, and no anomaly error: that mode is the other thread's
        assert y.requires_grad and y.grad_fn is not None
    assert seen["inside"] == (False, True, False)
    assert ag.is_grad_enabled() and not ag.is_anomaly_enabled()


# ------------------------------------------------------------------ detach and .data
def test_detach_shares_memory_and_has_no_grad():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    assert np.shares_memory(d.numpy(), y.detach().numpy())
    d.numpy()[0] = 100.0  # the storage is shared, like PyTorch
    assert y.detach().numpy()[0] == 100.0
    (y.detach() * x).sum().backward()  # the detached factor is a constant
    np.testing.assert_array_equal(x.grad.numpy(), [100.0, 4.0])


def test_data_shares_memory_and_is_not_recorded():
    x = leaf([1.0, 2.0])
    data = x.data
    assert not data.requires_grad and np.shares_memory(data.numpy(), x.detach().numpy())
    data.mul_(3)  # allowed in grad mode: data does not require grad
    np.testing.assert_array_equal(x.detach().numpy(), [3.0, 6.0])
    assert x.requires_grad and x.is_leaf
    x.data = ag.tensor(np.array([5.0, 7.0]))
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 14.0])


def test_detach_cuts_the_graph():
    x = leaf([2.0])
    y = (x * x).detach() * x + x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [5.0])  # x^2 treated as the constant 4


# ------------------------------------------------------------------ graph shapes
def test_deep_chain_of_100000_ops_backpropagates():
    x = leaf([1.0])
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.00001**100_000], rtol=1e-9)


def test_diamond_graph_sums_both_paths():
    # micrograd #64: a node used by two consumers must receive the sum of both gradients
    x = leaf(3.0)
    a = x * 2
    b = a * 3
    c = a * 4
    (b + c).backward()
    assert x.grad.item() == 14.0
    y = leaf(3.0)
    z = y + y
    z.backward()
    assert y.grad.item() == 2.0
    w = leaf(2.0)
    (w * w * w).backward()
    assert w.grad.item() == 12.0


def test_node_reused_many_times():
    x = leaf([1.0, 2.0])
    h = x.exp()
    total = h
    for _ in range(199):
        total = total + h
    total.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 200 * np.exp([1.0, 2.0]), rtol=1e-12)
    w = leaf(0.5)
    out = sum((w * k for k in range(1, 51)), start=ag.tensor(0.0, dtype=ag.float64))
    out.backward()
    assert w.grad.item() == sum(range(1, 51))


def test_wide_dag_with_shared_subexpressions():
    x = leaf([0.5, -0.3])
    a = ag.tanh(x)
    b = a * a
    c = ag.sin(a) + b
    d = (c * b + a).sum()
    d.backward()
    xa = np.array([0.5, -0.3])
    ta = np.tanh(xa)
    # d = sum((sin a + a^2) a^2 + a); dd/da = cos(a) a^2 + 2a sin a + 4a^3 + 1
    expected = (np.cos(ta) * ta**2 + 2 * ta * np.sin(ta) + 4 * ta**3 + 1) * (1 - ta**2)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)


RANDOM_DAG_OPS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "div": lambda a, b: a / (b * b + 1),
    "exp": lambda a, b: (a * 0.1).exp(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "sin": lambda a, b: a.sin(),
    "square": lambda a, b: a * a * 0.5,
    "sum times": lambda a, b: a.sum() * b,
    "cat of slices": lambda a, b: ag.cat([a[:2], b[2:]]),
}


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(program=st.lists(st.tuples(st.sampled_from(sorted(RANDOM_DAG_OPS)), st.integers(0, 10**6), st.integers(0, 10**6)),
                        min_size=1, max_size=20),
       outputs=st.lists(st.integers(0, 10**6), min_size=1, max_size=3))
def test_random_dags_with_reused_nodes_pass_gradcheck(program, outputs):
    # every step may reuse any earlier node (diamonds, fan-out, several outputs): one walk must sum it all
    def build(*leaves):
        pool = list(leaves)
        for op, i, j in program:
            pool.append(RANDOM_DAG_OPS[op](pool[i % len(pool)], pool[j % len(pool)]))
        return sum(((pool[k % len(pool)] ** 2).sum() for k in outputs), start=ag.zeros((), dtype=ag.float64))

    rng = np.random.default_rng(len(program))
    assert ag.gradcheck(build, [leaf(rng.uniform(0.5, 1.5, 3)) for _ in range(3)])


def test_a_graph_grown_after_a_retained_backward_backpropagates_through_old_and_new_nodes():
    # the engine orders nodes by when they were made: nodes made after a backward come first
    x = leaf([0.3, -0.7])
    y = x.sin()
    z = (y * 3).sum()
    z.backward(retain_graph=True)
    w = (y * z + y.exp()).sum()
    x.grad = None
    w.backward()
    xs = np.array([0.3, -0.7])
    zs = 3 * np.sin(xs).sum()
    # w = sum(y) z + sum(exp y), z = 3 sum(y): dw/dy_i = z + 3 sum(y) + exp(y_i)
    expected = (zs + 3 * np.sin(xs).sum() + np.exp(np.sin(xs))) * np.cos(xs)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)


def test_engine_reaches_every_tensor_after_all_its_consumers_in_backward_order():
    from autograd import engine

    rng = np.random.default_rng(5)
    for trial in range(20):
        pool = [leaf(rng.uniform(0.5, 1.5, 3)) for _ in range(3)]
        for _ in range(15):
            op = sorted(RANDOM_DAG_OPS)[rng.integers(len(RANDOM_DAG_OPS))]
            i, j = rng.integers(len(pool), size=2)
            pool.append(RANDOM_DAG_OPS[op](pool[i], pool[j]))
        root = sum((pool[k] ** 2).sum() for k in rng.integers(3, len(pool), size=2))
        steps = list(engine.backward_steps([root], retain_graph=True))
        assert [id(t) for t, _, _ in steps] == [id(t) for t in engine.backward_order([root])]
        position = {id(t): k for k, (t, _, _) in enumerate(steps)}
        assert len(position) == len(steps)  # each tensor reached once
        for tensor, _, contributions in steps:
            for consumed, _ in contributions:
                assert position[id(consumed)] > position[id(tensor)]


# ------------------------------------------------------------------ in place
INPLACE = {
    "+=": (lambda t: t.__iadd__(2.0), [3.0, 4.0]),
    "-=": (lambda t: t.__isub__(2.0), [-1.0, 0.0]),
    "*=": (lambda t: t.__imul__(3.0), [3.0, 6.0]),
    "/=": (lambda t: t.__itruediv__(4.0), [0.25, 0.5]),
    "zero_": (lambda t: t.zero_(), [0.0, 0.0]),
    "fill_": (lambda t: t.fill_(7.0), [7.0, 7.0]),
    "copy_": (lambda t: t.copy_(ag.tensor(np.array([9.0, 8.0]))), [9.0, 8.0]),
    "mul_": (lambda t: t.mul_(ag.tensor(np.array([2.0, -1.0]))), [2.0, -2.0]),
    "add_": (lambda t: t.add_(ag.tensor(np.array([1.0, 1.0])), alpha=-0.5), [0.5, 1.5]),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_ops_allowed_under_no_grad(name):
    op, expected = INPLACE[name]
    x = leaf([1.0, 2.0])
    before = x.detach().numpy()
    with ag.no_grad():
        result = op(x)
    assert result is x and x.requires_grad and x.is_leaf
    np.testing.assert_array_equal(x.detach().numpy(), expected)
    assert np.shares_memory(before, x.detach().numpy())  # updated in place, not rebound


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_ops_on_a_leaf_requiring_grad_raise_in_grad_mode(name):
    op, _ = INPLACE[name]
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place operation"):
        op(x)
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 2.0])


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_ops_on_plain_tensors_work_in_grad_mode(name):
    op, expected = INPLACE[name]
    x = ag.tensor(np.array([1.0, 2.0]))
    op(x)
    np.testing.assert_array_equal(x.numpy(), expected)


def test_python_augmented_assignment_keeps_the_same_tensor():
    x = leaf([1.0, 2.0])
    original = x
    with ag.no_grad():
        x -= 0.5 * ag.tensor(np.array([2.0, 2.0]))
    assert x is original
    np.testing.assert_array_equal(x.detach().numpy(), [0.0, 1.0])


def test_inplace_on_a_non_leaf_in_the_graph_raises_instead_of_a_silent_wrong_gradient():
    x = leaf([1.0, 2.0])
    y = x.exp()
    with pytest.raises(RuntimeError, match="in-place"):
        y.mul_(2)


def test_sgd_style_update_loop():
    w = leaf([1.0, -2.0])
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        with ag.no_grad():
            w -= 0.25 * w.grad
        w.grad.zero_()
    np.testing.assert_allclose(w.detach().numpy(), np.array([1.0, -2.0]) * 0.5**3)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64, np.bool_])
def test_number_times_tensor_outside_a_graph_is_plain_and_keeps_pytorchs_dtype(dtype):
    """``lr * p.grad`` under no_grad skips the node (a shortcut in ``mul``): same values and dtypes as the
    recorded product, no graph, a fresh array; an int or bool tensor times a float is float32, like PyTorch."""
    array = np.array([[1, 0], [3, 1]]).astype(dtype)
    expected_dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float32)
    t = ag.tensor(array)
    for product in (0.25 * t, t * 0.25, ag.mul(t, 0.25)):
        assert product.dtype == expected_dtype and product.grad_fn is None and not product.requires_grad
        np.testing.assert_array_equal(product.numpy(), (array * 0.25).astype(expected_dtype))
        assert not np.shares_memory(product.numpy(), array)
    if expected_dtype == array.dtype:
        w = ag.tensor(array, requires_grad=True)
        with ag.no_grad():
            assert (0.5 * w).grad_fn is None
        recorded = 0.5 * w  # grad mode on: a node, as ever
        assert recorded.grad_fn is not None
        recorded.sum().backward()
        np.testing.assert_array_equal(w.grad.numpy(), np.full(array.shape, 0.5, dtype))


def test_number_times_tensor_in_anomaly_mode_is_still_checked():
    with ag.detect_anomaly(), ag.no_grad(), pytest.raises(RuntimeError, match="(?i)nan|inf"):
        ag.tensor([1e38, 1.0]) * 1e10


# ------------------------------------------------------------------ user-defined Function
class Cube(Function):
    """x^3 with d/dx = 3 x^2, written by a user."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return x.detach().numpy() ** 3 * scale

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x * ctx.scale, None


def test_user_defined_function():
    x = leaf([1.0, -2.0])
    y = Cube.apply(x, 2.0)
    assert isinstance(y, ag.Tensor) and y.requires_grad
    assert repr(y.grad_fn) == "<CubeBackward>" and y.grad_fn.name() == "CubeBackward"
    np.testing.assert_array_equal(y.detach().numpy(), [2.0, -16.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 24.0])
    assert ag.gradcheck(lambda t: Cube.apply(t, 0.5), [leaf([0.3, 1.2])])
    (g,) = ag.grad(Cube.apply(leaf(2.0), 1.0), [x], allow_unused=True)  # unrelated input
    assert g is None


def test_user_function_second_derivative_through_tensor_ops():
    x = leaf(1.5)
    (g,) = ag.grad(Cube.apply(x, 1.0), x, create_graph=True)
    (h,) = ag.grad(g, x)
    assert h.item() == pytest.approx(6 * 1.5)


def test_a_bad_gradient_from_a_user_function_names_the_op_and_the_input():
    class Pair(Function):
        """a + b whose backward gets b's gradient wrong: of the wrong shape, or NaN."""

        @staticmethod
        def forward(ctx, a, b, bad):
            ctx.bad = bad
            return a.detach().numpy() + b.detach().numpy()

        @staticmethod
        def backward(ctx, grad):
            wrong = grad.sum() if ctx.bad == "shape" else grad * float("nan")
            return grad, wrong, None

    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    with pytest.raises(RuntimeError, match=r"PairBackward: backward returned a gradient of shape \(\) for input 1, whose shape is \(2,\)"):
        Pair.apply(a, b, "shape").sum().backward()
    with ag.detect_anomaly(), pytest.raises(RuntimeError, match=r"'PairBackward' returned nan values in its 1th output"):
        Pair.apply(a, b, "nan").sum().backward()
    with pytest.raises(RuntimeError, match="for input 1,"):  # the same tensor twice: the position at fault
        Pair.apply(b, b, "shape").sum().backward()
    with ag.detect_anomaly(), pytest.raises(RuntimeError, match="its 1th output"):
        Pair.apply(b, b, "nan").sum().backward()


def test_a_user_function_returning_too_few_gradients_raises_naming_the_counts():
    class Short(Function):
        """a * b whose backward forgets b's gradient."""

        @staticmethod
        def forward(ctx, a, b):
            return a.detach().numpy() * b.detach().numpy()

        @staticmethod
        def backward(ctx, grad):
            return grad

    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    message = r"ShortBackward: backward returned 1 gradients, but forward took 2 arguments"
    with pytest.raises(RuntimeError, match=message):
        Short.apply(a, b).sum().backward()
    with pytest.raises(RuntimeError, match=message):
        ag.grad(Short.apply(a, b).sum(), [a, b], create_graph=True)


def test_needs_input_grad_and_no_record_without_grad():
    seen = []

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a.detach().numpy() * b.detach().numpy()

        @staticmethod
        def backward(ctx, grad):
            seen.append(ctx.needs_input_grad)
            a, b = ctx.saved_tensors
            return (grad * b if ctx.needs_input_grad[0] else None, grad * a if ctx.needs_input_grad[1] else None)

    a, b = leaf([2.0]), ag.tensor(np.array([5.0]))
    Mul.apply(a, b).sum().backward()
    assert seen == [(True, False)]
    np.testing.assert_array_equal(a.grad.numpy(), [5.0])
    plain = Mul.apply(ag.tensor(np.array([1.0])), b)
    assert not plain.requires_grad and plain.grad_fn is None
    with ag.no_grad():
        assert Mul.apply(a, b).grad_fn is None


def test_forward_runs_with_grad_mode_off():
    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mode = ag.is_grad_enabled()
            return (x * 2).detach()  # Tensor ops inside forward are not recorded

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    y = Probe.apply(leaf([1.0]))
    assert y.grad_fn.mode is False and y.requires_grad


def test_user_backward_returning_a_wrong_shape_raises_clearly():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x.detach().numpy() * 2

        @staticmethod
        def backward(ctx, grad):
            return ag.ones(3, dtype=ag.float64)

    y = Bad.apply(leaf([1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"BadBackward.*shape \(3,\).*\(2,\)"):
        y.sum().backward()


def test_user_backward_returning_the_wrong_number_of_gradients_raises_clearly():
    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x.detach().numpy() * 2

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(RuntimeError, match="TooManyBackward.*2 gradients.*1"):
        TooMany.apply(leaf([1.0])).sum().backward()


# ------------------------------------------------------------------ gradcheck itself
class WrongSquare(Function):
    """x^2 with a deliberately wrong derivative 3x (the right one is 2x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.detach().numpy() ** 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x


def test_gradcheck_reports_input_index_analytic_and_numerical_values():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(lambda a: WrongSquare.apply(a).sum(), [x])
    message = str(info.value)
    assert "input 0" in message and "(2, 2)" in message and "index (0, 0)" in message
    assert "analytic 3.0" in message and "numerical 2.0" in message
    assert ag.gradcheck(lambda a: WrongSquare.apply(a).sum(), [x], raise_exception=False) is False


def test_gradcheck_names_the_second_input_and_passes_on_correct_ops():
    a, b = leaf([1.0, 2.0]), leaf([0.5])
    assert ag.gradcheck(lambda p, q: (p * q).exp(), [a, b])
    with pytest.raises(ag.GradcheckError, match=r"input 1 \(shape \(1,\)\) at index \(0,\)"):
        ag.gradcheck(lambda p, q: p + WrongSquare.apply(q), [a, b])


def test_gradcheck_on_a_non_contiguous_input():
    base = np.arange(6.0).reshape(2, 3)
    x = ag.from_numpy(base.T)  # a transposed view: reshape(-1) of it would be a copy
    x.requires_grad = True
    assert ag.gradcheck(lambda t: (t * t).sum(dim=0), [x])
    np.testing.assert_array_equal(base, np.arange(6.0).reshape(2, 3))  # restored after perturbing


def test_gradcheck_of_several_outputs_including_integer_ones():
    x = leaf([[0.3, 1.7, -0.4], [2.2, 0.1, 0.9]])
    assert ag.gradcheck(lambda t: ag.max(t, dim=1), [x])  # (values, int64 indices)
    assert ag.gradcheck(lambda t: (t.exp(), t.sum(0), t[0, 1]), [x])
    with pytest.raises(ag.GradcheckError, match="output 1"):
        ag.gradcheck(lambda t: (t.exp(), WrongSquare.apply(t)), [x])


def test_gradcheck_requires_float64_inputs():
    with pytest.raises(ValueError, match="float64"):
        ag.gradcheck(lambda t: t * 2, [ag.tensor([1.0], requires_grad=True)])


def test_gradcheck_catches_a_wrong_broadcast_reduction():
    class ForgetsToSum(Function):
        """a + b for b of shape (1,), with a backward that keeps only one element's gradient for b."""

        @staticmethod
        def forward(ctx, a, b):
            return a.detach().numpy() + b.detach().numpy()

        @staticmethod
        def backward(ctx, grad):
            return grad, grad[:1]

    with pytest.raises(ag.GradcheckError, match="input 1"):
        ag.gradcheck(lambda a, b: ForgetsToSum.apply(a, b).sum(), [leaf([1.0, 2.0, 3.0]), leaf([0.0])])


# ------------------------------------------------------------------ metadata rules
def test_grad_fn_names():
    x = leaf([1.0, 2.0])
    assert repr((x * 2).grad_fn) == "<MulBackward>"
    assert repr((x + x).grad_fn) == "<AddBackward>"
    assert repr(x.sum().grad_fn) == "<SumBackward>"
    assert repr(x.exp().grad_fn) == "<ExpBackward>"
    assert repr((x @ x).grad_fn) == "<MatMulBackward>"
    assert (x * 2).grad_fn.name() == "MulBackward"
    assert "grad_fn=<MulBackward>" in repr(x * 2)


def test_graph_node_exposes_inputs_and_parents():
    x, c = leaf([1.0]), ag.tensor(np.array([2.0]))
    y = x * c
    assert y.grad_fn.inputs[0] is x and y.grad_fn.inputs[1] is c
    assert y.grad_fn.parents == (x,)
    assert y.grad_fn.needs_input_grad == (True, False)


def test_is_leaf_and_requires_grad_rules():
    x = leaf([1.0])
    c = ag.tensor([1.0])
    assert x.is_leaf and x.grad_fn is None and c.is_leaf and not c.requires_grad
    y = x * c
    assert y.requires_grad and not y.is_leaf
    z = c * 2
    assert not z.requires_grad and z.is_leaf and z.grad_fn is None
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad = False
    c.requires_grad_()
    assert c.requires_grad and (c * 2).requires_grad
    c.requires_grad = False
    assert not (c * 2).requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        (c * 2).sum().backward()
    assert not (x > 0).requires_grad and not x.argmax().requires_grad


def test_retain_grad_on_a_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        ag.tensor([1.0]).retain_grad()


# ------------------------------------------------------------------ gradients handed out, saved values modified in place
def test_grad_results_are_writable_and_independent():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    ga, gb = ag.grad((a + b).sum(), [a, b])
    ga.add_(1.0)
    np.testing.assert_array_equal(ga.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(gb.numpy(), [1.0, 1.0])


def test_modifying_a_saved_tensor_in_place_is_detected():
    x, w = leaf([1.0, 2.0]), ag.tensor(np.array([1.0, 2.0]))
    y = x * w
    w.mul_(10)  # allowed: w does not require grad; but Mul saved it for backward
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
