"""Matrix products (matmul, mm, bmm, einsum, tensordot, ...), triangles and diagonals."""
import builtins
import math

import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import formula
from .common import as_operand, normalize_dim, promote
from .formula import sum_to, swap_last_two


class MatMul(Op):
    """a @ b with numpy's rules (1-D operands are promoted; batch dims broadcast).

    For matrices: d/da = grad @ b^T, d/db = a^T @ grad; batch dims are summed back.
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 2 and b.ndim == 2:  # the common case, without the general bookkeeping below
            return (grad @ b.T if need_a else None), (a.T @ grad if need_b else None)
        # Promote 1-D operands to matrices, as the forward did, and reshape the gradient to match.
        a2 = a.reshape((1, a.shape[0])) if a.ndim == 1 else a
        b2 = b.reshape((b.shape[0], 1)) if b.ndim == 1 else b
        out_shape = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])
        if grad.shape != out_shape:
            grad = grad.reshape(out_shape)
        grad_a = grad_b = None
        if need_a:
            grad_a = sum_to(grad @ swap_last_two(b2), a2.shape)
            grad_a = grad_a.reshape(a.shape) if a.ndim == 1 else grad_a
        if need_b:
            grad_b = sum_to(swap_last_two(a2) @ grad, b2.shape)
            grad_b = grad_b.reshape(b.shape) if b.ndim == 1 else grad_b
        return grad_a, grad_b


class Linear(Op):
    """y = x W^T + b (``nn.Linear``'s op), for x of shape (..., in), W (out, in), b (out,).

    dL/dx = g W,  dL/dW = g^T x (over all leading dims),  dL/db = sum of g over leading dims.

    A column-major W (``nn.Linear`` stores its weight so) gets dL/dW computed as (x^T g)^T, in
    W's own layout: the product BLAS runs is then the one a hand-written (in, out) layer runs.
    """

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        out = np.matmul(x._array, weight._array.T)
        if bias is not None:
            out += bias._array
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        out_features, in_features = weight.shape
        need_x, need_w, need_b = ctx.needs_input_grad
        # Leading dims of x all act as the batch: flatten them for the weight and bias gradients.
        flat_grad = grad if grad.ndim == 2 else grad.reshape((-1, out_features))
        flat_x = x if x.ndim == 2 else x.reshape((-1, in_features))
        grad_x = grad @ weight if need_x else None
        grad_w = None
        if need_w:
            grad_w = (flat_x.T @ flat_grad).T if formula.column_major(weight) else flat_grad.T @ flat_x
        grad_b = formula.sum(flat_grad, (0,)) if need_b else None
        return grad_x, grad_w, grad_b


def matmul(input, other):
    """Matrix product with numpy's/PyTorch's rules for 1-D, 2-D and batched operands."""
    if isinstance(input, Tensor) and isinstance(other, Tensor):  # two matrices that fit: nothing to check
        a, b = input._array, other._array
        if a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0] and a.dtype == b.dtype:
            return MatMul.apply(input, other)
    input, other = as_operand(input, "matmul"), as_operand(other, "matmul")
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        raise TypeError("matmul: both operands must be Tensors (or arrays), not numbers")
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(
            f"matmul: both arguments to matmul need to be at least 1D, but they are {input.ndim}D and {other.ndim}D"
        )
    inner_a = input.shape[-1]
    inner_b = other.shape[0] if other.ndim == 1 else other.shape[-2]
    if inner_a != inner_b:
        describe = lambda t: "x".join(map(str, t.shape))  # noqa: E731
        raise RuntimeError(
            f"matmul: shapes cannot be multiplied ({describe(input)} and {describe(other)}): "
            f"the last dim of the first ({inner_a}) must equal the "
            f"{'first' if other.ndim == 1 else 'second-to-last'} dim of the second ({inner_b})"
        )
    if input.ndim > 2 and other.ndim > 2:
        try:
            np.broadcast_shapes(input.shape[:-2], other.shape[:-2])
        except ValueError:
            raise RuntimeError(
                f"matmul: batch dimensions {tuple(input.shape[:-2])} and {tuple(other.shape[:-2])} do not broadcast"
            ) from None
    if input.dtype != other.dtype:
        input, other = promote(input, other)  # an int matrix with a float32 one stays float32, not float64
    return MatMul.apply(input, other)


def dot(input, tensor):
    """The inner product sum_i a_i b_i of two 1-D tensors of the same length (PyTorch names the second
    ``tensor``)."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"dot: 1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input.shape != tensor.shape:
        raise RuntimeError(
            f"dot: inconsistent tensor size, expected tensor [{input.shape[0]}] and src [{tensor.shape[0]}] "
            "to have the same number of elements"
        )
    return MatMul.apply(input, tensor)


def linear(input, weight, bias=None):
    """x W^T + b, as ``torch.nn.functional.linear``: input (..., in), weight (out, in), bias (out,)."""
    if weight.ndim != 2:
        raise RuntimeError(f"linear: weight must be 2-D (out_features, in_features), got shape {tuple(weight.shape)}")
    if input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"linear: input of shape {tuple(input.shape)} has {input.shape[-1] if input.ndim else 0} features in "
            f"its last dimension, but the weight of shape {tuple(weight.shape)} expects {weight.shape[1]}"
        )
    if bias is not None and bias.shape != (weight.shape[0],):
        raise RuntimeError(f"linear: bias must have shape ({weight.shape[0]},), got {tuple(bias.shape)}")
    return Linear.apply(input, weight, bias)


