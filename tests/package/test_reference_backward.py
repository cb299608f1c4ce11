"""The reference backward functions (lessons 03-04) against autograd and central differences.

The independent model below is written from the lessons' equations with autograd.numpy, not from
the reference code: a<t> = tanh(Wax x<t> + Waa a<t-1> + ba), z<t> = Wya a<t> + by, and the
cross-entropy of softmax(z). Every gradient the reference returns must equal (1) autograd's exact
gradient of a loss built on that model, to rounding (relative error < 1e-10), and (2) the
central-difference gradient of the same loss computed with the reference forward pass
(relative error < 1e-7), on random shapes with all sizes different and the size-1 edge cases.
"""


import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from rnn_utils import ShapeError, initialize_rnn_parameters, numerical_gradient, relative_error
from rnn_utils.reference import (
    output_layer_backward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    softmax_cross_entropy,
)
from rnn_utils.signatures import RNN_CACHES, check_spec

EXACT = 1e-10  # against autograd: both are exact up to rounding
# Against central differences, whose error is O(eps^2) plus rounding / eps. The worst case is da0
# of the 9-step saturating sequence: a small gradient, so rounding / eps weighs most; it reaches
# 6e-10 with NumPy 2.4 and 1.1e-7 with NumPy < 2.3 (other tanh kernels). 1e-6 leaves a margin on
# every NumPy in range, and a wrong gradient is off by 1e-3 or more.
CENTRAL = 1e-6

