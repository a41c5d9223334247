"""``Linear`` (y = x W^T + b) and ``Embedding`` (a lookup table of rows), with PyTorch's initialization."""
import math

import numpy as np

import autograd
from autograd.function import Op
from autograd.ops import formula
from autograd.tensor import Tensor

from . import init
from .module import Module, Parameter, check_device


def linear(input, weight, bias=None):
    """x W^T + b for input (..., in), weight (out, in), bias (out,): one fused autograd op."""
    return autograd.linear(input, weight, bias)


class Linear(Module):
    """y = x W^T + b with ``weight`` (out_features, in_features) and ``bias`` (out_features,).

    PyTorch's default initialization: W ~ kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(in), 1/sqrt(in)),
    and b ~ U(-1/sqrt(in), 1/sqrt(in)).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        check_device(device, "Linear")
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"Linear: {name} must be a non-negative int, got {value!r}")
        self.in_features = in_features
        self.out_features = out_features
        # Stored column-major: the memory of an (in, out) matrix, seen as (out, in). x W^T is then the
        # product a hand-written (in, out) layer computes, and BLAS runs it and W's gradient 3-6% faster.
        self.weight = Parameter(autograd.empty(in_features, out_features, dtype=dtype).T)
        if bias:
            self.bias = Parameter(autograd.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Redraw the weight and bias with PyTorch's default initialization."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        """input @ weight^T + bias."""
        params = self._parameters
        if type(self) is Linear and "weight" in params and "bias" in params:
            # For speed, the registry itself: ``self.weight`` misses the instance dict, so Python raises and
            # catches an AttributeError before Module.__getattr__ finds it (1-2 us a lookup). Subclasses may
            # redefine ``weight`` (a property), and weight norm style code replaces it with a plain
            # attribute: both take ``self.weight`` below.
            return autograd.linear(input, params["weight"], params["bias"])
        return autograd.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class EmbeddingLookup(Op):
    """out[...] = weight[indices[...]] (rows of the table).

    dL/dweight: each output row's gradient is added to the row it came from (repeated
    indices accumulate); the ``padding_idx`` row gets none.
    """

    @staticmethod
    def forward(ctx, weight, indices, padding_idx):
        ctx.indices, ctx.padding_idx, ctx.shape = indices, padding_idx, weight.shape
        return weight._array[indices]

    @staticmethod
    def backward(ctx, grad):
        if ctx.padding_idx is not None:
            grad = grad * (ctx.indices != ctx.padding_idx)[..., None]
        return formula.index_add(grad, ctx.indices, ctx.shape), None, None


def _padding_index(padding_idx, num_embeddings):
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"Embedding: padding_idx {padding_idx} must be within num_embeddings ({num_embeddings})")
    return padding_idx % num_embeddings


def embedding(input, weight, padding_idx=None):
    """Rows of ``weight`` (num_embeddings, dim) picked by the integer tensor ``input``: shape input.shape + (dim,)."""
    indices = input._array if isinstance(input, Tensor) else np.asarray(input)
    if indices.dtype.kind not in "iu":
        raise TypeError(
            f"embedding: expected an integer tensor of indices (dtype int64 or int32), got dtype {indices.dtype}"
        )
    if weight.ndim != 2:
        raise RuntimeError(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {tuple(weight.shape)}")
    num = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= num):
        bad = indices.max() if indices.max() >= num else indices.min()
        raise IndexError(f"embedding: index {bad} out of range for a table of {num} embeddings (expected 0 <= index < {num})")
    return EmbeddingLookup.apply(weight, indices, _padding_index(padding_idx, num))


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``; ``weight`` starts N(0, 1)
    (its ``padding_idx`` row zero, and that row gets no gradient)."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, device=None, dtype=None):
        super().__init__()
        check_device(device, "Embedding")
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.weight = Parameter(autograd.empty(num_embeddings, embedding_dim, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        """weight ~ N(0, 1), the padding row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with autograd.no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, input):
        """embedding(input, weight, padding_idx)."""
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")
