"""Backward-mode cases for the linear-algebra, reduction and indexing ops added with PyTorch's names (mm, bmm,
mv, addmm, einsum, tensordot, tril, diag, trace, kron, cross; prod, cumprod, std_mean, nansum, median,
logcumsumexp; index_select, masked_select, scatter, scatter_add, index_add, index_copy, index_fill,
take_along_dim, take, select).

Loaded by tests/test_backward_modes.py, which calls ``register(case, Maker)``: each case builds leaves with
the Maker ``m`` and returns (the inputs to differentiate, the output or a tuple of outputs).
"""
import autograd


def register(case, Maker):
    # ------------------------------------------------------------------ products
    @case("mm")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3, 4)
        return [a, b], autograd.mm(a, b)

    @case("mm method, one side constant")
    def _(m):
        a, b = m.leaf(3, 2), m.const(2, 2)
        return [a], a.mm(b)

    @case("bmm")
    def _(m):
        a, b = m.leaf(2, 2, 3), m.leaf(2, 3, 4)
        return [a, b], autograd.bmm(a, b)

    @case("mv")
    def _(m):
        a, v = m.leaf(2, 3), m.leaf(3)
        return [a, v], autograd.mv(a, v)

    @case("addmm (beta, alpha; input broadcast)")
    def _(m):
        i, a, b = m.leaf(4), m.leaf(2, 3), m.leaf(3, 4)
        return [i, a, b], autograd.addmm(i, a, b, beta=0.5, alpha=2.0)

    @case("addmm (defaults, full input)")
    def _(m):
        i, a, b = m.leaf(2, 4), m.leaf(2, 3), m.leaf(3, 4)
        return [i, a, b], i.addmm(a, b)

    @case("addmm beta=0 (input ignored, zero gradient)")
    def _(m):
        i, a, b = m.leaf(1, 4), m.leaf(2, 3), m.leaf(3, 4)
        return [i, a, b], autograd.addmm(i, a, b, beta=0)

    @case("baddbmm")
    def _(m):
        i, a, b = m.leaf(2, 1), m.leaf(3, 2, 3), m.leaf(3, 3, 1)
        return [i, a, b], autograd.baddbmm(i, a, b, beta=2, alpha=-1)

    @case("addmv")
    def _(m):
        i, a, v = m.leaf(1), m.leaf(2, 3), m.leaf(3)
        return [i, a, v], autograd.addmv(i, a, v, alpha=3)

    @case("addr")
    def _(m):
        i, a, b = m.leaf(2, 3), m.leaf(2), m.leaf(3)
        return [i, a, b], autograd.addr(i, a, b, beta=2)

    @case("addr of mixed dtypes (promoted; each gradient in its own dtype)")
    def _(m):
        i, v, w = m.leaf(2, 3), m.leaf(2, dtype=m.other), m.leaf(3)
        return [i, v, w], autograd.addr(i, v, w, beta=0.5, alpha=2.0)

    @case("addmm alpha=0 (product ignored, zero gradients through it)")
    def _(m):
        i, a, b = m.leaf(2, 1), m.leaf(2, 3), m.leaf(3, 4)
        return [i, a, b], autograd.addmm(i, a, b, beta=2.0, alpha=0)

    @case("outer")
    def _(m):
        a, b = m.leaf(2), m.leaf(3)
        return [a, b], autograd.outer(a, b)

    @case("ger")
    def _(m):
        a, b = m.leaf(3), m.leaf(1)
        return [a, b], a.ger(b)

    # ------------------------------------------------------------------ einsum and tensordot
    @case("einsum ij,jk->ik")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3, 4)
        return [a, b], autograd.einsum("ij,jk->ik", a, b)

    @case("einsum ii (trace)")
    def _(m):
        a = m.leaf(3, 3)
        return [a], autograd.einsum("ii", a)

    @case("einsum ii->i (diagonal)")
    def _(m):
        a = m.leaf(3, 3)
        return [a], autograd.einsum("ii->i", a)

    @case("einsum bii,bi->b (batched diagonal with another operand)")
    def _(m):
        a, b = m.leaf(2, 3, 3), m.leaf(2, 3)
        return [a, b], autograd.einsum("bii,bi->b", a, b)

    @case("einsum ...ij,...jk (ellipsis, broadcast batch)")
    def _(m):
        a, b = m.leaf(2, 1, 2, 3), m.leaf(4, 3, 2)
        return [a, b], autograd.einsum("...ij,...jk", a, b)

    @case("einsum ij,ij->ij (size-1 dim broadcast)")
    def _(m):
        a, b = m.leaf(1, 3), m.leaf(2, 3)
        return [a, b], autograd.einsum("ij,ij->ij", a, b)

    @case("einsum ij,k->ik (a letter summed over one operand)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(4)
        return [a, b], autograd.einsum("ij,k->ik", [a, b])

    @case("einsum ij,jk,kl->il (three operands)")
    def _(m):
        a, b, c = m.leaf(2, 3), m.leaf(3, 4), m.leaf(4, 2)
        return [a, b, c], autograd.einsum("ij,jk,kl->il", a, b, c)

    @case("einsum ij->ji (a permutation)")
    def _(m):
        a = m.leaf(2, 3)
        return [a], autograd.einsum("ij->ji", a)

    @case("einsum ->  (0-d)")
    def _(m):
        a, b = m.leaf(), m.leaf(3)
        return [a, b], autograd.einsum(",i->i", a, b)

    @case("einsum of float32 and float64 operands (promoted)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(2, dtype=m.other)
        return [a, b], autograd.einsum("ij,i->ij", a, b)

    @case("einsum with an int operand (promoted to the float one's dtype)")
    def _(m):
        a = m.leaf(2, 3)
        return [a], autograd.einsum("ij,j->ij", a, m.ints(3, 3))

    @case("einsum with a summed letter of size 0")
    def _(m):
        a = m.leaf(0, 3)
        return [a], autograd.einsum("bc->c", a)

    @case("tensordot dims=2")
    def _(m):
        a, b = m.leaf(2, 3, 4), m.leaf(3, 4, 5)
        return [a, b], autograd.tensordot(a, b)

    @case("tensordot dims lists")
    def _(m):
        a, b = m.leaf(2, 3, 4), m.leaf(3, 4, 2)
        return [a, b], autograd.tensordot(a, b, dims=([2, 0], [1, 2]))

    @case("tensordot dims=0 (outer)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(2)
        return [a, b], autograd.tensordot(a, b, dims=0)

    # ------------------------------------------------------------------ triangles and diagonals
    @case("tril")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.tril(x)

    @case("tril(-1) batched")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], x.tril(-1)

    @case("triu(1)")
    def _(m):
        x = m.leaf(4, 3)
        return [x], autograd.triu(x, diagonal=1)

    @case("diag of a vector (offset 1)")
    def _(m):
        x = m.leaf(3)
        return [x], autograd.diag(x, 1)

    @case("diag of a matrix (offset -1)")
    def _(m):
        x = m.leaf(3, 4)
        return [x], x.diag(-1)

    @case("diagonal(1, 1, 2)")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], autograd.diagonal(x, 1, 1, 2)

    @case("diagonal(0, 2, 0)")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], x.diagonal(0, 2, 0)

    @case("diag_embed")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.diag_embed(x, -1)

    @case("trace")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.trace(x)

    @case("kron")
    def _(m):
        a, b = m.leaf(2, 2), m.leaf(3, 1, 2)
        return [a, b], autograd.kron(a, b)

    @case("cross")
    def _(m):
        a, b = m.leaf(4, 3), m.leaf(1, 3)
        return [a, b], autograd.cross(a, b, dim=-1)

    # ------------------------------------------------------------------ products and NaN-skipping reductions
    @case("prod()")
    def _(m):
        x = m.leaf(2, 3, domain="nonzero")
        return [x], autograd.prod(x)

    @case("prod(1, keepdim)")
    def _(m):
        x = m.leaf(2, 3, domain="nonzero")
        return [x], x.prod(1, keepdim=True)

    @case("prod(1) with one and with two zeros in a row")
    def _(m):
        x = m.leaf(values=[[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, -2.0, 3.0]])
        return [x], x.prod(1)

    @case("prod() with one zero")
    def _(m):
        x = m.leaf(values=[[2.0, 0.0, 3.0], [1.5, -1.0, 0.5]])
        return [x], autograd.prod(x)

    @case("prod() with two zeros")
    def _(m):
        x = m.leaf(values=[0.0, 2.0, 0.0, 3.0])
        return [x], autograd.prod(x)

    @case("prod 0-d")
    def _(m):
        x = m.leaf()
        return [x], x.prod(0)

    @case("cumprod(1)")
    def _(m):
        x = m.leaf(2, 4, domain="nonzero")
        return [x], autograd.cumprod(x, 1)

    @case("cumprod with zeros (none, one, two per row)")
    def _(m):
        x = m.leaf(values=[[2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, -3.0, 4.0, 0.5]])
        return [x], x.cumprod(1)

    @case("cumprod dim 0 with zeros")
    def _(m):
        x = m.leaf(values=[[0.0, 1.0], [0.0, 2.0], [3.0, 0.0]])
        return [x], autograd.cumprod(x, 0)

    @case("cumprod along a dim of size 1 (the gradient passes through)")
    def _(m):
        x = m.leaf(1, 3)
        return [x], autograd.cumprod(x, 0)

    @case("std_mean(1)")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.std_mean(x, 1)

    @case("var_mean(keepdim, correction=0)")
    def _(m):
        x = m.leaf(2, 3, 4)
        return [x], autograd.var_mean(x, (0, 2), keepdim=True, correction=0)

    @case("nansum with NaN")
    def _(m):
        x = m.leaf(values=[[1.0, float("nan"), -2.0], [0.5, 3.0, float("nan")]])
        return [x], autograd.nansum(x, 1)

    @case("nanmean with NaN")
    def _(m):
        x = m.leaf(values=[[1.0, float("nan"), -2.0], [0.5, 3.0, 4.0]])
        return [x], x.nanmean(1, keepdim=True)

    @case("median()")
    def _(m):
        x = m.leaf(2, 3)
        return [x], autograd.median(x)

    @case("median() with ties")
    def _(m):
        x = m.leaf(values=[1.0, 2.0, 2.0, 3.0])
        return [x], x.median()

    @case("median(dim)")
    def _(m):
        x = m.leaf(3, 4)
        return [x], tuple(autograd.median(x, 1))[:1]

    @case("nanmedian(dim) with NaN")
    def _(m):
        x = m.leaf(values=[[1.0, float("nan"), 2.0, 5.0], [3.0, 1.0, 0.5, -1.0]])
        return [x], (autograd.nanmedian(x, 1).values,)

    @case("logcumsumexp")
    def _(m):
        x = m.leaf(2, 4)
        return [x], autograd.logcumsumexp(x, 1)

    @case("logcumsumexp (spread values)")
    def _(m):
        x = m.leaf(values=[-20.0, 0.0, 1.0, 12.0, 11.0])
        return [x], x.logcumsumexp(0)

    # ------------------------------------------------------------------ selecting and scattering
    @case("logcumsumexp 0-d")
    def _(m):
        x = m.leaf()
        return [x], autograd.logcumsumexp(x, 0)

    @case("index_select with repeats")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.index_select(x, 1, autograd.tensor([0, 2, 2, 0]))

    @case("index_select dim 0, int32 index")
    def _(m):
        x = m.leaf(3, 2)
        return [x], x.index_select(0, autograd.tensor([2, 2], dtype=autograd.int32))

    @case("masked_select (mask broadcast)")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.masked_select(x, autograd.tensor([True, False, True, True]))

    @case("masked_select (input broadcast)")
    def _(m):
        x = m.leaf(2)
        return [x], x.masked_select(autograd.tensor([[True, False], [True, True]]))

    @case("scatter src")
    def _(m):
        x, src = m.leaf(3, 3), m.leaf(2, 3)
        return [x, src], autograd.scatter(x, 0, autograd.tensor([[0, 1], [2, 0]]), src)

    @case("scatter value")
    def _(m):
        x = m.leaf(3, 3)
        return [x], x.scatter(1, autograd.tensor([[0, 1], [2, 0]]), 5.0)

    @case("scatter reduce=add with repeats")
    def _(m):
        x, src = m.leaf(3, 3), m.leaf(2, 2)
        return [x, src], autograd.scatter(x, 1, autograd.tensor([[0, 0], [2, 2]]), src, reduce="add")

    @case("scatter reduce=multiply value")
    def _(m):
        x = m.leaf(3, 3)
        return [x], autograd.scatter(x, 1, autograd.tensor([[0, 0], [2, 1]]), value=3.0, reduce="multiply")

    @case("scatter_add with repeats")
    def _(m):
        x, src = m.leaf(3, 3), m.leaf(3, 3)
        return [x, src], autograd.scatter_add(x, 1, autograd.tensor([[0, 0], [2, 2]]), src)

    @case("index_add with repeats, alpha")
    def _(m):
        x, src = m.leaf(3, 3), m.leaf(3, 3)
        return [x, src], autograd.index_add(x, 0, autograd.tensor([0, 0, 2]), src, alpha=2)

    @case("index_add dim 1")
    def _(m):
        x, src = m.leaf(2, 3), m.leaf(2, 2)
        return [x, src], x.index_add(1, autograd.tensor([2, 2]), src)

    @case("index_copy")
    def _(m):
        x, src = m.leaf(3, 3), m.leaf(3, 2)
        return [x, src], autograd.index_copy(x, 1, autograd.tensor([2, 0]), src)

    @case("index_fill (negative index)")
    def _(m):
        x = m.leaf(3, 3)
        return [x], x.index_fill(1, autograd.tensor([0, -1]), 7.0)

    @case("index_fill with a 0-d tensor value")
    def _(m):
        x, v = m.leaf(2, 3), m.leaf()
        return [x, v], autograd.index_fill(x, 1, autograd.tensor([1]), v)

    @case("index_fill with a value of another dtype (input's dtype kept)")
    def _(m):
        x, v = m.leaf(3, 3), m.leaf(dtype=m.other)
        return [x, v], autograd.index_fill(x, 1, autograd.tensor([0, 2]), v)

    @case("take_along_dim (broadcast)")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.take_along_dim(x, autograd.tensor([[0, 3, 0]]), 1)

    @case("take_along_dim flattened")
    def _(m):
        x = m.leaf(3, 4)
        return [x], x.take_along_dim(autograd.tensor([5, 0, 5]))

    @case("take (repeats, negative)")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.take(x, autograd.tensor([[0, 11], [-1, 0]]))

    @case("select")
    def _(m):
        x = m.leaf(3, 4)
        return [x], autograd.select(x, 1, -1)

    @case("select 1-d")
    def _(m):
        x = m.leaf(3)
        return [x], x.select(0, 1)