# =============================================================== more products: PyTorch's strict forms
def _tensor_arg(x, op, name, position):
    """``x`` if it is a Tensor (an ndarray becomes one); else PyTorch's TypeError naming the argument."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


def _sizes(t):
    """A shape as PyTorch prints it in mm's messages: ``2x3``."""
    return "x".join(map(str, t.shape)) or "scalar"


def _same_dtype(op, first, second, names):
    if first.dtype != second.dtype:
        raise RuntimeError(
            f"{op}: expected {names[0]} and {names[1]} to have the same dtype, but got: {first.dtype} != {second.dtype}"
        )
    if first.dtype.kind == "b" and first._array.size and second._array.size:  # (PyTorch multiplies no bools)
        raise NotImplementedError(f"{op}: not implemented for 'Bool' tensors; convert them with .int() or .float()")


def _check_mm(op, input, mat2, names=("self", "mat2")):
    if input.ndim != 2:
        raise RuntimeError(f"{op}: {names[0]} must be a matrix, got a {input.ndim}-D tensor of shape {tuple(input.shape)}")
    if mat2.ndim != 2:
        raise RuntimeError(f"{op}: {names[1]} must be a matrix, got a {mat2.ndim}-D tensor of shape {tuple(mat2.shape)}")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"{op}: mat1 and mat2 shapes cannot be multiplied ({_sizes(input)} and {_sizes(mat2)})")
    _same_dtype(op, input, mat2, ("m1", "m2"))


def _check_bmm(op, input, mat2):
    for name, t in (("batch1", input), ("batch2", mat2)):
        if t.ndim != 3:
            raise RuntimeError(f"{op}: {name} must be a 3D tensor, got a {t.ndim}-D tensor of shape {tuple(t.shape)}")
    expected = [input.shape[0], input.shape[2]]
    if list(mat2.shape[:2]) != expected:
        raise RuntimeError(
            f"{op}: Expected size for first two dimensions of batch2 tensor to be: {expected} but got: "
            f"{list(mat2.shape[:2])} (batch1 {tuple(input.shape)}, batch2 {tuple(mat2.shape)})."
        )
    _same_dtype(op, input, mat2, ("batch1", "batch2"))


def _check_mv(op, input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(
            f"{op}: vector + matrix @ vector expected, got a {input.ndim}-D mat of shape {tuple(input.shape)} "
            f"and a {vec.ndim}-D vec of shape {tuple(vec.shape)}"
        )
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"{op}: size mismatch, got mat ({_sizes(input)}), vec ({vec.shape[0]})")
    _same_dtype(op, input, vec, ("mat", "vec"))


