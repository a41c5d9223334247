"""Matrix products."""
import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import formula
from .common import as_operand, promote
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
