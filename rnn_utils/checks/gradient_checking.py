"""Check of lesson 03's ``numerical_gradient(f, x, eps)``: central differences.

The cases estimate gradients of small functions of x with 1, 2 and 3 axes (so that looping
over the first axis only fails), and one with eps = 1e-3 (so that ignoring eps fails). Each
known mistake is a tiny function computing what a numerical_gradient with that mistake returns.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check


# Functions whose gradients the numerical_gradient cases estimate. Module-level functions of
# the array alone, so that a case can be copied and rerun.
def sum_of_sines(x):
    """sum(sin(x) * x^2): every entry has its own, curved, partial derivative."""
    return float(np.sum(np.sin(x) * x**2))


def quadratic_form(x):
    """x^T A x with a fixed non-symmetric A (3 x 3): the gradient (A + A^T) x mixes entries."""
    matrix = np.arange(9.0).reshape(3, 3) / 4 - 1
    return float(x.ravel() @ matrix @ x.ravel())


def rnn_step_loss(x):
    """A loss of an RNN step whose Waa is x (4, 4): how the course uses gradient checking."""
    rng = np.random.default_rng(7)  # the function's own constants, the same in every case
    xt, a_prev = rng.standard_normal((3, 2)), np.tanh(rng.standard_normal((4, 2)))
    a_next = np.tanh(rng.standard_normal((4, 3)) @ xt + x @ a_prev)
    return float(np.sum(a_next * rng.standard_normal((4, 2))))


def numerical_gradient_cases():
    """The Cases of numerical_gradient: arguments f, x, eps (x of 1, 2 and 3 axes)."""
    rng = case_rng(700)
    rows = (
        ("x of shape (5,)", sum_of_sines, rng.standard_normal(5), 1e-6),
        ("x of shape (3, 4)", sum_of_sines, rng.standard_normal((3, 4)), 1e-6),
        ("x of shape (2, 3, 2)", sum_of_sines, rng.standard_normal((2, 3, 2)), 1e-6),
        ("x of shape (3,), a quadratic form", quadratic_form, rng.standard_normal(3), 1e-6),
        ("x = Waa of an RNN step, shape (4, 4)", rnn_step_loss, rng.standard_normal((4, 4)),
         1e-6),
        ("x of shape (2, 3), eps=1e-3", sum_of_sines, rng.standard_normal((2, 3)), 1e-3),
    )
    return [Case(text, {"f": f, "x": x, "eps": eps}, {}) for text, f, x, eps in rows]


# ---- Known mistakes: each returns what a numerical_gradient with that mistake returns. -----


def _differences(f, x, eps, quotient):
    """Perturb each entry of x (a float64 copy) by +eps and -eps; grad[i] =
    quotient(f(x + eps e_i), f(x - eps e_i), f(x), eps)."""
    f_at_x, grad = float(f(x)), np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = quotient(f_plus, f_minus, f_at_x, eps)
    return grad


def _one_sided(f, x, eps=1e-6):
    return _differences(f, x, eps, lambda plus, minus, at_x, eps: (plus - at_x) / eps)


def _divided_by_eps(f, x, eps=1e-6):
    return _differences(f, x, eps, lambda plus, minus, at_x, eps: (plus - minus) / eps)


def _float32_copy(f, x, eps=1e-6):
    """The central differences taken on a float32 copy of x: x + eps is rounded."""
    return _differences(f, x.astype(np.float32), eps,
                        lambda plus, minus, at_x, eps: (plus - minus) / (2 * eps))


def _all_entries_at_once(f, x, eps=1e-6):
    """Every entry moved at once: one number, the derivative along (1, 1, ..., 1)."""
    return (float(f(x + eps)) - float(f(x - eps))) / (2 * eps)


def _first_axis_only(f, x, eps=1e-6):
    """x[i] perturbs a whole slice along the first axis; its estimate fills the slice."""
    grad = np.zeros(x.shape)
    for i in range(x.shape[0]):
        original = x[i].copy()
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _fixed_eps(fixed):
    """The correct central differences with eps = ``fixed`` whatever eps is passed."""
    return lambda f, x, eps=1e-6: reference.numerical_gradient(f, x, fixed)


EPS_IGNORED = ("the eps passed in is not used (a fixed step instead?): use the argument eps in "
               "both the perturbation and the division by 2 * eps.")

NUMERICAL_GRADIENT_MISTAKES = (
    Mistake("float32_copy", "x is copied to float32: with ~7 significant digits, x + eps is "
            "rounded and the differences f(x + eps) - f(x - eps) are mostly rounding error. "
            "Work on x itself (float64), restoring each entry.", _float32_copy),
    Mistake("divided_by_eps", "the difference is divided by eps: the two points are 2 * eps "
            "apart, so grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 * eps).", _divided_by_eps),
    Mistake("one_sided_difference", "this is the one-sided difference (f(x + eps) - f(x)) / eps, "
            "whose error is O(eps). Use the central difference: (f(x + eps e_i) - "
            "f(x - eps e_i)) / (2 * eps), error O(eps^2).", _one_sided),
    Mistake("all_entries_at_once", "every entry is perturbed at once (x + eps), giving one "
            "number. Perturb one entry at a time: for index in np.ndindex(x.shape).",
            _all_entries_at_once),
    Mistake("first_axis_only", "only the first axis is looped over: x[i] is a whole slice when "
            "x has several axes. Loop over every entry: for index in np.ndindex(x.shape), "
            "then x[index].", _first_axis_only),
    *(Mistake("eps_ignored", EPS_IGNORED, _fixed_eps(fixed))
      for fixed in (1e-6, 1e-7, 1e-5, 1e-4, 1e-8)),
)

X_NOT_RESTORED = (
    "x_not_restored",
    "x[index] is not restored after the two evaluations. numerical_gradient may perturb x in "
    "place, but must put every entry back (keep the original value in a variable, then "
    "x[index] = original) before moving on: the next entries, and the caller, need the true x.",
)

NUMERICAL_GRADIENT = Exercise("numerical_gradient", numerical_gradient_cases,
                              mistakes=NUMERICAL_GRADIENT_MISTAKES,
                              aspects="1-3 axes, values, eps used, x restored",
                              input_hints={"x": X_NOT_RESTORED})


def check_numerical_gradient(numerical_gradient):
    """Check a student's ``numerical_gradient(f, x, eps)``; CheckFailure if wrong."""
    run_check(NUMERICAL_GRADIENT, numerical_gradient)