def _check_outer(op, input, vec2, names=("self", "vec2")):
    for name, t in zip(names, (input, vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"{op}: Expected 1-D argument {name}, but got {t.ndim}-D (shape {tuple(t.shape)})")


def mm(input, mat2):
    """The product of two matrices, (n, m) @ (m, p) -> (n, p): ``matmul`` for 2-D tensors of one dtype,
    without broadcasting (PyTorch's ``mm``).   d/dinput = grad @ mat2^T,  d/dmat2 = input^T @ grad."""
    mat2 = _tensor_arg(mat2, "mm", "mat2", 2)
    _check_mm("mm", input, mat2)
    return MatMul.apply(input, mat2)


def bmm(input, mat2):
    """Batched matrix product, (b, n, m) @ (b, m, p) -> (b, n, p), without broadcasting (PyTorch's ``bmm``).
    d/dinput_b = grad_b @ mat2_b^T,  d/dmat2_b = input_b^T @ grad_b."""
    mat2 = _tensor_arg(mat2, "bmm", "mat2", 2)
    _check_bmm("bmm", input, mat2)
    return MatMul.apply(input, mat2)


def mv(input, vec):
    """Matrix times vector, (n, m) @ (m,) -> (n,).   d/dinput = outer(grad, vec),  d/dvec = input^T @ grad."""
    vec = _tensor_arg(vec, "mv", "vec", 2)
    _check_mv("mv", input, vec)
    return MatMul.apply(input, vec)


def _integral_scale(value, dtype):
    """alpha or beta for an integer tensor: PyTorch truncates it to an integer (for a bool one: True or False)."""
    if dtype.kind == "b":
        return bool(value)
    return int(value) if dtype.kind in "iu" and not isinstance(value, bool) else value


def _scaled_sum(op, input, product, beta, alpha):
    """beta * input + alpha * product, ``input`` broadcast to ``product``'s shape (PyTorch's addmm family).

    beta = 0 ignores input's values (NaN and inf included) and gives it a zero gradient, as in PyTorch;
    alpha = 0 likewise ignores the product in ``addmm`` and ``addmv`` (a product of NaN gives beta * input
    there; ``addr`` and ``baddbmm`` give NaN, as in PyTorch), its factors' gradients still alpha * (...).
    d/dinput = beta * grad (summed over the broadcast dims),  d/dproduct = alpha * grad.
    """
    from .elementwise import Where, add

    input = _tensor_arg(input, op, "input", 1)
    shape = product.shape
    if input.ndim > len(shape) or any(a != b and a != 1 for a, b in zip(input.shape[::-1], shape[::-1])):
        raise RuntimeError(
            f"{op}: input of shape {tuple(input.shape)} cannot be broadcast to the product's shape {tuple(shape)}"
        )
    if input.dtype != product.dtype:
        raise RuntimeError(
            f"{op}: self and the product must have the same dtype, but got {input.dtype} and {product.dtype}"
        )
    alpha, beta = _integral_scale(alpha, product.dtype), _integral_scale(beta, product.dtype)
    if alpha == 0 and (op in ("addmm", "addmv") or product.dtype.kind == "b"):
        # zeros where the product was, each of its entries still given a gradient of 0 * grad
        product = Where.apply(Tensor._make(np.ones((), np.bool_)), Tensor._make(np.zeros((), product.dtype)), product)
    elif alpha != 1:
        product = product * alpha
    if beta == 0:  # product where a constant False condition holds, input elsewhere (nowhere)
        return Where.apply(Tensor._make(np.zeros((), np.bool_)), input, product)
    return add(product, input, alpha=beta)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2), for matrices mat1 (n, m) and mat2 (m, p) and input broadcast
    to (n, p).   d/dinput = beta * grad,  d/dmat1 = alpha * grad @ mat2^T,  d/dmat2 = alpha * mat1^T @ grad."""
    mat1, mat2 = _tensor_arg(mat1, "addmm", "mat1", 2), _tensor_arg(mat2, "addmm", "mat2", 3)
    _check_mm("addmm", mat1, mat2, ("mat1", "mat2"))
    return _scaled_sum("addmm", input, MatMul.apply(mat1, mat2), beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * (batch1 @ batch2), batched: batch1 (b, n, m), batch2 (b, m, p), input broadcast
    to (b, n, p).   Gradients as ``addmm``'s, batch by batch."""
    batch1, batch2 = _tensor_arg(batch1, "baddbmm", "batch1", 2), _tensor_arg(batch2, "baddbmm", "batch2", 3)
    _check_bmm("baddbmm", batch1, batch2)
    return _scaled_sum("baddbmm", input, MatMul.apply(batch1, batch2), beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta * input + alpha * (mat @ vec), for mat (n, m), vec (m,) and input broadcast to (n,).
    d/dinput = beta * grad,  d/dmat = alpha * outer(grad, vec),  d/dvec = alpha * mat^T @ grad."""
    mat, vec = _tensor_arg(mat, "addmv", "mat", 2), _tensor_arg(vec, "addmv", "vec", 3)
    _check_mv("addmv", mat, vec)
    return _scaled_sum("addmv", input, MatMul.apply(mat, vec), beta, alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """beta * input + alpha * outer(vec1, vec2), input broadcast to (n, m).
    d/dinput = beta * grad,  d/dvec1 = alpha * grad @ vec2,  d/dvec2 = alpha * grad^T @ vec1."""
    input = _tensor_arg(input, "addr", "input", 1)
    vec1, vec2 = _tensor_arg(vec1, "addr", "vec1", 2), _tensor_arg(vec2, "addr", "vec2", 3)
    _check_outer("addr", vec1, vec2, ("vec1", "vec2"))
    # PyTorch promotes the three (input counted as a matrix, even 0-d); each casts (recorded) to the result's dtype
    dtype = _promote_types(input.dtype, vec1.dtype, vec2.dtype)
    if dtype.kind in "biu":
        for name, value in (("beta", beta), ("alpha", alpha)):
            if isinstance(value, float):
                raise RuntimeError(f"addr: For integral input tensors, argument {name} must not be a floating point number.")
    input, vec1, vec2 = (x if x.dtype == dtype else x.to(dtype) for x in (input, vec1, vec2))
    product = outer(vec1, vec2)
    return _scaled_sum("addr", input, product, beta, alpha)


def _promote_types(*dtypes):
    """PyTorch's promotion of tensors with dimensions: the dtype of the highest category (bool < integer <
    floating) among them, promoted within it (int64 with float32 is float32; numpy would give float64)."""
    from .common import _CATEGORY

    top = builtins.max(_CATEGORY[np.dtype(t).kind] for t in dtypes)
    result = None
    for t in dtypes:
        if _CATEGORY[np.dtype(t).kind] == top:
            result = np.dtype(t) if result is None else np.promote_types(result, t)
    return result


def outer(input, vec2):
    """The outer product of two vectors: out[i, j] = input[i] * vec2[j] (dtypes promote as in ``mul``).
    d/dinput = grad @ vec2,  d/dvec2 = grad^T @ input."""
    from .elementwise import mul

    vec2 = _tensor_arg(vec2, "outer", "vec2", 2)
    _check_outer("outer", input, vec2)
    return mul(input.reshape((input.shape[0], 1)), vec2)


def ger(input, vec2):
    """``outer`` (PyTorch's older name)."""
    return outer(input, vec2)


# --------------------------------------------------------------------------- einsum
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # (ASCII order: PyTorch's implicit output order)


def einsum_array(equation, arrays):
    """``np.einsum`` of an explicit letters-only ``equation``, as a new array (never a view of an operand).
    Three or more operands, or two with much to multiply, go through numpy's contraction order and BLAS
    (``optimize``: 3-5x faster from 64x64 matrices on, but 3x slower below 32x32, for its planning)."""
    optimize = len(arrays) > 2
    if len(arrays) == 2:
        sizes = {}
        for term, a in zip(equation.split("->")[0].split(","), arrays):
            sizes.update(zip(term, a.shape))
        optimize = math.prod(sizes.values()) > 32768
    out = np.asarray(np.einsum(equation, *arrays, optimize=optimize))
    if any(np.may_share_memory(out, a) for a in arrays):  # ("ij->ji" and "ii->i" give views)
        out = out.copy()
    return out


class Einsum(Op):
    """The Einstein sum of the explicit ``equation`` (letters only: ``einsum`` rewrites every form so).

    The gradient of operand k is itself an Einstein sum: of the output's gradient and the other operands,
    onto operand k's letters. A letter that operand k repeats (a diagonal, ``"ii->i"``) is given a fresh
    letter and an identity matrix joining the two; a letter found in no other term (summed over operand k
    alone) is given a vector of ones; dims that broadcast (size 1 against n) are summed back (``sum_to``).
    """

    @staticmethod
    def forward(ctx, equation, *operands):
        ctx.save_for_backward(*operands)
        ctx.equation = equation
        return einsum_array(equation, [t._array for t in operands])

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        terms = inputs.split(",")
        sizes = {}
        for term, x in zip(terms, operands):
            for letter, size in zip(term, x.shape):
                if sizes.get(letter, 1) == 1:  # a size of 1 broadcasts against any other, 0 included
                    sizes[letter] = size
        for letter, size in zip(output, grad.shape):
            sizes[letter] = size
        fresh = [c for c in _LETTERS if c not in ctx.equation]
        grads = [None]
        for k, needed in enumerate(ctx.needs_input_grad[1:]):
            if not needed:
                grads.append(None)
                continue
            target, seen, extra_terms, extras = [], set(), [], []
            for letter in terms[k]:
                if letter in seen:  # a repeat: a fresh letter, tied to the first by an identity matrix
                    new = fresh.pop()
                    target.append(new)
                    extra_terms.append(letter + new)
                    extras.append(np.eye(sizes[letter], dtype=grad.dtype))
                else:
                    seen.add(letter)
                    target.append(letter)
            others = [terms[j] for j in range(len(terms)) if j != k]
            present = set(output).union(*others, *extra_terms)
            for letter in sorted(set(target) - present):  # summed over this operand alone: ones
                extra_terms.append(letter)
                extras.append(np.ones(sizes[letter], dtype=grad.dtype))
            equation = ",".join([output, *others, *extra_terms]) + "->" + "".join(target)
            other_operands = [operands[j] for j in range(len(terms)) if j != k]
            g = formula.einsum(equation, grad, *other_operands, *extras)
            grads.append(formula.sum_to(g, operands[k].shape))
        return tuple(grads)


def _einsum_error(message):
    return RuntimeError(f"einsum(): {message}")


def _einsum_equation(equation, operands):
    """PyTorch's einsum ``equation`` (spaces, ``...``, implicit output) for ``operands``, checked, as an
    explicit equation over letters only."""
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): argument 'equation' must be str, not {type(equation).__name__}")
    text = equation.replace(" ", "")
    lhs, arrow, rhs = text.partition("->")
    if "->" in rhs:
        raise _einsum_error(f"the equation {equation!r} has more than one '->'")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise _einsum_error("fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise _einsum_error("more operands were provided than specified in the equation")
    used = set()
    for k, term in enumerate(terms + ([rhs] if arrow else [])):
        where = f"operand {k}" if k < len(terms) else "the output"
        if term.count("...") > 1:
            raise _einsum_error(f"found more than one ellipsis ('...') for {where}")
        bare = term.replace("...", "")
        for char in bare:
            if char == ".":
                raise _einsum_error(f"found '.' for {where} that is not part of any ellipsis")
            if char not in _LETTERS:
                raise _einsum_error(
                    f"invalid subscript {char!r} given in the equation string {equation!r}, subscripts must be in [a-zA-Z]"
                )
        used.update(bare)
    ellipsis_dims = 0
    for k, (term, x) in enumerate(zip(terms, operands)):
        count = len(term.replace("...", ""))
        if "..." in term:
            if count > x.ndim:
                raise _einsum_error(
                    f"the number of subscripts in the equation ({count}) is more than the number of dimensions "
                    f"({x.ndim}) for operand {k} (shape {tuple(x.shape)})"
                )
            ellipsis_dims = max(ellipsis_dims, x.ndim - count)
        elif count != x.ndim:
            raise _einsum_error(
                f"the number of subscripts in the equation ({count}) does not match the number of dimensions "
                f"({x.ndim}) for operand {k} (shape {tuple(x.shape)}) and no ellipsis was given"
            )
    free = [c for c in _LETTERS if c not in used]
    if ellipsis_dims > len(free):
        raise _einsum_error(f"too many dimensions: at most {len(_LETTERS)} letters in all")
    batch = "".join(free[:ellipsis_dims])  # the ellipsis' dims, right-aligned as they broadcast
    expanded = []
    for term, x in zip(terms, operands):
        if "..." in term:
            term = term.replace("...", batch[len(batch) - (x.ndim - len(term) + 3):] if x.ndim - len(term) + 3 else "")
        expanded.append(term)
    sizes = {}
    for k, (term, x) in enumerate(zip(expanded, operands)):
        own = {}
        for letter, size in zip(term, x.shape):
            if own.setdefault(letter, size) != size:
                raise _einsum_error(
                    f"subscript {letter} is repeated for operand {k} but the sizes don't match, {own[letter]} != {size}"
                )
            seen = sizes.get(letter)
            if seen is not None and size != seen and size != 1 and seen != 1:
                shown = "an ellipsis dimension" if letter in batch else f"subscript {letter}"
                raise _einsum_error(
                    f"{shown} has size {size} for operand {k} (shape {tuple(x.shape)}) which does not broadcast "
                    f"with previously seen size {seen}"
                )
            sizes[letter] = size if seen is None or seen == 1 else seen
    if arrow:
        output = rhs.replace("...", batch)
        for letter in rhs.replace("...", ""):
            if rhs.count(letter) > 1:
                raise _einsum_error(f"output subscript {letter} appears more than once in the output")
            if letter not in used or not any(letter in term for term in terms):
                raise _einsum_error(f"output subscript {letter} does not appear in the equation for any input operand")
    else:  # implicit: the ellipsis' dims, then the letters seen once, in ASCII order
        counts = "".join(terms).replace("...", "")
        output = batch + "".join(sorted(c for c in set(counts) if counts.count(c) == 1))
    return ",".join(expanded) + "->" + output


def einsum(equation, *operands):
    """The Einstein summation of ``operands`` by ``equation`` (numpy's and PyTorch's subscripts:
    ``"ij,jk->ik"``, ``"...ij,...jk"``, ``"ii"``; the operands may also come as one list).

    Letters repeated across operands multiply; letters missing from the output are summed over (an
    implicit output is the letters seen once, in order, after the ellipsis' dims). Dims of size 1 broadcast.
    The gradient of each operand is an einsum too: of the output's gradient with the other operands.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = tuple(_tensor_arg(x, "einsum", "operands", i + 2) for i, x in enumerate(operands))
    explicit = _einsum_equation(equation, operands)
    dtype = _einsum_dtype(explicit, operands)
    operands = tuple(x if x.dtype == dtype else x.to(dtype) for x in operands)  # (a float's cast is recorded)
    return Einsum.apply(explicit, *operands)


def _summed_dtype(dtype):
    """The dtype of a sum (PyTorch: bools and integers sum in int64)."""
    return np.dtype(np.int64) if dtype.kind in "biu" else dtype


def _einsum_dtype(explicit, operands):
    """The dtype of PyTorch's einsum of ``operands`` by the explicit letters-only equation, or its error.

    PyTorch sums a lone operand's summed letters with ``sum`` (integers and bools give int64). Of several,
    it folds them left to right, two at a time: a letter summed over that only one side of a pair still holds
    (of size other than 1) is summed there first (``sum`` again); then a pair with letters to contract (held
    by both, of size other than 1, and by no later operand) is a batched product, ``bmm``, and a pair without
    is a broadcast product, ``mul``, which promotes (an int tensor and a float32 one give float32). ``bmm``
    takes the second side first when all the letters only the first side holds come after all the others
    (but the contracted ones), in PyTorch's order (the output's letters, then the summed ones); it wants one dtype (RuntimeError; NotImplementedError for a bool first factor), except with
    an empty side: then it gives its second factor's dtype. The values are computed in the dtype found, from
    the operands cast to it.
    """
    from ..random import TORCH_TYPE_NAMES

    lhs, output = explicit.split("->")
    terms = lhs.split(",")
    if len(terms) == 1:
        return _summed_dtype(operands[0].dtype) if set(terms[0]) - set(output) else operands[0].dtype
    shapes = [dict(zip(term, x.shape)) for term, x in zip(terms, operands)]
    contracted = sorted(set(lhs) - set(output) - {","})
    position = {d: i for i, d in enumerate(output + "".join(contracted))}  # (PyTorch's order of the dims)
    held = {d: builtins.sum(shape.get(d, 1) != 1 for shape in shapes) for d in contracted}  # by how many operands
    a, a_dtype = shapes[0], operands[0].dtype
    for b, b_dtype in zip(shapes[1:], (x.dtype for x in operands[1:])):
        b, summed = dict(b), []
        for d in contracted:
            size_a, size_b = a.get(d, 1), b.get(d, 1)
            if size_a != 1 and size_b != 1:
                held[d] -= 1
                if held[d] == 1:  # contracted by this pair's bmm
                    summed.append(d)
                    held[d] = 0
            elif held[d] == 1 and size_a != 1:
                a_dtype, held[d], a[d] = _summed_dtype(a_dtype), 0, 1
            elif held[d] == 1 and size_b != 1:
                b_dtype, held[d], b[d] = _summed_dtype(b_dtype), 0, 1
        if not summed:
            a_dtype = _promote_types(a_dtype, b_dtype)
        else:
            kept = [d for d in position if d not in summed and (a.get(d, 1) == 1 or b.get(d, 1) == 1)]
            only_a = [position[d] for d in kept if a.get(d, 1) != 1]
            rest = [position[d] for d in kept if a.get(d, 1) == 1]  # b's alone, and those of size 1 in both
            first, second = (b_dtype, a_dtype) if only_a and rest and min(only_a) > max(rest) else (a_dtype, b_dtype)
            if 0 in a.values() or 0 in b.values():
                a_dtype = second
            elif first.kind == "b":
                raise NotImplementedError("einsum(): \"bmm\" not implemented for 'Bool'")
            elif first != second:
                raise _einsum_error(
                    f"expected scalar type {TORCH_TYPE_NAMES[first.name]} but found {TORCH_TYPE_NAMES[second.name]} "
                    "(operands of different dtypes meet in a contraction; convert them to one dtype)"
                )
            for d in summed:
                a[d] = b[d] = 1
        a = {d: b.get(d, 1) if a.get(d, 1) == 1 else a[d] for d in set(a) | set(b)}
    return a_dtype


def _tensordot_dims(dims, a, b):
    """tensordot's ``dims`` as two lists of non-negative dims of ``a`` and ``b``."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims} (ndims {a.ndim} and {b.ndim})")
        return list(range(a.ndim - dims, a.ndim)), list(range(dims)), [d - dims for d in range(dims)]
    if not (isinstance(dims, (list, tuple)) and len(dims) == 2):
        raise RuntimeError(
            f"tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] containing two lists, "
            f"but got dims={dims}"
        )
    first, second = dims
    if isinstance(first, (int, np.integer)) or isinstance(second, (int, np.integer)):
        raise TypeError(f"tensordot(): argument 'dims' must be a pair of lists of ints, not a pair of ints ({dims}); "
                        "write ([d1], [d2])")
    first, second = list(first), list(second)
    if len(first) != len(second):
        raise RuntimeError(f"tensordot: both dimension lists should have same length, got {first} and {second}")
    dims_a = [normalize_dim(d, a.ndim, "tensordot") for d in first]
    dims_b = [normalize_dim(d, b.ndim, "tensordot") for d in second]
    for dims_x in (dims_a, dims_b):
        if len(set(dims_x)) != len(dims_x):
            repeated = next(d for d in dims_x if dims_x.count(d) > 1)
            raise RuntimeError(f"tensordot: dim {repeated} appears multiple times in the list of dims")
    return dims_a, dims_b, first