# Which input each returned gradient is the gradient of.
CELL_INPUT_OF = {"dxt": "xt", "da_prev": "a_prev", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"}
SEQUENCE_INPUT_OF = {"dx": "x", "da0": "a0", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"}
OUTPUT_INPUT_OF = {"da": "a", "dWya": "Wya", "dby": "by"}
RNN_NAMES = ("Wax", "Waa", "Wya", "ba", "by")

# (n_x, n_a, n_y, m): all different, then m = 1, n_x = 1, n_a = 1
CELL_SHAPES = [(3, 5, 2, 4), (2, 3, 4, 1), (1, 4, 2, 3), (3, 1, 2, 2)]
# (n_x, n_a, n_y, m, T_x, weight scale): all different, T_x = 1, m = 1, n_a = 1, and a longer
# sequence with larger weights (a saturating tanh, gradients that grow and shrink over 9 steps)
SEQUENCE_SHAPES = [(3, 5, 2, 4, 6, 1.0), (2, 3, 4, 5, 1, 1.0), (4, 2, 3, 1, 3, 1.0),
                   (2, 1, 3, 3, 4, 1.0), (2, 3, 2, 2, 9, 2.5)]


# --- the independent model, in autograd.numpy -----------------------------------------------------

def autograd_step(xt, a_prev, Wax, Waa, ba):
    """One hidden state: tanh(Wax xt + Waa a_prev + ba), (n_a, m)."""
    return anp.tanh(anp.dot(Wax, xt) + anp.dot(Waa, a_prev) + ba)


def autograd_states(x, a0, Wax, Waa, ba):
    """The hidden states of every step of x (n_x, m, T_x) from a0 (n_a, m): (n_a, m, T_x)."""
    states, a_t = [], a0
    for t in range(x.shape[2]):
        a_t = autograd_step(x[:, :, t], a_t, Wax, Waa, ba)
        states.append(a_t)
    return anp.stack(states, axis=2)


def autograd_scores(a, Wya, by):
    """The scores z<t> = Wya a<t> + by of every step: (n_y, m, T_x)."""
    return anp.stack([anp.dot(Wya, a[:, :, t]) + by for t in range(a.shape[2])], axis=2)


def autograd_cross_entropy(z, y):
    """-(1/m) sum y log softmax(z), from the scores z (n_y, m, T_x): a log-softmax, so no
    probabilities are formed (and none rounded) on the way."""
    shifted = z - anp.max(z, axis=0, keepdims=True)
    log_probabilities = shifted - anp.log(anp.sum(anp.exp(shifted), axis=0, keepdims=True))
    return -anp.sum(y * log_probabilities) / z.shape[1]


def autograd_gradients(loss, inputs, names):
    """autograd's gradient of loss(*inputs.values()) with respect to inputs[name], by name."""
    values, positions = list(inputs.values()), {name: i for i, name in enumerate(inputs)}
    return {name: grad(loss, positions[name])(*values) for name in names}


def central_differences(reference_loss, inputs, names):
    """rnn_utils.numerical_gradient of reference_loss(inputs) with respect to inputs[name].

    reference_loss reads the arrays of the dict, which numerical_gradient perturbs in place."""
    return {name: numerical_gradient(lambda _: reference_loss(inputs), inputs[name])
            for name in names}


def assert_gradients_match(computed, expected, input_of, tolerance, against):
    """computed[key] equals expected[input_of[key]] for every key: same shape, relative error
    below tolerance. The message names the gradient and the size of the error."""
    assert set(computed) == set(input_of), f"returned keys {sorted(computed)}"
    for key, input_name in input_of.items():
        got, want = computed[key], expected[input_name]
        assert got.shape == want.shape, f"{key}: shape {got.shape}, {against} gives {want.shape}"
        error = relative_error(got, want)
        assert error < tolerance, f"{key}: relative error {error:.1e} against {against}"


# --- random problems ------------------------------------------------------------------------------

def random_problem(n_x, n_a, n_y, m, T_x, seed, scale=1.0):
    """Random x (n_x, m, T_x), a0 (n_a, m), parameters with non-zero biases, and the rng."""
    rng = np.random.default_rng(seed)
    parameters = initialize_rnn_parameters(n_x, n_a, n_y, seed=seed, scale=scale)
    parameters["ba"] = rng.standard_normal((n_a, 1))  # non-zero biases, so that they matter
    parameters["by"] = rng.standard_normal((n_y, 1))
    return rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), parameters, rng


def one_hot_targets(rng, n_y, m, T_x):
    """One class per example and step, as one-hot columns: (n_y, m, T_x)."""
    return np.moveaxis(np.eye(n_y)[rng.integers(n_y, size=(m, T_x))], 2, 0)


def reference_softmax(z):
    """Softmax down the class axis 0, with NumPy: the y_pred the reference loss takes."""
    exp_shifted = np.exp(z - z.max(axis=0, keepdims=True))
    return exp_shifted / exp_shifted.sum(axis=0, keepdims=True)


# --- rnn_cell_backward ----------------------------------------------------------------------------

def cell_problem(shape, seed):
    n_x, n_a, n_y, m = shape
    x, a_prev, parameters, rng = random_problem(n_x, n_a, n_y, m, 1, seed, scale=1.5)
    inputs = {"xt": x[:, :, 0], "a_prev": a_prev, **{k: parameters[k] for k in RNN_NAMES}}
    return inputs, rng.standard_normal((n_a, m))  # and da_next


def reference_cell_backward(inputs, da_next):
    parameters = {k: inputs[k] for k in RNN_NAMES}
    _, _, cache = rnn_cell_forward(inputs["xt"], inputs["a_prev"], parameters)
    return rnn_cell_backward(da_next, cache)


@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_rnn_cell_backward_equals_autograd(shape):
    inputs, da_next = cell_problem(shape, seed=10)

    def loss(xt, a_prev, Wax, Waa, Wya, ba, by):  # L = sum(da_next * a_next)
        return anp.sum(da_next * autograd_step(xt, a_prev, Wax, Waa, ba))

    expected = autograd_gradients(loss, inputs, CELL_INPUT_OF.values())
    computed = reference_cell_backward(inputs, da_next)
    assert_gradients_match(computed, expected, CELL_INPUT_OF, EXACT, "autograd")


@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_rnn_cell_backward_equals_central_differences(shape):
    inputs, da_next = cell_problem(shape, seed=11)

    def reference_loss(values):
        parameters = {k: values[k] for k in RNN_NAMES}
        a_next, _, _ = rnn_cell_forward(values["xt"], values["a_prev"], parameters)
        return np.sum(da_next * a_next)

    expected = central_differences(reference_loss, inputs, CELL_INPUT_OF.values())
    computed = reference_cell_backward(inputs, da_next)
    assert_gradients_match(computed, expected, CELL_INPUT_OF, CENTRAL, "central differences")


# --- rnn_backward ---------------------------------------------------------------------------------

def sequence_problem(shape, seed):
    """inputs x, a0 and the five parameters (a dict), and an upstream gradient da."""
    n_x, n_a, n_y, m, T_x, scale = shape
    x, a0, parameters, rng = random_problem(n_x, n_a, n_y, m, T_x, seed, scale)
    inputs = {"x": x, "a0": a0, **{k: parameters[k] for k in RNN_NAMES}}
    return inputs, rng.standard_normal((n_a, m, T_x))


def reference_forward(inputs):
    return rnn_forward(inputs["x"], inputs["a0"], {k: inputs[k] for k in RNN_NAMES})


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_rnn_backward_equals_autograd(shape):
    inputs, da = sequence_problem(shape, seed=20)

    def loss(x, a0, Wax, Waa, Wya, ba, by):  # L = sum(da * a) over every step
        return anp.sum(da * autograd_states(x, a0, Wax, Waa, ba))

    expected = autograd_gradients(loss, inputs, SEQUENCE_INPUT_OF.values())
    _, _, caches = reference_forward(inputs)
    assert_gradients_match(rnn_backward(da, caches), expected, SEQUENCE_INPUT_OF, EXACT,
                           "autograd")


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_rnn_backward_equals_central_differences(shape):
    inputs, da = sequence_problem(shape, seed=21)

    def reference_loss(values):
        a, _, _ = reference_forward(values)
        return np.sum(da * a)

    expected = central_differences(reference_loss, inputs, SEQUENCE_INPUT_OF.values())
    _, _, caches = reference_forward(inputs)
    assert_gradients_match(rnn_backward(da, caches), expected, SEQUENCE_INPUT_OF, CENTRAL,
                           "central differences")


def test_rnn_backward_reproduces_the_published_figures():
    # The seeds' test inputs, drawn in their order from the legacy generator seeded with 1.
    rng = np.random.RandomState(1)
    x, a0 = rng.randn(3, 10, 4), rng.randn(5, 10)
    parameters = {name: rng.randn(*shape) for name, shape in
                  (("Wax", (5, 3)), ("Waa", (5, 5)), ("Wya", (2, 5)), ("ba", (5, 1)),
                   ("by", (2, 1)))}
    _, _, caches = rnn_forward(x, a0, parameters)
    gradients = rnn_backward(rng.randn(5, 10, 4), caches)
    np.testing.assert_allclose(gradients["dx"][1][2],
                               [-2.07101689, -0.59255627, 0.02466855, 0.01483317], atol=1e-8)
    np.testing.assert_allclose(gradients["da0"][2][3], -0.31494237512664996, atol=1e-8)
    np.testing.assert_allclose(gradients["dWax"][3][1], 11.264104496527777, atol=1e-8)
    np.testing.assert_allclose(gradients["dWaa"][1][2], 2.3033331265798935, atol=1e-8)
    np.testing.assert_allclose(gradients["dba"][4], [-0.74747722], atol=1e-8)


# --- softmax_cross_entropy ------------------------------------------------------------------------

@pytest.mark.parametrize("n_y, m, T_x", [(3, 4, 5), (2, 1, 1), (4, 3, 2), (1, 2, 3)])
def test_softmax_cross_entropy_equals_autograd_from_the_scores(n_y, m, T_x):
    rng = np.random.default_rng(30)
    z = 3 * rng.standard_normal((n_y, m, T_x))  # confident and unsure predictions alike
    y = one_hot_targets(rng, n_y, m, T_x)
    loss, dz = softmax_cross_entropy(reference_softmax(z), y)
    assert isinstance(loss, float)
    assert loss == pytest.approx(autograd_cross_entropy(z, y), rel=1e-12, abs=1e-14)
    exact_dz = grad(autograd_cross_entropy)(z, y)
    assert dz.shape == exact_dz.shape
    assert relative_error(dz, exact_dz) < EXACT


def test_softmax_cross_entropy_of_a_hand_made_example():
    # Two classes, m = 2 examples, T_x = 2 steps; the probability given to the target:
    #   step 0: example 0 gives 0.8 to its class 0, example 1 gives 0.75 to its class 1;
    #   step 1: example 0 gives 0.5 to its class 1, example 1 gives 0.9 to its class 0.
    # Summed over the steps, averaged over the 2 examples:
    #   loss = -(ln 0.8 + ln 0.75 + ln 0.5 + ln 0.9) / 2 = -ln(0.8 * 0.75 * 0.5 * 0.9) / 2
    #        = -ln(0.27) / 2 = 0.6546666...
    # and dz = (y_pred - y) / 2, e.g. (0.8 - 1) / 2 = -0.1 for the class 0 of example 0, step 0.
    y_pred = np.array([[[0.8, 0.5], [0.25, 0.9]],
                       [[0.2, 0.5], [0.75, 0.1]]])  # (n_y, m, T_x) = (2, 2, 2)
    y = np.array([[[1.0, 0.0], [0.0, 1.0]],
                  [[0.0, 1.0], [1.0, 0.0]]])
    loss, dz = softmax_cross_entropy(y_pred, y)
    assert loss == pytest.approx(-np.log(0.27) / 2, rel=1e-14)
    np.testing.assert_allclose(dz, [[[-0.1, 0.25], [0.125, -0.05]],
                                    [[0.1, -0.25], [-0.125, 0.05]]], rtol=1e-14)


# --- output_layer_backward ------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_output_layer_backward_equals_autograd_and_central_differences(shape):
    n_x, n_a, n_y, m, T_x, scale = shape
    _, _, parameters, rng = random_problem(n_x, n_a, n_y, m, T_x, seed=40, scale=scale)
    inputs = {"a": np.tanh(rng.standard_normal((n_a, m, T_x))), "Wya": parameters["Wya"],
              "by": parameters["by"]}
    dz = rng.standard_normal((n_y, m, T_x))

    def loss(a, Wya, by):  # L = sum(dz * z), z = Wya a + by at every step
        return anp.sum(dz * autograd_scores(a, Wya, by))

    def numpy_loss(values):  # the same loss, with NumPy and written differently
        z = np.einsum("yn,nmt->ymt", values["Wya"], values["a"]) + values["by"][:, :, None]
        return np.sum(dz * z)

    computed = output_layer_backward(dz, inputs["a"], parameters)
    assert_gradients_match(computed, autograd_gradients(loss, inputs, OUTPUT_INPUT_OF.values()),
                           OUTPUT_INPUT_OF, EXACT,
                           "autograd")
    expected = central_differences(numpy_loss, inputs, OUTPUT_INPUT_OF.values())
    assert_gradients_match(computed, expected, OUTPUT_INPUT_OF, CENTRAL, "central differences")


# --- the whole model, end to end ------------------------------------------------------------------

FULL_INPUT_OF = dict(SEQUENCE_INPUT_OF, dWya="Wya", dby="by")


def reference_model_gradients(inputs, y):
    """The chain softmax_cross_entropy -> output_layer_backward -> rnn_backward: the loss and
    every gradient, keyed as FULL_INPUT_OF."""
    parameters = {k: inputs[k] for k in RNN_NAMES}
    a, y_pred, caches = rnn_forward(inputs["x"], inputs["a0"], parameters)
    loss, dz = softmax_cross_entropy(y_pred, y)
    output_gradients = output_layer_backward(dz, a, parameters)
    gradients = rnn_backward(output_gradients["da"], caches)  # da is the upstream gradient
    gradients.update(dWya=output_gradients["dWya"], dby=output_gradients["dby"])
    return loss, gradients


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_the_backward_chain_gives_the_gradients_of_the_model_loss(shape):
    inputs, _ = sequence_problem(shape, seed=50)
    n_x, n_a, n_y, m, T_x, _ = shape
    y = one_hot_targets(np.random.default_rng(51), n_y, m, T_x)

    def model_loss(x, a0, Wax, Waa, Wya, ba, by):
        a = autograd_states(x, a0, Wax, Waa, ba)
        return autograd_cross_entropy(autograd_scores(a, Wya, by), y)

    def reference_loss(values):
        _, y_pred, _ = reference_forward(values)
        return softmax_cross_entropy(y_pred, y)[0]

    loss, gradients = reference_model_gradients(inputs, y)
    assert loss == pytest.approx(model_loss(*inputs.values()), rel=1e-12)
    exact = autograd_gradients(model_loss, inputs, FULL_INPUT_OF.values())
    assert_gradients_match(gradients, exact, FULL_INPUT_OF, EXACT, "autograd")
    numerical = central_differences(reference_loss, inputs, FULL_INPUT_OF.values())
    assert_gradients_match(gradients, numerical, FULL_INPUT_OF, CENTRAL, "central differences")


# --- numerical_gradient ---------------------------------------------------------------------------

def wavy_loss(v):
    """sum(cos(v) * v) + (sum v)^2 / 2: curved, and the second term couples every entry."""
    return float(np.sum(np.cos(v) * v) + np.sum(v) ** 2 / 2)


def wavy_loss_gradient(v):
    return np.cos(v) - v * np.sin(v) + np.sum(v)


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 2), (1,), (1, 1, 1)])
def test_numerical_gradient_matches_the_analytic_gradient(shape):
    x = np.random.default_rng(70).standard_normal(shape)
    numerical = numerical_gradient(wavy_loss, x)
    assert numerical.shape == shape and numerical.dtype == np.float64
    assert relative_error(numerical, wavy_loss_gradient(x)) < 1e-9


