"""Backward-mode cases for the elementwise ops of autograd/ops/special.py, the trigonometric, hyperbolic
and binary ops of elementwise.py, and the rounding ops (loaded by tests/test_backward_modes.py, which
calls ``register(case, Maker)``): each is built in both of the engine's modes, whose gradients must agree,
and under create_graph its gradient must be recorded as the adjoint of the plain one.

Inputs stay inside each op's domain (log1p above -1, asin inside (-1, 1), ...), so every gradient is finite.
The step functions (floor, round, ...) have zero gradients, recorded as functions of the upstream gradient.
"""
import autograd

# name: (function, domain). "open unit" is (-0.9, 0.9); "above one" is (1.3, 3). Each runs on (2, 3) and 0-d.
UNARY = {
    "log1p": (autograd.log1p, "any above -1"),
    "expm1": (autograd.expm1, "any"),
    "erf": (autograd.erf, "any"),
    "erfc": (autograd.erfc, "any"),
    "erfinv": (autograd.erfinv, "open unit"),
    "exp2": (autograd.exp2, "any"),
    "log2": (autograd.log2, "positive"),
    "log10": (autograd.log10, "positive"),
    "logit": (autograd.logit, "unit"),
    "logit(eps=0.2)": (lambda x: autograd.logit(x, eps=0.2), "unit"),
    "sinc": (autograd.sinc, "any"),
    "tan": (autograd.tan, "open unit"),
    "asin": (autograd.asin, "open unit"),
    "arcsin": (autograd.arcsin, "open unit"),
    "acos": (autograd.acos, "open unit"),
    "arccos": (lambda x: x.arccos(), "open unit"),
    "atan": (autograd.atan, "any"),
    "arctan": (autograd.arctan, "any"),
    "sinh": (autograd.sinh, "any"),
    "cosh": (autograd.cosh, "any"),
    "asinh": (autograd.asinh, "any"),
    "arcsinh": (autograd.arcsinh, "any"),
    "acosh": (autograd.acosh, "above one"),
    "arccosh": (autograd.arccosh, "above one"),
    "atanh": (autograd.atanh, "open unit"),
    "arctanh": (lambda x: x.arctanh(), "open unit"),
    "reciprocal": (autograd.reciprocal, "nonzero"),
    "rsqrt": (autograd.rsqrt, "positive"),
    "negative": (autograd.negative, "any"),
    "floor": (autograd.floor, "any"),
    "ceil": (autograd.ceil, "any"),
    "round": (autograd.round, "any"),
    "round(decimals=1)": (lambda x: autograd.round(x, decimals=1), "any"),
    "trunc": (autograd.trunc, "any"),
    "fix": (lambda x: x.fix(), "any"),
    "frac": (autograd.frac, "any"),
    "clamp_min(0.1)": (lambda x: autograd.clamp_min(x, 0.1), "any"),
    "clamp_max(0.1)": (lambda x: x.clamp_max(0.1), "any"),
    "exp(sinh(x)) chain": (lambda x: autograd.exp(autograd.sinh(x)) * autograd.atan(x), "any"),
}
SHAPES = {"2x3": (2, 3), "0d": ()}


def _leaf(m, shape, domain):
    if domain == "any above -1":
        return m.leaf(values=m.array(shape, "any") * 0.45)  # (-0.9, 0.9)
    if domain == "open unit":
        return m.leaf(values=m.array(shape, "any") * 0.45)
    if domain == "above one":
        return m.leaf(values=1.0 + m.array(shape, "positive"))
    return m.leaf(*shape, domain=domain)