def tensordot(a, b, dims=2):
    """Contract ``a`` and ``b`` over ``dims``: an int n (a's last n dims with b's first n) or two lists
    of dims, paired in order. The output has a's remaining dims, then b's.

    Computed as one matrix product of permuted, reshaped operands, so the gradient is matmul's, moved back.
    """
    b = _tensor_arg(b, "tensordot", "b", 2)
    dims_a, dims_b, shown = _tensordot_dims(dims, a, b)
    for da, db, name in zip(dims_a, dims_b, shown):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(
                f"tensordot: contracted dimensions need to match, but first has size {a.shape[da]} in dim {name} and "
                f"second has size {b.shape[db]} in dim {db} (shapes {tuple(a.shape)} and {tuple(b.shape)})"
            )
    if a.dtype != b.dtype:
        raise RuntimeError(f"tensordot: both inputs should have same dtype, got {a.dtype} and {b.dtype}")
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    size = int(np.prod([a.shape[d] for d in dims_a], dtype=np.int64))
    order_a, order_b = free_a + dims_a, dims_b + free_b
    left = a if order_a == list(range(a.ndim)) else a.permute(order_a)
    right = b if order_b == list(range(b.ndim)) else b.permute(order_b)
    left = left.reshape((-1, size) if size else (int(np.prod([a.shape[d] for d in free_a])), 0))
    right = right.reshape((size, -1) if size else (0, int(np.prod([b.shape[d] for d in free_b]))))
    return MatMul.apply(left, right).reshape(tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b))