def test_numerical_gradient_perturbs_x_in_place_and_restores_it_bit_for_bit():
    # Values where x + eps - eps is not x in floating point, so only a restore of the saved
    # value gives x back exactly.
    x = np.array([[0.1, 1 / 3, np.pi * 1e-7], [-2.718281828459045, 1e5 / 7, 0.3]])
    original = x.copy()
    seen = []

    def f(v):
        seen.append(v is x)  # f receives x itself, perturbed in place
        return wavy_loss(v)

    numerical_gradient(f, x, 1e-3)
    assert x.tobytes() == original.tobytes()
    assert all(seen) and len(seen) == 2 * x.size


@pytest.mark.parametrize("x", [np.zeros(3, dtype=np.float32), np.zeros(3, dtype=np.int64),
                               [0.0, 1.0]])
def test_numerical_gradient_refuses_anything_but_float64_arrays(x):
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(wavy_loss, x)


def test_numerical_gradient_uses_eps_with_an_error_of_order_eps_squared():
    # For f(x) = sum(x^3), ((x + e)^3 - (x - e)^3) / (2e) = 3x^2 + e^2 exactly: the central
    # difference is too large by e^2 at every entry, whatever x.
    x = np.random.default_rng(71).standard_normal((2, 3))
    exact = 3 * x**2
    for eps in (1e-2, 3e-3, 1e-3):
        error = numerical_gradient(lambda v: np.sum(v**3), x, eps) - exact
        np.testing.assert_allclose(error, np.full(x.shape, eps**2), rtol=1e-4)
    keyword = numerical_gradient(lambda v: np.sum(v**3), x, eps=1e-2)
    np.testing.assert_allclose(keyword - exact, np.full(x.shape, 1e-4), rtol=1e-4)


