"""Backward-mode cases for the shape ops, tensor methods and draws added with PyTorch's names (movedim, tile,
unflatten, the stacks, meshgrid, diff, narrow, ``*_as``, contiguous, bernoulli, normal, ...).

Loaded by tests/test_backward_modes.py, which calls ``register(case, Maker)``: each case builds leaves with
the Maker ``m`` and returns (the inputs to differentiate, the output or a tuple of outputs).
"""
import autograd


def register(case, Maker):
    # ------------------------------------------------------------------ permutations
    @case("movedim")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], autograd.movedim(x, 0, 2)

    @case("movedim (tuples, negative dims)")
    def _(m):
        x = m.leaf(2, 3, 4, 1)
        return [x], x.movedim((0, -1), (-2, 0))

    @case("movedim 0-d")
    def _(m):
        x = m.leaf()
        return [x], autograd.movedim(x, 0, -1)

    @case("moveaxis")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], x.moveaxis(-1, 0)

    @case("swapaxes")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], autograd.swapaxes(x, 0, 2)

    @case("swapdims")
    def _(m):
        x = m.leaf(3, 1, 2)
        return [x], x.swapdims(-1, 1)

    # ------------------------------------------------------------------ tiles and reshapes
    @case("tile")
    def _(m):
        x = m.leaf(2, 3)
        return [x], x.tile(2, 1, 3)

    @case("tile (fewer dims than the tensor)")
    def _(m):
        x = m.leaf(2, 1, 3)
        return [x], autograd.tile(x, (2,))

    @case("tile 0-d")
    def _(m):
        x = m.leaf()
        return [x], x.tile(3)

    @case("unflatten")
    def _(m):
        x = m.leaf(2, 12)
        return [x], x.unflatten(1, (3, -1))

    @case("unflatten (size-1 dims)")
    def _(m):
        x = m.leaf(4, 1)
        return [x], autograd.unflatten(x, -1, (1, 1))

    @case("ravel of a transpose")
    def _(m):
        x = m.leaf(3, 4)
        return [x], x.T.ravel()

    @case("ravel 0-d")
    def _(m):
        x = m.leaf()
        return [x], autograd.ravel(x)

    @case("squeeze several dims")
    def _(m):
        x = m.leaf(1, 3, 1, 2)
        return [x], x.squeeze(0, 2)

    @case("view_as")
    def _(m):
        x = m.leaf(2, 3)
        return [x], x.view_as(autograd.zeros(3, 2))

    @case("reshape_as")
    def _(m):
        x = m.leaf(2, 3)
        return [x], x.reshape_as(autograd.zeros(6, 1))

    @case("type_as (other dtype)")
    def _(m):
        x = m.leaf(2, 3)
        return [x], x.type_as(autograd.zeros(1, dtype=m.other))

    @case("contiguous of a transpose")
    def _(m):
        x = m.leaf(3, 4)
        return [x], x.T.contiguous()

    @case("clone(memory_format=contiguous_format)")
    def _(m):
        x = m.leaf(3, 2)
        return [x], x.T.clone(memory_format=autograd.contiguous_format)

    @case("to(copy=True)")
    def _(m):
        x = m.leaf(2, 3)
        return [x], x.to(copy=True)

    # ------------------------------------------------------------------ stacks
    @case("hstack 1-d")
    def _(m):
        a, b = m.leaf(3), m.leaf(2)
        return [a, b], autograd.hstack([a, b])

    @case("hstack 2-d")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(2, 1)
        return [a, b], autograd.hstack((a, b))

    @case("vstack (1-d rows and a matrix)")
    def _(m):
        a, b = m.leaf(3), m.leaf(2, 3)
        return [a, b], autograd.vstack([a, b])

    @case("row_stack 0-d")
    def _(m):
        a, b = m.leaf(), m.leaf()
        return [a, b], autograd.row_stack([a, b])

    @case("dstack")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(2, 3, 2)
        return [a, b], autograd.dstack([a, b])

    @case("column_stack")
    def _(m):
        a, b, c = m.leaf(3), m.leaf(3, 2), m.leaf(1).expand(3)
        return [a, b], autograd.column_stack([a, b, c])

    # One tensor in the list: still a list of one (once split into rows, or refused)
    @case("hstack of one 2-d tensor")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.hstack([x])

    @case("hstack of one 0-d tensor")
    def _(m):
        x = m.leaf()
        return [x], autograd.hstack((x,))

    @case("vstack of one 1-d tensor")
    def _(m):
        x = m.leaf(3)
        return [x], autograd.vstack([x])

    @case("row_stack of one 1-d tensor")
    def _(m):
        x = m.leaf(4)
        return [x], autograd.row_stack([x])

    @case("dstack of one 2-d tensor")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.dstack([x])

    @case("atleast_2d of a one-tensor list (a tuple)")
    def _(m):
        x = m.leaf(3)
        return [x], autograd.atleast_2d([x])

    @case("atleast_1d 0-d")
    def _(m):
        x = m.leaf()
        return [x], autograd.atleast_1d(x)

    @case("atleast_2d (several)")
    def _(m):
        a, b = m.leaf(), m.leaf(3)
        return [a, b], autograd.atleast_2d(a, b)

    @case("atleast_3d (several)")
    def _(m):
        a, b, c = m.leaf(4), m.leaf(2, 3), m.leaf()
        return [a, b, c], autograd.atleast_3d([a, b, c])

    @case("meshgrid ij")
    def _(m):
        a, b, c = m.leaf(2), m.leaf(3), m.leaf()
        return [a, b, c], autograd.meshgrid(a, b, c, indexing="ij")

    @case("meshgrid xy")
    def _(m):
        a, b = m.leaf(2), m.leaf(3)
        return [a, b], autograd.meshgrid([a, b], indexing="xy")

    # ------------------------------------------------------------------ differences and slices
    @case("diff")
    def _(m):
        x = m.leaf(2, 5)
        return [x], autograd.diff(x)

    @case("diff n=2 dim=0")
    def _(m):
        x = m.leaf(4, 3)
        return [x], x.diff(n=2, dim=0)

    @case("diff prepend append")
    def _(m):
        x, pre, post = m.leaf(2, 4), m.leaf(2, 1), m.leaf(2, 2)
        return [x, pre, post], autograd.diff(x, 3, -1, prepend=pre, append=post)

    @case("diff n=0 (a copy: prepend and append ignored)")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.diff(x, 0, 0, prepend=m.const(1, 3), append=m.const(2, 3))

    @case("narrow")
    def _(m):
        x = m.leaf(3, 5)
        return [x], x.narrow(1, -3, 2)

    @case("narrow_copy")
    def _(m):
        x = m.leaf(4, 2)
        return [x], autograd.narrow_copy(x, 0, 1, 3)

    # ------------------------------------------------------------------ draws: recorded, of gradient zero
    @case("bernoulli (gradient zero)")
    def _(m):
        p = m.leaf(2, 3, domain="unit")
        return [p], autograd.bernoulli(p)

    @case("normal (gradient zero, broadcast, mixed dtypes)")
    def _(m):
        mean, std = m.leaf(2, 1), m.leaf(3, domain="positive", dtype=m.other)
        return [mean, std], autograd.normal(mean, std)