# -------------------------------------------------------------------- triangles and diagonals
class Tril(Op):
    """The lower triangle of the last two dims (entries with column - row <= ``diagonal``); 0 elsewhere.
    The gradient is the lower triangle of the output's gradient."""

    keep = staticmethod(np.tril)

    @classmethod
    def forward(cls, ctx, x, diagonal):
        ctx.diagonal = diagonal
        return cls.keep(x._array, diagonal)

    @classmethod
    def backward(cls, ctx, grad):
        if isinstance(grad, Tensor):
            return cls.apply(grad, ctx.diagonal), None
        return cls.keep(grad, ctx.diagonal), None


class Triu(Tril):
    """The upper triangle of the last two dims (column - row >= ``diagonal``); 0 elsewhere.
    The gradient is the upper triangle of the output's gradient."""

    keep = staticmethod(np.triu)


def _diagonal_arg(diagonal, op):
    if isinstance(diagonal, Tensor):
        diagonal = diagonal.item()
    if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'diagonal' must be int, not {type(diagonal).__name__}")
    return int(diagonal)


def tril(input, diagonal=0):
    """The lower triangle of the matrices in the last two dims: entries (i, j) with j - i <= ``diagonal``
    kept, the others 0.   d/dx = 1 on the kept entries, 0 elsewhere."""
    if input.ndim < 2:
        raise RuntimeError(f"tril: input tensor must have at least 2 dimensions, got shape {tuple(input.shape)}")
    return Tril.apply(input, _diagonal_arg(diagonal, "tril"))