# --- a wrong argument is named, with its shape and the expected shape -----------------------------

def backward_arguments():
    """Arguments of every backward function for n_x=3, n_a=5, n_y=2, m=4, T_x=6, by name."""
    inputs, da = sequence_problem((3, 5, 2, 4, 6, 1.0), seed=80)
    a, y_pred, caches = reference_forward(inputs)
    y = one_hot_targets(np.random.default_rng(81), 2, 4, 6)
    parameters = {k: inputs[k] for k in RNN_NAMES}
    return {
        "rnn_cell_backward": {"da_next": da[:, :, 0], "cache": caches[0][0]},
        "rnn_backward": {"da": da, "caches": caches},
        "softmax_cross_entropy": {"y_pred": y_pred, "y": y},
        "output_layer_backward": {"dz": softmax_cross_entropy(y_pred, y)[1], "a": a,
                                  "parameters": parameters},
    }


FUNCTIONS = {f.__name__: f for f in (rnn_cell_backward, rnn_backward, softmax_cross_entropy,
                                     output_layer_backward)}


def replace_step_cache_entry(caches, t, index, value):
    """caches with entry `index` of step cache t replaced (nothing else changed)."""
    step_caches, x = caches
    step = list(step_caches[t])
    step[index] = value
    return ([*step_caches[:t], tuple(step), *step_caches[t + 1:]], x)


