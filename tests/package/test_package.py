"""Unit tests of the learner-facing helpers: activations, shapes, parameters, gradient checking."""

import warnings

import numpy as np
import pytest

from rnn_utils import (
    ShapeError,
    check_shape,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
    numerical_gradient,
    relative_error,
    sigmoid,
    softmax,
)
from rnn_utils.params import LSTM_SHAPES, RNN_SHAPES
from rnn_utils.shapes import check_parameters

# --- activations -------------------------------------------------------------------------------

def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 121).reshape(11, 11)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_sigmoid_of_huge_inputs_is_exact_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        s = sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    np.testing.assert_array_equal(s, [0.0, 0.0, 0.5, 1.0, 1.0])


def test_softmax_columns_are_distributions_and_shift_invariant():
    z = np.random.default_rng(0).standard_normal((4, 6))
    p = softmax(z)
    assert p.shape == (4, 6)
    np.testing.assert_allclose(p.sum(axis=0), np.ones(6))
    np.testing.assert_allclose(softmax(z + np.arange(6) * 100.0), p)  # per-column shift
    expected = np.exp(z[:, 2]) / np.exp(z[:, 2]).sum()
    np.testing.assert_allclose(p[:, 2], expected)


def test_softmax_of_large_scores_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(np.array([[1000.0, -1000.0], [1001.0, -1001.0]]))
    np.testing.assert_allclose(p[:, 0], [1 / (1 + np.e), np.e / (1 + np.e)])
    assert np.all(np.isfinite(p))


def test_softmax_rejects_a_vector_naming_the_argument():
    with pytest.raises(ShapeError, match=r"softmax: z has shape \(3,\).*\(n_y, m\)"):
        softmax(np.zeros(3))


# --- shapes ------------------------------------------------------------------------------------

def test_check_shape_binds_names_and_reports_argument_shape_and_expectation():
    sizes = check_shape(np.zeros((5, 10)), ("n_a", "m"), "a_prev")
    assert sizes == {"n_a": 5, "m": 10}
    with pytest.raises(ShapeError) as error:
        check_shape(np.zeros((10, 5)), ("n_a", "m"), "a_next", sizes, where="rnn_cell_forward")
    message = str(error.value)
    assert message.startswith("rnn_cell_forward: a_next has shape (10, 5)")
    assert "(n_a, m) = (5, 10)" in message


def test_check_shape_counts_dimensions_and_types():
    with pytest.raises(ShapeError, match=r"\(4,\) \(1 dimension\) but shape \(n_a, 1\)"):
        check_shape(np.zeros(4), ("n_a", 1), "ba")
    with pytest.raises(TypeError, match="ba must be a NumPy array"):
        check_shape([[0.0]], ("n_a", 1), "ba")


def test_a_vector_bias_is_refused_rather_than_broadcast():
    # (n_a,) + (n_a, m) broadcasts along the wrong axis when m == n_a: a silent wrong answer.
    parameters = initialize_rnn_parameters(3, 4, 2)
    parameters["ba"] = np.zeros(4)
    with pytest.raises(ShapeError, match=r"parameters\['ba'\] has shape \(4,\)"):
        check_parameters(parameters, RNN_SHAPES)


def test_stacked_dimension_of_the_lstm_weights_must_add_up():
    parameters = initialize_lstm_parameters(3, 5, 2)
    assert check_parameters(parameters, LSTM_SHAPES) == {"n_a": 5, "n_x": 3, "n_y": 2}
    parameters["Wo"] = np.zeros((5, 7))
    with pytest.raises(ShapeError, match=r"parameters\['Wo'\].*\(n_a, n_a\+n_x\) = \(5, 8\)"):
        check_parameters(parameters, LSTM_SHAPES)


def test_missing_parameter_is_named():
    parameters = initialize_rnn_parameters(3, 4, 2)
    del parameters["Waa"]
    with pytest.raises(KeyError, match="Waa"):
        check_parameters(parameters, RNN_SHAPES)


# --- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("initialize, shapes", [
    (initialize_rnn_parameters, {"Wax": (5, 3), "Waa": (5, 5), "Wya": (2, 5), "ba": (5, 1),
                                 "by": (2, 1)}),
    (initialize_lstm_parameters, {**{f"W{g}": (5, 8) for g in "fico"},
                                  **{f"b{g}": (5, 1) for g in "fico"},
                                  "Wy": (2, 5), "by": (2, 1)}),
])
def test_initialisation_shapes_and_seeding(initialize, shapes):
    first, again = initialize(3, 5, 2, seed=7), initialize(3, 5, 2, seed=7)
    other = initialize(3, 5, 2, seed=8)
    assert {k: v.shape for k, v in first.items()} == shapes
    for name in shapes:
        np.testing.assert_array_equal(first[name], again[name])
    assert not np.allclose(first[next(iter(shapes))], other[next(iter(shapes))])
    assert all(not first[name].any() for name in shapes if name.startswith("b"))


def test_initialisation_scale_is_one_over_square_root_of_fan_in():
    parameters = initialize_rnn_parameters(400, 300, 2, seed=0, scale=2.0)
    assert parameters["Wax"].std() == pytest.approx(2.0 / np.sqrt(400), rel=0.02)
    assert parameters["Waa"].std() == pytest.approx(2.0 / np.sqrt(300), rel=0.02)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_initialisation_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="n_a must be a positive integer"):
        initialize_rnn_parameters(3, bad, 2)


# --- gradient checking -------------------------------------------------------------------------

def test_numerical_gradient_of_a_known_function_and_x_is_restored():
    x = np.random.default_rng(1).standard_normal((3, 4))
    original = x.copy()
    grad = numerical_gradient(lambda v: np.sum(np.sin(v) * v**2), x)
    np.testing.assert_allclose(grad, np.cos(x) * x**2 + 2 * x * np.sin(x), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(x, original)


def test_numerical_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda v: 0.0, np.zeros(3, dtype=np.float32))


def test_relative_error_is_scale_free_and_cannot_cancel():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(1e-9 * a, 1e-9 * (a + 1e-3)) == pytest.approx(relative_error(a, a + 1e-3))
    # errors of opposite sign: a signed sum of differences is 0, the relative error is not
    wrong = a + np.array([0.5, -0.5, 0.0])
    assert np.sum(a - wrong) == 0.0
    assert relative_error(a, wrong) > 0.05


def test_relative_error_needs_equal_shapes():
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))
