"""Real data for the 1-D experiments: points (x, f(x)) of a function on a domain.

Every target, built in or typed by a user, is an expression in x read by a whitelist
parser. The parsed tree is evaluated with NumPy (metrics, charts) or with TensorFlow
(inside the compiled training loop), so one definition serves both. Nothing a user
types reaches eval/exec: `ast.parse` only builds a tree, and `_evaluate` walks it,
accepting numbers, x, pi, e, + - * / ** (or ^), parentheses and a fixed set of
functions.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

MAX_EXPRESSION_LENGTH = 200
MAX_DEPTH = 30
MAX_ABS_VALUE = 100  # |f(x)| at most this on the domain, and where f is defined just past its ends
MAX_DOMAIN = 1000  # low and high lie in [-MAX_DOMAIN, MAX_DOMAIN]
MARGIN = 0.1  # generated points stray past the domain and are scored there: check f that far out too

# name -> (numpy function, name of the TensorFlow function in tf.math)
FUNCTIONS = {
    "sin": (np.sin, "sin"),
    "cos": (np.cos, "cos"),
    "tan": (np.tan, "tan"),
    "exp": (np.exp, "exp"),
    "log": (np.log, "log"),
    "sqrt": (np.sqrt, "sqrt"),
    "abs": (np.abs, "abs"),
    "tanh": (np.tanh, "tanh"),
    "sinh": (np.sinh, "sinh"),
    "cosh": (np.cosh, "cosh"),
    "arctan": (np.arctan, "atan"),
    "sign": (np.sign, "sign"),
}
CONSTANTS = {"pi": np.pi, "e": np.e}
# np.float64 numbers overflow to inf (refused later) where Python floats would raise.
NUMPY_FUNCTIONS = {k: v[0] for k, v in FUNCTIONS.items()} | {"number": np.float64}
ALLOWED = (
    "numbers, x, pi, e, + - * / ** (or ^), parentheses and the functions "
    + ", ".join(sorted(FUNCTIONS))
)


class ExpressionError(ValueError):
    """A user expression that is refused; the message says what is allowed."""


def parse_expression(text: str) -> ast.Expression:
    """Parse `text` into a tree that uses only whitelisted nodes, or raise ExpressionError."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"Type an expression in x, for example 0.3*sin(6*x) + x**2. Allowed: {ALLOWED}.")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"The expression is {len(text)} characters long; at most {MAX_EXPRESSION_LENGTH} are allowed.")
    if text.count("(") > MAX_DEPTH:
        raise ExpressionError(f"Too many parentheses (at most {MAX_DEPTH}).")
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError) as err:
        raise ExpressionError(f"Could not read '{text}': {getattr(err, 'msg', err)}. Allowed: {ALLOWED}.") from None
    _check(tree.body, 0)
    return tree


def _check(node: ast.AST, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"The expression is nested too deeply (at most {MAX_DEPTH} levels).")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"'{node.value!r}' is not a number. Allowed: {ALLOWED}.")
        if isinstance(node.value, int) and abs(node.value) > 10**15:
            raise ExpressionError(f"The number {node.value} is too large (at most 1e15).")
    elif isinstance(node, ast.Name):
        if node.id != "x" and node.id not in CONSTANTS:
            raise ExpressionError(f"Unknown name '{node.id}'. Allowed: {ALLOWED}.")
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
        _check(node.left, depth + 1)
        _check(node.right, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        _check(node.operand, depth + 1)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise ExpressionError(f"'{name}' is not an allowed function. Allowed: {ALLOWED}.")
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(f"{node.func.id}() takes exactly one argument, for example {node.func.id}(x).")
        _check(node.args[0], depth + 1)
    else:
        raise ExpressionError(f"'{ast.unparse(node)}' is not allowed. Allowed: {ALLOWED}.")


def _evaluate(node: ast.AST, x, functions):
    """Walk a checked tree; `functions` maps a whitelisted name (and "number") to a callable."""
    if isinstance(node, ast.Constant):
        return functions["number"](node.value)
    if isinstance(node, ast.Name):
        return x if node.id == "x" else functions["number"](CONSTANTS[node.id])
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, x, functions)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Call):
        return functions[node.func.id](_evaluate(node.args[0], x, functions))
    left = _evaluate(node.left, x, functions)
    right = _evaluate(node.right, x, functions)
    op = type(node.op)
    if op is ast.Add:
        return left + right
    if op is ast.Sub:
        return left - right
    if op is ast.Mult:
        return left * right
    if op is ast.Div:
        return left / right
    return left**right