def without(parameters, key):
    return {name: value for name, value in parameters.items() if name != key}


def cell_cases():
    def cache_with(index, value):
        return lambda args: replace_step_cache_entry(([args["cache"]], None), 0, index, value)[0][0]

    return [
        ("da_next", lambda args: np.zeros((4, 4)), ShapeError,
         r"da_next has shape \(4, 4\) but shape \(n_a, m\) = \(5, 4\) was expected"),
        ("da_next", lambda args: np.zeros((5, 3)), ShapeError,
         r"da_next has shape \(5, 3\) but shape \(n_a, m\) = \(5, 4\)"),
        ("da_next", lambda args: np.zeros((5, 4, 6)), ShapeError,
         r"da_next has shape \(5, 4, 6\) \(3 dimensions\) but shape \(n_a, m\) = \(5, 4\)"),
        ("da_next", lambda args: args["da_next"].tolist(), TypeError,
         r"da_next must be a NumPy array of shape \(n_a, m\), got list"),
        ("cache", lambda args: args["cache"][:3], TypeError,
         r"cache must be a tuple \(a_next, a_prev, xt, parameters\), got a tuple of 3 entries"),
        ("cache", lambda args: list(args["cache"]), TypeError,
         r"cache must be a tuple \(a_next, a_prev, xt, parameters\), got a list of 4 entries"),
        ("cache", cache_with(0, np.zeros((4, 4))), ShapeError,
         r"cache\[0\] \(a_next\) has shape \(4, 4\) but shape \(n_a, m\) = \(5, m\)"),
        ("cache", cache_with(1, np.zeros((4, 4))), ShapeError,
         r"cache\[1\] \(a_prev\) has shape \(4, 4\) but shape \(n_a, m\) = \(5, 4\)"),
        ("cache", cache_with(2, np.zeros((2, 4))), ShapeError,
         r"cache\[2\] \(xt\) has shape \(2, 4\) but shape \(n_x, m\) = \(3, 4\)"),
        ("cache", cache_with(2, np.zeros((3, 4, 1))), ShapeError,
         r"cache\[2\] \(xt\) has shape \(3, 4, 1\) \(3 dimensions\)"),
    ]