def register(case, Maker):
    for name, (fn, domain) in UNARY.items():
        for label, shape in SHAPES.items():
            def build(m, fn=fn, shape=shape, domain=domain):
                x = _leaf(m, shape, domain)
                return [x], fn(x)

            case(f"{name}[{label}]")(build)

    # ------------------------------------------------------------------ binary, broadcasting
    @case("atan2 (2,3),(3,)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3, domain="nonzero")
        return [a, b], autograd.atan2(a, b)

    @case("atan2 ()(2,1)")
    def _(m):
        a, b = m.leaf(), m.leaf(2, 1, domain="nonzero")
        return [a, b], a.atan2(b)

    @case("arctan2 (1,3),(2,1) mixed dtypes")
    def _(m):
        a, b = m.leaf(1, 3), m.leaf(2, 1, domain="nonzero", dtype=m.other)
        return [a, b], autograd.arctan2(a, b)

    @case("hypot (2,1,3),(4,1)")
    def _(m):
        a, b = m.leaf(2, 1, 3, domain="nonzero"), m.leaf(4, 1, domain="nonzero")
        return [a, b], autograd.hypot(a, b)

    @case("hypot ()()")
    def _(m):
        a, b = m.leaf(domain="nonzero"), m.leaf(domain="nonzero")
        return [a, b], a.hypot(b)

    @case("logaddexp (2,3),(3,)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3)
        return [a, b], autograd.logaddexp(a, b)

    @case("logaddexp ()(2,2)")
    def _(m):
        a, b = m.leaf(), m.leaf(2, 2)
        return [a, b], a.logaddexp(b)

    @case("logaddexp2 (2,1),(1,3)")
    def _(m):
        a, b = m.leaf(2, 1), m.leaf(1, 3)
        return [a, b], autograd.logaddexp2(a, b)

    @case("xlogy (2,3),(3,)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3, domain="positive")
        return [a, b], autograd.xlogy(a, b)

    @case("xlogy with zeros in x")
    def _(m):
        a, b = m.leaf(values=[[0.0, 1.5, -0.5], [0.0, 0.0, 2.0]]), m.leaf(2, 3, domain="positive")
        return [a, b], autograd.xlogy(a, b)

    @case("xlogy number,(2,3)")
    def _(m):
        b = m.leaf(2, 3, domain="positive")
        return [b], autograd.xlogy(2.5, b)

    @case("xlogy (2,3),number")
    def _(m):
        a = m.leaf(2, 3)
        return [a], a.xlogy(3.0)

    @case("copysign (2,3),(3,)")
    def _(m):
        a, b = m.leaf(2, 3, domain="nonzero"), m.leaf(3, domain="nonzero")
        return [a, b], autograd.copysign(a, b)

    @case("copysign ()(2,)")
    def _(m):
        a, b = m.leaf(domain="nonzero"), m.leaf(2, domain="nonzero")
        return [a, b], a.copysign(b)

    @case("copysign number")
    def _(m):
        a = m.leaf(2, 3, domain="nonzero")
        return [a], autograd.copysign(a, -1.0)

    @case("fmod (2,3),(3,)")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3, domain="nonzero")
        return [a, b], autograd.fmod(a, b)

    @case("fmod number")
    def _(m):
        a = m.leaf(2, 3)
        return [a], a.fmod(0.7)

    @case("lerp number weight")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(3)
        return [a, b], autograd.lerp(a, b, 0.3)

    @case("lerp number weight above 1/2")
    def _(m):
        a, b = m.leaf(2, 3), m.leaf(2, 3)
        return [a, b], a.lerp(b, 0.8)

    @case("lerp tensor weight (2,1,3),(3,),(4,1)")
    def _(m):
        a, b, w = m.leaf(2, 1, 3), m.leaf(3), m.leaf(4, 1, domain="unit")
        return [a, b, w], autograd.lerp(a, b, w)

    @case("lerp tensor weight ()()()")
    def _(m):
        a, b, w = m.leaf(), m.leaf(), m.leaf(domain="unit")
        return [a, b, w], autograd.lerp(a, b, w)

    @case("clamp_min tensor (2,3),(3,)")
    def _(m):
        a, low = m.leaf(2, 3), m.leaf(3)
        return [a, low], autograd.clamp_min(a, low)

    @case("clamp_max tensor (2,3),(2,1)")
    def _(m):
        a, high = m.leaf(2, 3), m.leaf(2, 1)
        return [a, high], a.clamp_max(high)