@dataclass(frozen=True)
class Target:
    """y = f(x) on [low, high]; a real sample is (x, f(x)) with x uniform on the domain."""

    expression: str
    low: float = -0.5
    high: float = 0.5
    name: str = ""
    mixture = False  # not a Gaussian mixture (a PointSet may be): no mode scores
    dims = 2  # a sample is (x, f(x))
    scores = ("curve_error", "coverage", "energy", "outside")  # the main one first (metrics.METRIC_LABELS)

    def __post_init__(self):
        tree = parse_expression(self.expression)
        object.__setattr__(self, "_tree", tree)
        low, high = self.low, self.high
        if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
            raise ExpressionError(f"The domain [{low}, {high}] is empty: low must be below high.")
        if not -MAX_DOMAIN <= low < high <= MAX_DOMAIN:
            raise ExpressionError(f"The domain [{low:g}, {high:g}] is too wide: keep low and high "
                                  f"from {-MAX_DOMAIN} to {MAX_DOMAIN}.")
        domain, bound = f"[{low:g}, {high:g}]", f"|f(x)| at most {MAX_ABS_VALUE}"
        grid = np.linspace(low, high, 2001)
        y = self.f(grid)
        # float32, as the training loop computes f: 1e200/1e200 is 1 in float64 but nan there
        bad = ~np.isfinite(y) | ~np.isfinite(self.f(grid, np.float32))
        if bad.any():
            raise ExpressionError(f"'{self.expression}' is not finite on {domain} (for example at "
                                  f"x = {grid[bad][0]:.4g}); f must be defined, with {bound}, on the whole domain.")
        if np.abs(y).max() > MAX_ABS_VALUE:
            raise ExpressionError(f"'{self.expression}' reaches {np.abs(y).max():.3g} on {domain}; "
                                  f"keep {bound} on the domain.")
        # just past the ends f may be undefined (metrics then use the nearest end) but not huge
        step = MARGIN * (high - low)
        edges = np.concatenate([np.linspace(low - step, low, 201), np.linspace(high, high + step, 201)])
        y = np.abs(self.f(edges))
        big = np.isfinite(y) & (y > MAX_ABS_VALUE)
        if big.any():
            x = edges[big][np.argmax(y[big])]
            raise ExpressionError(
                f"'{self.expression}' reaches {y[big].max():.3g} at x = {x:.4g}, just outside {domain}, where "
                f"generated points stray; keep {bound} on the domain and, where f is defined, "
                f"up to {step:.3g} beyond its ends."
            )

    @property
    def label(self) -> str:
        return self.name or f"f(x) = {self.expression}"

    def f(self, x: np.ndarray, dtype=np.float64) -> np.ndarray:
        """f(x) in NumPy (float64 unless told); non-finite values come back as nan/inf, never an exception."""
        x = np.asarray(x, dtype=dtype)
        with np.errstate(all="ignore"):
            y = _evaluate(self._tree.body, x, NUMPY_FUNCTIONS | {"number": dtype})
        return np.broadcast_to(np.asarray(y, dtype=dtype), x.shape).copy()

    def tf_f(self, x):
        """f(x) with TensorFlow ops, for the compiled training loop."""
        import tensorflow as tf

        functions = {k: getattr(tf.math, v[1]) for k, v in FUNCTIONS.items()}
        functions["number"] = lambda value: tf.constant(value, dtype=x.dtype)
        y = _evaluate(self._tree.body, x, functions)
        return tf.broadcast_to(tf.cast(y, x.dtype), tf.shape(x))

    def sample_real(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n real samples (x, f(x)), shape (n, 2), float32."""
        x = rng.uniform(self.low, self.high, size=n)
        return np.stack([x, self.f(x)], axis=1).astype(np.float32)

    def curve(self, n: int = 200) -> np.ndarray:
        """The curve itself on the domain, for charts: shape (n, 2)."""
        x = np.linspace(self.low, self.high, n)
        return np.stack([x, self.f(x)], axis=1)

    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x limits, y limits) around the curve, with room for samples that stray: the charts' axes
        and the plane of the discriminator's heat map."""
        curve = self.curve(400)
        width = self.high - self.low
        y_low, y_high = float(curve[:, 1].min()), float(curve[:, 1].max())
        y_pad = max((y_high - y_low) * 0.35, 0.05)
        return ((round(self.low - 0.35 * width, 3), round(self.high + 0.35 * width, 3)),
                (round(y_low - y_pad, 3), round(y_high + y_pad, 3)))


# name -> (expression, low, high): the tutorial's x² first and default.
BUILTIN_TARGETS = {
    "x^2": ("x**2", -0.5, 0.5),
    "sine": ("0.5*sin(2*pi*x)", -1.0, 1.0),
    "gaussian": ("exp(-x**2/(2*0.2**2))", -1.0, 1.0),
    "multimodal": ("2*x**4 - 2*x**2", -1.2, 1.2),
    "abs": ("abs(x)", -0.5, 0.5),
    "x^3": ("x**3", -1.0, 1.0),
}
DEFAULT_TARGET = "x^2"


def get_target(name: str = DEFAULT_TARGET, expr: str | None = None, low: float | None = None,
               high: float | None = None) -> Target:
    """A built-in target by name, or a user's expression when name is 'custom'.

    low/high override the built-in domain when given.
    """
    if name == "custom":
        return Target(expr or "", -0.5 if low is None else low, 0.5 if high is None else high)
    if name not in BUILTIN_TARGETS:
        raise ExpressionError(f"Unknown target '{name}'. Choose one of: {', '.join(BUILTIN_TARGETS)}, custom.")
    expression, default_low, default_high = BUILTIN_TARGETS[name]
    return Target(expression, default_low if low is None else low, default_high if high is None else high, name=name)


def sample_noise(n: int, rng: np.random.Generator, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """The discriminator lab's fake source: uniform points in the box [low, high]²."""
    return rng.uniform(low, high, size=(n, 2)).astype(np.float32)