def cell_parameter_cases():
    return [
        ("cache", lambda args: replace_step_cache_entry(
            ([args["cache"]], None), 0, 3, without(args["cache"][3], "Waa"))[0][0], KeyError,
         r"cache\[3\] \(parameters\) is missing Waa"),
        ("cache", lambda args: replace_step_cache_entry(
            ([args["cache"]], None), 0, 3, dict(args["cache"][3], Waa=np.zeros((5, 3))))[0][0],
         ShapeError, r"cache\[3\]\['Waa'\] \(parameters\['Waa'\]\) has shape \(5, 3\) but shape "
                     r"\(n_a, n_a\) = \(5, 5\)"),
        ("cache", lambda args: args["cache"][:3] + (list(args["cache"][3].values()),),
         TypeError, r"cache\[3\] \(parameters\) must be a dict, got list"),
    ]


def sequence_cases():
    def parameters_of(args):
        return args["caches"][0][0][3]

    return [
        ("da", lambda args: args["da"][:, :, :5], ShapeError,
         r"da has shape \(5, 4, 5\) but shape \(n_a, m, T_x\) = \(5, 4, 6\) was expected"),
        ("da", lambda args: np.zeros((4, 4, 6)), ShapeError,
         r"da has shape \(4, 4, 6\) but shape \(n_a, m, T_x\) = \(5, 4, 6\)"),
        ("da", lambda args: args["da"][:, :, 0], ShapeError,
         r"da has shape \(5, 4\) \(2 dimensions\) but shape \(n_a, m, T_x\) = \(5, 4, 6\)"),
        ("caches", lambda args: (*args["caches"], None), TypeError,
         r"caches must be a tuple \(list of step caches, x\), got a tuple of 3 entries"),
        ("caches", lambda args: list(args["caches"]), TypeError,
         r"caches must be a tuple \(list of step caches, x\), got a list of 2 entries"),
        ("caches", lambda args: args["caches"][0], TypeError,  # the list of step caches alone
         r"caches must be a tuple \(list of step caches, x\), got a list of 6 entries"),
        ("caches", lambda args: (args["caches"][0][:5], args["caches"][1]), ShapeError,
         r"caches\[1\] \(x\) has shape \(3, 4, 6\) but shape \(n_x, m, T_x\) = \(3, 4, 5\)"),
        ("caches", lambda args: (tuple(args["caches"][0][0]), args["caches"][1]), TypeError,
         r"caches\[0\]\[0\] must be a tuple \(a_next, a_prev, xt, parameters\), got an ndarray"),
        ("caches", lambda args: (args["caches"][1], args["caches"][1]), TypeError,
         r"caches\[0\] \(list of step caches\) must be a list of step caches, got an ndarray"),
        ("caches", lambda args: (args["caches"][0], args["caches"][1][:2]), ShapeError,
         r"caches\[1\] \(x\) has shape \(2, 4, 6\) but shape \(n_x, m, T_x\) = \(3, 4, 6\)"),
        ("caches", lambda args: replace_step_cache_entry(args["caches"], 2, 1, np.zeros((4, 4))),
         ShapeError, r"caches\[0\]\[2\]\[1\] \(a_prev\) has shape \(4, 4\) but shape \(n_a, m\) "
                     r"= \(5, 4\)"),
        ("caches", lambda args: replace_step_cache_entry(args["caches"], 5, 2, np.zeros((3, 2))),
         ShapeError, r"caches\[0\]\[5\]\[2\] \(xt\) has shape \(3, 2\) but shape \(n_x, m\) "
                     r"= \(3, 4\)"),
        ("caches", lambda args: (args["caches"][0][:3] + [args["caches"][0][3][:3]]
                                 + args["caches"][0][4:], args["caches"][1]), TypeError,
         r"caches\[0\]\[3\] must be a tuple \(a_next, a_prev, xt, parameters\), got a tuple of "
         r"3 entries"),
        ("caches", lambda args: replace_step_cache_entry(
            args["caches"], 0, 3, without(parameters_of(args), "Wya")), KeyError,
         r"caches\[0\]\[0\]\[3\] \(parameters\) is missing Wya"),
        ("caches", lambda args: replace_step_cache_entry(
            args["caches"], 1, 3, dict(parameters_of(args), ba=np.zeros(5))), ShapeError,
         r"caches\[0\]\[1\]\[3\]\['ba'\] \(parameters\['ba'\]\) has shape \(5,\) \(1 dimension\)"),
    ]


