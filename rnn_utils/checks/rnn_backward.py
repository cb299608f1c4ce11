"""Checks of lessons 03-04: the RNN backward pass, gradient checking, the output layer.

The cases reuse the forward checks' sizes (all different, plus size-1 edges) and build their
caches with the reference forward pass, so a case holds exactly what a forward pass stores.
"""

import numpy as np

from rnn_utils import reference
from rnn_utils.checks.framework import Case, Exercise, run_check
from rnn_utils.checks.rnn_forward import CELL_CASES, SEQUENCE_CASES, label, random_rnn_inputs

BACKWARD_ASPECTS = "shapes, values of every gradient, inputs unchanged"


def rnn_cell_backward_cases():
    """The Cases of rnn_cell_backward: arguments da_next, cache."""
    cases = []
    for seed, (n_x, n_a, n_y, m, scale, note) in enumerate(CELL_CASES, start=200):
        rng = np.random.default_rng(seed)
        xt, a_prev, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, scale=scale)
        _, _, cache = reference.rnn_cell_forward(xt, a_prev, parameters)
        da_next = rng.standard_normal((n_a, m))
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m}
        cases.append(Case(label(sizes, note), {"da_next": da_next, "cache": cache}, sizes))
    return cases


def sequence_backward_inputs(seed, n_x, n_a, n_y, m, T_x, scale):
    """da (n_a, m, T_x) and the caches of a reference forward pass, for one case."""
    rng = np.random.default_rng(seed)
    x, a0, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
    _, _, caches = reference.rnn_forward(x, a0, parameters)
    return rng.standard_normal((n_a, m, T_x)), caches


def rnn_backward_cases():
    """The Cases of rnn_backward: arguments da, caches."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=300):
        da, caches = sequence_backward_inputs(seed, n_x, n_a, n_y, m, T_x, scale)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"da": da, "caches": caches}, sizes))
    return cases


# (n_x, n_a, n_y, m, T_x, k, note): windows that divide T_x, that do not, k = 1, k >= T_x
TRUNCATED_CASES = (
    (3, 5, 2, 4, 6, 2, "k=2, three windows"),
    (4, 2, 3, 3, 7, 3, "k=3, the last window shorter"),
    (2, 3, 4, 1, 5, 1, "k=1, one example"),
    (3, 4, 2, 2, 4, 4, "k=T_x, one window"),
    (2, 3, 2, 3, 3, 10, "k>T_x"),
)


def rnn_backward_truncated_cases():
    """The Cases of rnn_backward_truncated: arguments da, caches, k."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, k, note) in enumerate(TRUNCATED_CASES, start=400):
        da, caches = sequence_backward_inputs(seed, n_x, n_a, n_y, m, T_x, 1.0)
        sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"da": da, "caches": caches, "k": k}, sizes))
    return cases


def random_targets(rng, n_y, m, T_x):
    """One-hot targets of shape (n_y, m, T_x): one class drawn per example and step."""
    classes = rng.integers(n_y, size=(m, T_x))
    return np.moveaxis(np.eye(n_y)[classes], 2, 0)  # (m, T_x, n_y) -> (n_y, m, T_x)


def softmax_cross_entropy_cases():
    """The Cases of softmax_cross_entropy: arguments y_pred, y."""
    cases = []
    for seed, (_, _, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=500):
        rng = np.random.default_rng(seed)
        scores = rng.standard_normal((n_y, m, T_x)) * 2 * scale
        y_pred = np.exp(scores) / np.sum(np.exp(scores), axis=0)  # softmax over the classes
        sizes = {"n_y": n_y, "m": m, "T_x": T_x}
        arguments = {"y_pred": y_pred, "y": random_targets(rng, n_y, m, T_x)}
        cases.append(Case(label(sizes, note if "large" not in note else "confident"), arguments,
                          sizes))
    return cases


def output_layer_backward_cases():
    """The Cases of output_layer_backward: arguments dz, a, parameters."""
    cases = []
    for seed, (n_x, n_a, n_y, m, T_x, scale, note) in enumerate(SEQUENCE_CASES, start=600):
        rng = np.random.default_rng(seed)
        _, _, parameters = random_rnn_inputs(rng, n_x, n_a, n_y, m, T_x, scale=scale)
        a = np.tanh(rng.standard_normal((n_a, m, T_x)))
        dz = rng.standard_normal((n_y, m, T_x)) / m
        sizes = {"n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
        cases.append(Case(label(sizes, note), {"dz": dz, "a": a, "parameters": parameters},
                          sizes))
    return cases


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
    rng = np.random.default_rng(7)
    xt, a_prev = rng.standard_normal((3, 2)), np.tanh(rng.standard_normal((4, 2)))
    a_next = np.tanh(rng.standard_normal((4, 3)) @ xt + x @ a_prev)
    return float(np.sum(a_next * rng.standard_normal((4, 2))))


def numerical_gradient_cases():
    """The Cases of numerical_gradient: arguments f, x, eps (x of 1, 2 and 3 axes)."""
    rng = np.random.default_rng(700)
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


RNN_CELL_BACKWARD = Exercise("rnn_cell_backward", rnn_cell_backward_cases,
                             aspects=BACKWARD_ASPECTS)
NUMERICAL_GRADIENT = Exercise("numerical_gradient", numerical_gradient_cases,
                              aspects="1-3 axes, values, eps used, x restored")
SOFTMAX_CROSS_ENTROPY = Exercise("softmax_cross_entropy", softmax_cross_entropy_cases,
                                 aspects="loss, dz, inputs unchanged")
OUTPUT_LAYER_BACKWARD = Exercise("output_layer_backward", output_layer_backward_cases,
                                 aspects=BACKWARD_ASPECTS)
RNN_BACKWARD = Exercise("rnn_backward", rnn_backward_cases, aspects=BACKWARD_ASPECTS)
RNN_BACKWARD_TRUNCATED = Exercise("rnn_backward_truncated", rnn_backward_truncated_cases,
                                  aspects=BACKWARD_ASPECTS)


def check_rnn_cell_backward(rnn_cell_backward):
    """Check a student's ``rnn_cell_backward(da_next, cache)``; CheckFailure if wrong."""
    run_check(RNN_CELL_BACKWARD, rnn_cell_backward)


def check_numerical_gradient(numerical_gradient):
    """Check a student's ``numerical_gradient(f, x, eps)``; CheckFailure if wrong."""
    run_check(NUMERICAL_GRADIENT, numerical_gradient)


def check_softmax_cross_entropy(softmax_cross_entropy):
    """Check a student's ``softmax_cross_entropy(y_pred, y)``; CheckFailure if wrong."""
    run_check(SOFTMAX_CROSS_ENTROPY, softmax_cross_entropy)


def check_output_layer_backward(output_layer_backward):
    """Check a student's ``output_layer_backward(dz, a, parameters)``; CheckFailure if wrong."""
    run_check(OUTPUT_LAYER_BACKWARD, output_layer_backward)


def check_rnn_backward(rnn_backward):
    """Check a student's ``rnn_backward(da, caches)``; the rnn_cell_backward it calls is the
    reference one during the check. CheckFailure if wrong."""
    run_check(RNN_BACKWARD, rnn_backward)


def check_rnn_backward_truncated(rnn_backward_truncated):
    """Check a student's ``rnn_backward_truncated(da, caches, k)`` (reference
    rnn_cell_backward during the check); CheckFailure if wrong."""
    run_check(RNN_BACKWARD_TRUNCATED, rnn_backward_truncated)