def triu(input, diagonal=0):
    """The upper triangle of the matrices in the last two dims: entries (i, j) with j - i >= ``diagonal``
    kept, the others 0.   d/dx = 1 on the kept entries, 0 elsewhere."""
    if input.ndim < 2:
        raise RuntimeError(f"triu: input tensor must have at least 2 dimensions, got shape {tuple(input.shape)}")
    return Triu.apply(input, _diagonal_arg(diagonal, "triu"))


class Diagonal(Op):
    """The diagonal ``offset`` of x in the plane of dims ``dim1``, ``dim2`` (non-negative), as x's last dim:
    a view. d/dx: the gradient is put back on that diagonal of zeros (``diagonal_scatter``)."""

    returns_view = True

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        out = np.diagonal(x._array, offset, dim1, dim2)
        if x._array.flags.writeable:  # a view to write through, as PyTorch's (numpy's is read-only)
            out.flags.writeable = True
        return out

    @staticmethod
    def backward(ctx, grad):
        return formula.diagonal_scatter(grad, ctx.shape, *ctx.args), None, None, None


class DiagonalCopy(Diagonal):
    """``Diagonal`` as a copy in new memory (``diag`` of a matrix).   Same gradient."""

    returns_view = False

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return np.diagonal(x._array, offset, dim1, dim2).copy()