def output_cases():
    return [
        ("y", lambda args: args["y"][:, :, :5], ShapeError,
         r"y has shape \(2, 4, 5\) but shape \(n_y, m, T_x\) = \(2, 4, 6\)"),
        ("y", lambda args: args["y"][:, :3], ShapeError,
         r"y has shape \(2, 3, 6\) but shape \(n_y, m, T_x\) = \(2, 4, 6\)"),
        ("y_pred", lambda args: args["y_pred"][:, :, 0], ShapeError,
         r"y_pred has shape \(2, 4\) \(2 dimensions\) but shape \(n_y, m, T_x\)"),
        ("y_pred", lambda args: args["y_pred"].tolist(), TypeError,
         r"y_pred must be a NumPy array of shape \(n_y, m, T_x\), got list"),
    ], [
        ("dz", lambda args: args["dz"][:, :, :5], ShapeError,
         r"dz has shape \(2, 4, 5\) but shape \(n_y, m, T_x\) = \(2, 4, 6\)"),
        ("dz", lambda args: np.zeros((3, 4, 6)), ShapeError,
         r"dz has shape \(3, 4, 6\) but shape \(n_y, m, T_x\) = \(2, 4, 6\)"),
        ("a", lambda args: args["a"][:4], ShapeError,
         r"a has shape \(4, 4, 6\) but shape \(n_a, m, T_x\) = \(5, m, T_x\)"),
        ("parameters", lambda args: without(args["parameters"], "Wya"), KeyError,
         r"parameters is missing Wya"),
        ("parameters", lambda args: dict(args["parameters"], Wya=np.zeros((5, 2))), ShapeError,
         r"parameters\['Wya'\] has shape \(5, 2\) but shape \(n_y, n_a\)"),
    ]


