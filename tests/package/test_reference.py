"""The reference implementations against an independent model written with autograd.

The independent model below is written from the lesson's equations with autograd.numpy, not
from the reference code. The tests check that (1) both compute the same values, and (2) the
central-difference gradients of the reference equal autograd's exact gradients of the
independent model, on random shapes including the size-1 edge cases.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from rnn_utils import ShapeError, initialize_rnn_parameters, numerical_gradient, relative_error
from rnn_utils.reference import rnn_cell_forward, rnn_forward

RNN_NAMES = ("Wax", "Waa", "Wya", "ba", "by")
# (n_x, n_a, n_y, m, T_x): all different, then the size-1 edge cases
SHAPES = [(3, 5, 2, 4, 6), (1, 2, 3, 1, 1), (4, 3, 1, 2, 3), (2, 1, 2, 3, 2)]


def independent_softmax(z):
    exp_shifted = anp.exp(z - anp.max(z, axis=0, keepdims=True))
    return exp_shifted / anp.sum(exp_shifted, axis=0, keepdims=True)


def independent_rnn(x, a0, Wax, Waa, Wya, ba, by):
    """a<t> = tanh(Wax x<t> + Waa a<t-1> + ba), y<t> = softmax(Wya a<t> + by), stacked on axis 2."""
    states, predictions, a_t = [], [], a0
    for t in range(x.shape[2]):
        a_t = anp.tanh(anp.dot(Wax, x[:, :, t]) + anp.dot(Waa, a_t) + ba)
        states.append(a_t)
        predictions.append(independent_softmax(anp.dot(Wya, a_t) + by))
    return anp.stack(states, axis=2), anp.stack(predictions, axis=2)


def random_problem(shape, seed):
    n_x, n_a, n_y, m, T_x = shape
    rng = np.random.default_rng(seed)
    parameters = initialize_rnn_parameters(n_x, n_a, n_y, seed=seed, scale=1.5)
    parameters["ba"] = rng.standard_normal((n_a, 1))  # non-zero biases, so they matter
    parameters["by"] = rng.standard_normal((n_y, 1))
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    # a random linear loss L = sum(weight_a * a) + sum(weight_y * y_pred) reaches every output
    weight_a, weight_y = rng.standard_normal((n_a, m, T_x)), rng.standard_normal((n_y, m, T_x))
    return x, a0, parameters, weight_a, weight_y


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_forward_values_match_the_independent_model(shape):
    x, a0, parameters, _, _ = random_problem(shape, seed=1)
    a, y_pred, (caches, x_cached) = rnn_forward(x, a0, parameters)
    a_expected, y_expected = independent_rnn(x, a0, *(parameters[k] for k in RNN_NAMES))
    np.testing.assert_allclose(a, a_expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y_pred, y_expected, rtol=1e-12, atol=1e-14)
    assert len(caches) == shape[4] and x_cached is x


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_cell_forward_is_one_step_of_the_independent_model(shape):
    x, a0, parameters, _, _ = random_problem(shape, seed=2)
    a_next, yt_pred, cache = rnn_cell_forward(x[:, :, 0], a0, parameters)
    a_expected, y_expected = independent_rnn(x[:, :, :1], a0, *(parameters[k] for k in RNN_NAMES))
    np.testing.assert_allclose(a_next, a_expected[:, :, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(yt_pred, y_expected[:, :, 0], rtol=1e-12, atol=1e-14)
    assert cache[0] is a_next and cache[1] is a0 and cache[3] is parameters
    np.testing.assert_array_equal(cache[2], x[:, :, 0])


@pytest.mark.parametrize("shape", SHAPES)
def test_rnn_forward_gradients_agree_with_autograd(shape):
    x, a0, parameters, weight_a, weight_y = random_problem(shape, seed=3)
    inputs = {"x": x, "a0": a0, **parameters}
    names = list(inputs)

    def independent_loss(*values):
        a, y_pred = independent_rnn(*values)
        return anp.sum(weight_a * a) + anp.sum(weight_y * y_pred)

    def reference_loss(_):  # reads the perturbed inputs[name]
        a, y_pred, _ = rnn_forward(inputs["x"], inputs["a0"], {k: inputs[k] for k in RNN_NAMES})
        return np.sum(weight_a * a) + np.sum(weight_y * y_pred)

    for position, name in enumerate(names):
        exact = grad(independent_loss, position)(*(inputs[k] for k in names))
        numerical = numerical_gradient(reference_loss, inputs[name])
        assert relative_error(exact, numerical) < 1e-7, name


# --- a wrong shape is named where it enters ------------------------------------------------------

def _cell_arguments():
    x, a0, parameters, _, _ = random_problem((3, 5, 2, 4, 6), seed=4)
    return {"xt": x[:, :, 0], "a_prev": a0, "parameters": parameters}


@pytest.mark.parametrize("argument, bad_shape, expected", [
    ("xt", (4, 4), r"xt has shape \(4, 4\) but shape \(n_x, m\) = \(3, m\)"),
    ("a_prev", (4, 5), r"a_prev has shape \(4, 5\) but shape \(n_a, m\) = \(5, 4\)"),
    ("a_prev", (5, 3), r"a_prev has shape \(5, 3\) but shape \(n_a, m\) = \(5, 4\)"),
    ("Waa", (5, 3), r"parameters\['Waa'\] has shape \(5, 3\) but shape \(n_a, n_a\) = \(5, 5\)"),
    ("ba", (5,), r"parameters\['ba'\] has shape \(5,\) \(1 dimension\)"),
    ("by", (1, 2), r"parameters\['by'\] has shape \(1, 2\) but shape \(n_y, 1\) = \(2, 1\)"),
])
def test_rnn_cell_forward_names_a_wrong_shape(argument, bad_shape, expected):
    arguments = _cell_arguments()
    target = arguments["parameters"] if argument in RNN_NAMES else arguments
    target[argument] = np.zeros(bad_shape)
    with pytest.raises(ShapeError, match="rnn_cell_forward: " + expected):
        rnn_cell_forward(**arguments)


@pytest.mark.parametrize("argument, bad_shape, expected", [
    ("x", (3, 4), r"x has shape \(3, 4\) \(2 dimensions\) but shape \(n_x, m, T_x\)"),
    ("x", (2, 4, 6), r"x has shape \(2, 4, 6\) but shape \(n_x, m, T_x\) = \(3, m, T_x\)"),
    ("a0", (5, 7), r"a0 has shape \(5, 7\) but shape \(n_a, m\) = \(5, 4\)"),
])
def test_rnn_forward_names_a_wrong_shape(argument, bad_shape, expected):
    x, a0, parameters, _, _ = random_problem((3, 5, 2, 4, 6), seed=5)
    arguments = {"x": x, "a0": a0, "parameters": parameters}
    arguments[argument] = np.zeros(bad_shape)
    with pytest.raises(ShapeError, match="rnn_forward: " + expected):
        rnn_forward(**arguments)


def test_a_list_instead_of_an_array_is_a_type_error():
    arguments = _cell_arguments()
    arguments["xt"] = arguments["xt"].tolist()
    with pytest.raises(TypeError, match="rnn_cell_forward: xt must be a NumPy array"):
        rnn_cell_forward(**arguments)