class DiagonalScatter(Op):
    """zeros(shape) with x on the diagonal ``offset`` of dims ``dim1``, ``dim2`` (Diagonal's adjoint).
    d/dx: the diagonal of the output's gradient."""

    @staticmethod
    def forward(ctx, x, shape, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        return diagonal_scatter_array(x._array, shape, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, grad):
        return formula.diagonal(grad, *ctx.args), None, None, None, None


def diagonal_scatter_array(a, shape, offset, dim1, dim2):
    """zeros(shape) of ``a``'s dtype with ndarray ``a`` written on the diagonal ``offset`` of dims ``dim1``/``dim2``."""
    out = np.zeros(shape, dtype=a.dtype)
    view = np.diagonal(out, offset, dim1, dim2)
    view.flags.writeable = True
    view[...] = a
    return out


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal ``offset`` (above the main one when positive, below when negative) of the matrices
    in the plane of dims ``dim1`` and ``dim2``, as a new last dim: a view, as in PyTorch.
    d/dinput: the gradient is placed back on that diagonal, zeros elsewhere."""
    d1, d2 = normalize_dim(dim1, input.ndim, "diagonal"), normalize_dim(dim2, input.ndim, "diagonal")
    if d1 == d2:
        raise RuntimeError(f"diagonal: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, _diagonal_arg(offset, "diagonal"), d1, d2)


def diag(input, diagonal=0):
    """For a vector, the square matrix with it on diagonal ``diagonal`` (zeros elsewhere); for a matrix,
    its diagonal ``diagonal`` as a vector (a copy).   The gradient is the other form of the output's gradient."""
    k = _diagonal_arg(diagonal, "diag")
    if input.ndim == 1:
        n = input.shape[0] + abs(k)
        return DiagonalScatter.apply(input, (n, n), k, 0, 1)
    if input.ndim == 2:
        return DiagonalCopy.apply(input, k, 0, 1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D (shape {tuple(input.shape)})")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Each vector in the last dim of ``input`` put on the diagonal ``offset`` of a square matrix in the
    dims ``dim1``/``dim2`` of the output (one more dim than input).   d/dinput: the diagonal of the gradient."""
    k = _diagonal_arg(offset, "diag_embed")
    ndim = input.ndim + 1
    d1, d2 = normalize_dim(dim1, ndim, "diag_embed"), normalize_dim(dim2, ndim, "diag_embed")
    if d1 == d2:
        raise RuntimeError(f"diag_embed: diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = (input.shape[-1] if input.ndim else 1) + abs(k)
    rest = iter(input.shape[:-1])
    shape = tuple(n if d in (d1, d2) else next(rest) for d in range(ndim))
    x = input if input.ndim else input.reshape((1,))
    return DiagonalScatter.apply(x, shape, k, d1, d2)


def trace(input):
    """The sum of the main diagonal of a matrix (integers sum in int64).   d/dinput = the identity matrix
    times the gradient."""
    from .reduce import sum

    if input.dtype.kind == "b":
        raise NotImplementedError("trace: not implemented for 'Bool' tensors (as in PyTorch); convert with .int()")
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim} (shape {tuple(input.shape)})")
    return sum(Diagonal.apply(input, 0, 0, 1))


def kron(input, other):
    """The Kronecker product: block (i, j, ...) of the output is input[i, j, ...] * other (the operands'
    dims are aligned on the right). Computed as a broadcast product, so each gradient is the other operand
    contracted with the output's gradient."""
    from .elementwise import mul

    other = _tensor_arg(other, "kron", "other", 2)
    ndim = max(input.ndim, other.ndim)
    a_shape = (1,) * (ndim - input.ndim) + tuple(input.shape)
    b_shape = (1,) * (ndim - other.ndim) + tuple(other.shape)
    a = input.reshape(tuple(n for size in a_shape for n in (size, 1)))
    b = other.reshape(tuple(n for size in b_shape for n in (1, size)))
    return mul(a, b).reshape(tuple(x * y for x, y in zip(a_shape, b_shape)))


def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim`` (operands broadcast): c = (a1 b2 - a2 b1, a2 b0 - a0 b2,
    a0 b1 - a1 b0). ``dim`` None takes input's first dim of size 3 (PyTorch's deprecated default; of input's
    own shape, not the broadcast one).
    d/da = b x grad,  d/db = grad x a."""
    from .common import check_broadcast

    other = _tensor_arg(other, "cross", "other", 2)
    if input.ndim != other.ndim:
        raise RuntimeError(
            f"linalg.cross: inputs must have the same number of dimensions (shapes {tuple(input.shape)} and "
            f"{tuple(other.shape)})."
        )
    check_broadcast(input.shape, other.shape, "cross")
    if input.dtype != other.dtype:
        raise RuntimeError(f"cross: expected both inputs to have the same dtype, but got {input.dtype} and {other.dtype}")
    shape = np.broadcast_shapes(input.shape, other.shape)
    if dim is None:
        dim = next((d for d, size in enumerate(input.shape) if size == 3), None)
        if dim is None:
            raise RuntimeError(f"cross: no dimension of size 3 in input (shapes {tuple(input.shape)} and {tuple(other.shape)})")
    d = normalize_dim(dim, len(shape), "cross")
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {d} must have length 3. Got {input.shape[d]} and {other.shape[d]}"
        )
    lead = (slice(None),) * d

    def turned(x, by):  # x with its entries along d taken in the order by, by + 1, by + 2 (mod 3)
        return x[lead + (np.array([by % 3, (by + 1) % 3, (by + 2) % 3]),)]

    return turned(input, 1) * turned(other, 2) - turned(input, 2) * turned(other, 1)


# Registered by autograd/ops/__init__.py: METHODS are Tensor methods and module functions, FUNCTIONS
# module functions only.
METHODS = (
    mm, bmm, mv, addmm, baddbmm, addmv, addr, outer, ger, tril, triu, diagonal, diag, diag_embed, trace, kron,
    cross,
)
FUNCTIONS = (einsum, tensordot)