def wrong_argument_cases():
    softmax_cases, output_layer_cases = output_cases()
    rows = [("rnn_cell_backward", *case) for case in cell_cases() + cell_parameter_cases()]
    rows += [("rnn_backward", *case) for case in sequence_cases()]
    rows += [("softmax_cross_entropy", *case) for case in softmax_cases]
    rows += [("output_layer_backward", *case) for case in output_layer_cases]
    return rows


def test_a_list_of_step_caches_of_the_wrong_length_is_named_when_t_x_is_known():
    _, caches = backward_arguments()["rnn_backward"].values()
    sizes = {"T_x": 5}  # as if an argument checked earlier had fixed T_x
    with pytest.raises(ShapeError, match=r"where: caches\[0\] \(list of step caches\) holds 6 "
                                         r"step caches but T_x = 5 steps were expected"):
        check_spec(caches, RNN_CACHES, "caches", sizes, "where")
    sizes = {}
    check_spec(caches, RNN_CACHES, "caches", sizes, "where")  # the right layout binds the sizes
    assert sizes == {"n_a": 5, "n_x": 3, "n_y": 2, "m": 4, "T_x": 6}


@pytest.mark.parametrize("function_name, argument, corrupt, error, message",
                         wrong_argument_cases())
def test_a_wrong_argument_is_named_with_its_shape_and_the_expected_one(
        function_name, argument, corrupt, error, message):
    arguments = backward_arguments()[function_name]
    arguments[argument] = corrupt(arguments)
    with pytest.raises(error, match=f"{function_name}: {message}"):
        FUNCTIONS[function_name](**arguments)


# --- the comparisons above can fail ---------------------------------------------------------------

def test_the_gradient_comparison_rejects_a_transposed_or_slightly_wrong_gradient():
    inputs, da_next = cell_problem((3, 5, 2, 4), seed=90)

    def loss(xt, a_prev, Wax, Waa, Wya, ba, by):
        return anp.sum(da_next * autograd_step(xt, a_prev, Wax, Waa, ba))

    expected = autograd_gradients(loss, inputs, CELL_INPUT_OF.values())
    computed = reference_cell_backward(inputs, da_next)
    assert_gradients_match(computed, expected, CELL_INPUT_OF, EXACT, "autograd")
    for key, wrong in (("dWaa", computed["dWaa"].T), ("dba", computed["dba"] * (1 + 1e-8)),
                       ("dxt", computed["dxt"][:, ::-1])):
        with pytest.raises(AssertionError, match=f"{key}: relative error"):
            assert_gradients_match(dict(computed, **{key: wrong}), expected, CELL_INPUT_OF,
                                   EXACT, "autograd")
    with pytest.raises(AssertionError, match="dWax: shape"):
        assert_gradients_match(dict(computed, dWax=computed["dWax"].T), expected, CELL_INPUT_OF,
                               EXACT, "autograd")
