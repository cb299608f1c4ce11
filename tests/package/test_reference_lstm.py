"""The reference LSTM (lessons 05-06) against autograd and central differences.

The independent model below is written from the lessons' equations with autograd.numpy, not from
the reference code, and it does not stack [a_prev; xt]: each gate weight W (n_a, n_a + n_x) is
split into the block acting on a_prev (its first n_a columns) and the block acting on xt,

    f = sigmoid(Wf_a a_prev + Wf_x xt + bf), i and o alike, c~ = tanh(Wc_a a_prev + Wc_x xt + bc),
    c = f * c_prev + i * c~,  a = o * tanh(c),  y = softmax(Wy a + by),  c<0> = 0.

The forward functions must give its values and gates; every gradient the backward functions
return must equal (1) autograd's exact gradient of a loss built on the model, to rounding
(relative error < 1e-10), and (2) the central-difference gradient of the same loss computed with
the reference forward pass (relative error < 1e-7), on random shapes with all sizes different and
the size-1 edge cases.
"""

import re

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from rnn_utils import ShapeError, initialize_lstm_parameters, numerical_gradient, relative_error
from rnn_utils.reference import (
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    softmax_cross_entropy,
)

EXACT = 1e-10  # against autograd: both are exact up to rounding
CENTRAL = 1e-7  # against central differences, whose error is O(eps^2) plus rounding / eps
GATES = ("f", "i", "c", "o")
LSTM_NAMES = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
GATE_INPUT_OF = {f"d{p}{g}": f"{p}{g}" for g in GATES for p in ("W", "b")}  # dWf -> Wf, ...

# Which input each returned gradient is the gradient of.
CELL_INPUT_OF = {"dxt": "xt", "da_prev": "a_prev", "dc_prev": "c_prev", **GATE_INPUT_OF}
SEQUENCE_INPUT_OF = {"dx": "x", "da0": "a0", **GATE_INPUT_OF}
CACHE_LAYOUT = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt",
                "parameters")

# (n_x, n_a, n_y, m): all different, then m = 1, n_x = 1, n_a = 1
CELL_SHAPES = [(3, 5, 2, 4), (2, 3, 4, 1), (1, 4, 2, 3), (3, 1, 2, 2)]
# (n_x, n_a, n_y, m, T_x, weight scale): all different, T_x = 1, m = 1, n_x = 1, n_a = 1, and a
# longer sequence with larger weights (saturating gates, a memory carried over 8 steps)
SEQUENCE_SHAPES = [(3, 5, 2, 4, 6, 1.0), (2, 3, 4, 5, 1, 1.0), (4, 2, 3, 1, 3, 1.0),
                   (1, 3, 2, 2, 4, 1.0), (2, 1, 3, 3, 4, 1.0), (2, 3, 2, 2, 8, 2.5)]


# --- the independent model, in autograd.numpy -----------------------------------------------------

def autograd_sigmoid(z):
    return 0.5 * (anp.tanh(z / 2) + 1)  # = 1 / (1 + exp(-z)), written another way


def autograd_gate(W, b, a_prev, xt, squash):
    """squash(W [a_prev; xt] + b) without stacking: W's first n_a columns act on a_prev (n_a, m),
    the others on xt (n_x, m). Returns (n_a, m)."""
    n_a = a_prev.shape[0]
    return squash(anp.dot(W[:, :n_a], a_prev) + anp.dot(W[:, n_a:], xt) + b)


def autograd_step(xt, a_prev, c_prev, p):
    """One LSTM step from xt (n_x, m), a_prev and c_prev (n_a, m) with the parameters dict p:
    a dict of a_next, c_next, yt_pred and the gates ft, it, cct, ot (each (n_a, m) or (n_y, m))."""
    ft = autograd_gate(p["Wf"], p["bf"], a_prev, xt, autograd_sigmoid)
    it = autograd_gate(p["Wi"], p["bi"], a_prev, xt, autograd_sigmoid)
    cct = autograd_gate(p["Wc"], p["bc"], a_prev, xt, anp.tanh)
    ot = autograd_gate(p["Wo"], p["bo"], a_prev, xt, autograd_sigmoid)
    c_next = ft * c_prev + it * cct
    a_next = ot * anp.tanh(c_next)
    return {"a_next": a_next, "c_next": c_next, "yt_pred": autograd_softmax(
        anp.dot(p["Wy"], a_next) + p["by"]), "ft": ft, "it": it, "cct": cct, "ot": ot}


def autograd_softmax(z):
    exp_shifted = anp.exp(z - anp.max(z, axis=0, keepdims=True))
    return exp_shifted / anp.sum(exp_shifted, axis=0, keepdims=True)


def autograd_sequence(x, a0, p):
    """Every step of x (n_x, m, T_x) from a0 (n_a, m) and c<0> = 0: the list of step dicts."""
    steps, a_t, c_t = [], a0, anp.zeros(a0.shape)
    for t in range(x.shape[2]):
        step = autograd_step(x[:, :, t], a_t, c_t, p)
        a_t, c_t = step["a_next"], step["c_next"]
        steps.append(step)
    return steps


def stacked(steps, key):
    """The values of one key of every step dict, stacked along a last time axis."""
    return anp.stack([step[key] for step in steps], axis=2)


def autograd_scores(a, Wy, by):
    """z<t> = Wy a<t> + by of every step of a (n_a, m, T_x): (n_y, m, T_x)."""
    return anp.stack([anp.dot(Wy, a[:, :, t]) + by for t in range(a.shape[2])], axis=2)


def autograd_cross_entropy(z, y):
    """-(1/m) sum y log softmax(z), from the scores z (n_y, m, T_x), through a log-softmax."""
    shifted = z - anp.max(z, axis=0, keepdims=True)
    log_probabilities = shifted - anp.log(anp.sum(anp.exp(shifted), axis=0, keepdims=True))
    return -anp.sum(y * log_probabilities) / z.shape[1]


def autograd_gradients(loss, inputs, names):
    """autograd's gradient of loss(inputs) with respect to inputs[name], by name."""
    def loss_of(name):
        return lambda value: loss(dict(inputs, **{name: value}))
    return {name: grad(loss_of(name))(inputs[name]) for name in names}


def central_differences(reference_loss, inputs, names):
    """rnn_utils.numerical_gradient of reference_loss(inputs) with respect to inputs[name];
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

def random_parameters(n_x, n_a, n_y, rng, scale=1.0):
    """LSTM parameters with non-zero biases (so that they matter), from the generator rng."""
    parameters = initialize_lstm_parameters(n_x, n_a, n_y, seed=int(rng.integers(1000)),
                                            scale=scale)
    for name in ("bf", "bi", "bc", "bo", "by"):
        parameters[name] = rng.standard_normal(parameters[name].shape)
    return parameters


def parameters_of(inputs):
    return {name: inputs[name] for name in LSTM_NAMES}


def cell_problem(shape, seed):
    """inputs xt, a_prev, c_prev and the parameters (one dict), and a rng for more."""
    n_x, n_a, n_y, m = shape
    rng = np.random.default_rng(seed)
    inputs = {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.standard_normal((n_a, m)),
              "c_prev": 2 * rng.standard_normal((n_a, m)),
              **random_parameters(n_x, n_a, n_y, rng, scale=1.5)}
    return inputs, rng


def sequence_problem(shape, seed):
    """inputs x, a0 and the parameters (one dict), and an upstream gradient da (n_a, m, T_x)."""
    n_x, n_a, n_y, m, T_x, scale = shape
    rng = np.random.default_rng(seed)
    inputs = {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m)),
              **random_parameters(n_x, n_a, n_y, rng, scale)}
    return inputs, rng.standard_normal((n_a, m, T_x))


def reference_forward(inputs):
    return lstm_forward(inputs["x"], inputs["a0"], parameters_of(inputs))


def assert_close(got, want, name):
    """Forward values: the same arithmetic in another order, so equal to rounding."""
    assert got.shape == want.shape, f"{name}: shape {got.shape}, expected {want.shape}"
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, err_msg=name)


def assert_cache_holds(cache, step, xt, a_prev, c_prev, parameters):
    """A step cache is (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), its
    values those of the independent model's step dict."""
    assert isinstance(cache, tuple) and len(cache) == len(CACHE_LAYOUT), "cache layout"
    given = dict(step, a_prev=a_prev, c_prev=c_prev, xt=xt)
    for name, value in zip(CACHE_LAYOUT[:-1], cache[:-1]):
        assert_close(value, given[name], f"cache entry {name}")
    assert set(cache[-1]) == set(LSTM_NAMES), "cache[9] holds the parameters"
    for name in LSTM_NAMES:
        np.testing.assert_array_equal(cache[-1][name], parameters[name], err_msg=name)


# --- lstm_cell_forward and lstm_forward -----------------------------------------------------------

@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_lstm_cell_forward_equals_the_independent_model(shape):
    inputs, _ = cell_problem(shape, seed=1)
    parameters = parameters_of(inputs)
    a_next, c_next, yt_pred, cache = lstm_cell_forward(inputs["xt"], inputs["a_prev"],
                                                       inputs["c_prev"], parameters)
    step = autograd_step(inputs["xt"], inputs["a_prev"], inputs["c_prev"], parameters)
    for name, value in (("a_next", a_next), ("c_next", c_next), ("yt_pred", yt_pred)):
        assert_close(value, step[name], name)
    assert_cache_holds(cache, step, inputs["xt"], inputs["a_prev"], inputs["c_prev"], parameters)


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_lstm_forward_equals_the_independent_model(shape):
    inputs, _ = sequence_problem(shape, seed=2)
    a, y, c, caches = reference_forward(inputs)
    steps = autograd_sequence(inputs["x"], inputs["a0"], parameters_of(inputs))
    for name, value, key in (("a", a, "a_next"), ("y", y, "yt_pred"), ("c", c, "c_next")):
        assert_close(value, stacked(steps, key), name)
    step_caches, x = caches
    assert x is inputs["x"] and isinstance(step_caches, list) and len(step_caches) == shape[4]
    a_prev, c_prev = inputs["a0"], np.zeros_like(inputs["a0"])  # c<0> = 0
    for t, (cache, step) in enumerate(zip(step_caches, steps)):
        assert_cache_holds(cache, step, inputs["x"][:, :, t], a_prev, c_prev,
                           parameters_of(inputs))
        a_prev, c_prev = step["a_next"], step["c_next"]


def test_lstm_forward_starts_from_an_empty_memory():
    # c<0> = 0: the first step equals lstm_cell_forward with c_prev = 0, and not with c_prev = a0
    inputs, _ = sequence_problem((3, 5, 2, 4, 3, 1.0), seed=3)
    a, _, c, _ = reference_forward(inputs)
    cell = lstm_cell_forward(inputs["x"][:, :, 0], inputs["a0"], np.zeros((5, 4)),
                             parameters_of(inputs))
    np.testing.assert_array_equal(a[:, :, 0], cell[0])
    np.testing.assert_array_equal(c[:, :, 0], cell[1])
    assert relative_error(c[:, :, 0], lstm_cell_forward(
        inputs["x"][:, :, 0], inputs["a0"], inputs["a0"], parameters_of(inputs))[1]) > 1e-3


def test_lstm_forward_reproduces_the_published_figures():
    # The seed's test inputs, drawn in its order from the legacy generator seeded with 1.
    rng = np.random.RandomState(1)
    x, a0 = rng.randn(3, 10, 7), rng.randn(5, 10)
    order = (("Wf", (5, 8)), ("bf", (5, 1)), ("Wi", (5, 8)), ("bi", (5, 1)), ("Wo", (5, 8)),
             ("bo", (5, 1)), ("Wc", (5, 8)), ("bc", (5, 1)), ("Wy", (2, 5)), ("by", (2, 1)))
    parameters = {name: rng.randn(*shape) for name, shape in order}
    a, y, c, _ = lstm_forward(x, a0, parameters)
    assert a[4][3][6] == pytest.approx(0.172117767533, abs=1e-12)
    assert y[1][4][3] == pytest.approx(0.95087346185, abs=1e-11)
    assert c[1][2][1] == pytest.approx(-0.855544916718, abs=1e-12)


# --- lstm_cell_backward ---------------------------------------------------------------------------

def cell_loss_weights(inputs, rng):
    """The upstream gradients da_next and dc_next, each (n_a, m)."""
    shape = inputs["a_prev"].shape
    return rng.standard_normal(shape), rng.standard_normal(shape)


def reference_cell_backward(inputs, da_next, dc_next):
    cache = lstm_cell_forward(inputs["xt"], inputs["a_prev"], inputs["c_prev"],
                              parameters_of(inputs))[3]
    return lstm_cell_backward(da_next, dc_next, cache)


@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_lstm_cell_backward_equals_autograd(shape):
    inputs, rng = cell_problem(shape, seed=10)
    da_next, dc_next = cell_loss_weights(inputs, rng)

    def loss(values):  # L = sum(da_next * a_next) + sum(dc_next * c_next)
        step = autograd_step(values["xt"], values["a_prev"], values["c_prev"], values)
        return anp.sum(da_next * step["a_next"]) + anp.sum(dc_next * step["c_next"])

    expected = autograd_gradients(loss, inputs, CELL_INPUT_OF.values())
    computed = reference_cell_backward(inputs, da_next, dc_next)
    assert_gradients_match(computed, expected, CELL_INPUT_OF, EXACT, "autograd")


@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_lstm_cell_backward_equals_central_differences(shape):
    inputs, rng = cell_problem(shape, seed=11)
    da_next, dc_next = cell_loss_weights(inputs, rng)

    def reference_loss(values):
        a_next, c_next, _, _ = lstm_cell_forward(values["xt"], values["a_prev"],
                                                 values["c_prev"], parameters_of(values))
        return np.sum(da_next * a_next) + np.sum(dc_next * c_next)

    expected = central_differences(reference_loss, inputs, CELL_INPUT_OF.values())
    computed = reference_cell_backward(inputs, da_next, dc_next)
    assert_gradients_match(computed, expected, CELL_INPUT_OF, CENTRAL, "central differences")


# --- lstm_backward --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_lstm_backward_equals_autograd(shape):
    inputs, da = sequence_problem(shape, seed=20)

    def loss(values):  # L = sum(da * a) over every step
        return anp.sum(da * stacked(autograd_sequence(values["x"], values["a0"], values),
                                    "a_next"))

    expected = autograd_gradients(loss, inputs, SEQUENCE_INPUT_OF.values())
    caches = reference_forward(inputs)[3]
    assert_gradients_match(lstm_backward(da, caches), expected, SEQUENCE_INPUT_OF, EXACT,
                           "autograd")


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_lstm_backward_equals_central_differences(shape):
    inputs, da = sequence_problem(shape, seed=21)

    def reference_loss(values):
        return np.sum(da * reference_forward(values)[0])

    expected = central_differences(reference_loss, inputs, SEQUENCE_INPUT_OF.values())
    caches = reference_forward(inputs)[3]
    assert_gradients_match(lstm_backward(da, caches), expected, SEQUENCE_INPUT_OF, CENTRAL,
                           "central differences")


def one_hot_targets(rng, n_y, m, T_x):
    """One class per example and step, as one-hot columns: (n_y, m, T_x)."""
    return np.moveaxis(np.eye(n_y)[rng.integers(n_y, size=(m, T_x))], 2, 0)


def reference_model_gradients(inputs, targets):
    """The loss of the whole model and lstm_backward's gradients, by the chain lstm_forward ->
    softmax_cross_entropy -> da<t> = Wy^T dz<t> at every step -> lstm_backward."""
    a, y, _, caches = reference_forward(inputs)
    loss, dz = softmax_cross_entropy(y, targets)  # dz: (n_y, m, T_x)
    da = np.einsum("yn,ymt->nmt", inputs["Wy"], dz)  # (n_a, m, T_x): Wy^T dz<t> at every t
    return loss, lstm_backward(da, caches)


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_lstm_backward_gives_the_gradients_of_the_model_loss(shape):
    inputs, _ = sequence_problem(shape, seed=30)
    n_x, n_a, n_y, m, T_x, _ = shape
    targets = one_hot_targets(np.random.default_rng(31), n_y, m, T_x)

    def loss(values):  # softmax cross-entropy of the scores Wy a<t> + by
        a = stacked(autograd_sequence(values["x"], values["a0"], values), "a_next")
        return autograd_cross_entropy(autograd_scores(a, values["Wy"], values["by"]), targets)

    reference_loss, computed = reference_model_gradients(inputs, targets)
    assert reference_loss == pytest.approx(loss(inputs), rel=1e-12)
    expected = autograd_gradients(loss, inputs, SEQUENCE_INPUT_OF.values())
    assert_gradients_match(computed, expected, SEQUENCE_INPUT_OF, EXACT, "autograd")
    expected = central_differences(lambda values: reference_model_gradients(values, targets)[0],
                                   inputs, ("Wf", "x"))  # two of them suffice here
    assert_gradients_match({"dWf": computed["dWf"], "dx": computed["dx"]}, expected,
                           {"dWf": "Wf", "dx": "x"}, CENTRAL, "central differences")


def test_the_comparison_rejects_a_backward_pass_without_the_memory_carry():
    # The seed's error: da carried back in time, dc not. On a sequence it must fail the check.
    inputs, da = sequence_problem((3, 5, 2, 4, 6, 1.0), seed=40)
    step_caches = reference_forward(inputs)[3][0]
    carried, dWf = np.zeros((5, 4)), 0
    for t in reversed(range(6)):
        gradients = lstm_cell_backward(da[:, :, t] + carried, np.zeros((5, 4)), step_caches[t])
        carried, dWf = gradients["da_prev"], dWf + gradients["dWf"]

    def loss(values):
        return anp.sum(da * stacked(autograd_sequence(values["x"], values["a0"], values),
                                    "a_next"))

    exact = autograd_gradients(loss, inputs, ("Wf",))
    with pytest.raises(AssertionError, match="dWf: relative error"):
        assert_gradients_match({"dWf": dWf}, exact, {"dWf": "Wf"}, EXACT, "autograd")


# --- wrong arguments are named --------------------------------------------------------------------

def valid_arguments():
    """Right arguments of the four functions: n_x = 3, n_a = 5, n_y = 2, m = 4, T_x = 6."""
    inputs, da = sequence_problem((3, 5, 2, 4, 6, 1.0), seed=50)
    parameters = parameters_of(inputs)
    caches = reference_forward(inputs)[3]
    return {
        "lstm_cell_forward": {"xt": inputs["x"][:, :, 0], "a_prev": inputs["a0"],
                              "c_prev": np.zeros((5, 4)), "parameters": parameters},
        "lstm_forward": {"x": inputs["x"], "a0": inputs["a0"], "parameters": parameters},
        "lstm_cell_backward": {"da_next": da[:, :, 0], "dc_next": da[:, :, 1],
                               "cache": caches[0][0]},
        "lstm_backward": {"da": da, "caches": caches},
    }


FUNCTIONS = {f.__name__: f for f in (lstm_cell_forward, lstm_forward, lstm_cell_backward,
                                     lstm_backward)}
LAYOUT = re.escape("(" + ", ".join(CACHE_LAYOUT) + ")")


def with_entry(cache, index, value):
    """cache with entry `index` replaced."""
    return cache[:index] + (value,) + cache[index + 1:]


def with_step(caches, t, step):
    """caches with step cache t replaced."""
    return (caches[0][:t] + [step] + caches[0][t + 1:], caches[1])


def with_parameter(parameters, name, value):
    return dict(parameters, **{name: value})


def expected_shape(dims, sizes):
    return re.escape(f"but shape {dims} = {sizes} was expected")


WRONG_ARGUMENTS = [
    ("lstm_cell_forward", "xt", lambda args: np.zeros((2, 4)), ShapeError,
     r"xt has shape \(2, 4\) " + expected_shape("(n_x, m)", "(3, m)")),
    ("lstm_cell_forward", "a_prev", lambda args: np.zeros((5, 3)), ShapeError,
     r"a_prev has shape \(5, 3\) " + expected_shape("(n_a, m)", "(5, 4)")),
    ("lstm_cell_forward", "c_prev", lambda args: np.zeros((4, 4)), ShapeError,
     r"c_prev has shape \(4, 4\) " + expected_shape("(n_a, m)", "(5, 4)")),
    ("lstm_cell_forward", "c_prev", lambda args: np.zeros(5), ShapeError,
     r"c_prev has shape \(5,\) \(1 dimension\)"),
    ("lstm_cell_forward", "parameters",
     lambda args: with_parameter(args["parameters"], "Wf", np.zeros((5, 7))), ShapeError,
     r"parameters\['Wf'\] has shape \(5, 7\) " + expected_shape("(n_a, n_a+n_x)", "(5, 8)")),
    ("lstm_cell_forward", "parameters",
     lambda args: with_parameter(args["parameters"], "Wf", np.zeros((4, 8))), ShapeError,
     r"parameters\['Wf'\] has shape \(4, 8\) " + expected_shape("(n_a, n_a+n_x)", "(5, 8)")),
    ("lstm_cell_forward", "parameters",
     lambda args: with_parameter(args["parameters"], "bo", np.zeros((1, 5))), ShapeError,
     r"parameters\['bo'\] has shape \(1, 5\) " + expected_shape("(n_a, 1)", "(5, 1)")),
    ("lstm_cell_forward", "parameters",
     lambda args: {k: v for k, v in args["parameters"].items() if k != "Wc"}, KeyError,
     r"parameters is missing Wc"),
    ("lstm_forward", "x", lambda args: np.zeros((2, 4, 6)), ShapeError,
     r"x has shape \(2, 4, 6\) " + expected_shape("(n_x, m, T_x)", "(3, m, T_x)")),
    ("lstm_forward", "x", lambda args: np.zeros((3, 4)), ShapeError,
     r"x has shape \(3, 4\) \(2 dimensions\)"),
    ("lstm_forward", "a0", lambda args: np.zeros((5, 3)), ShapeError,
     r"a0 has shape \(5, 3\) " + expected_shape("(n_a, m)", "(5, 4)")),
    ("lstm_forward", "parameters",
     lambda args: with_parameter(args["parameters"], "Wi", np.zeros((5, 3))), ShapeError,
     r"parameters\['Wi'\] has shape \(5, 3\) " + expected_shape("(n_a, n_a+n_x)", "(5, 8)")),
    ("lstm_forward", "parameters",
     lambda args: with_parameter(args["parameters"], "Wy", np.zeros((2, 4))), ShapeError,
     r"parameters\['Wy'\] has shape \(2, 4\) " + expected_shape("(n_y, n_a)", "(2, 5)")),
    ("lstm_cell_backward", "da_next", lambda args: np.zeros((4, 4)), ShapeError,
     r"da_next has shape \(4, 4\) " + expected_shape("(n_a, m)", "(5, 4)")),
    ("lstm_cell_backward", "dc_next", lambda args: np.zeros((5, 3)), ShapeError,
     r"dc_next has shape \(5, 3\) " + expected_shape("(n_a, m)", "(5, 4)")),
    ("lstm_cell_backward", "cache", lambda args: args["cache"][:9], TypeError,
     rf"cache must be a tuple {LAYOUT}, got a tuple of 9 entries"),
    ("lstm_cell_backward", "cache", lambda args: list(args["cache"]), TypeError,
     rf"cache must be a tuple {LAYOUT}, got a list of 10 entries"),
    ("lstm_cell_backward", "cache", lambda args: with_entry(args["cache"], 3, np.zeros((4, 4))),
     ShapeError, r"cache\[3\] \(c_prev\) has shape \(4, 4\) " + expected_shape("(n_a, m)",
                                                                               "(5, 4)")),
    ("lstm_cell_backward", "cache", lambda args: with_entry(args["cache"], 6, np.zeros((5, 3))),
     ShapeError, r"cache\[6\] \(cct\) has shape \(5, 3\) " + expected_shape("(n_a, m)",
                                                                            "(5, 4)")),
    ("lstm_cell_backward", "cache", lambda args: with_entry(args["cache"], 8, np.zeros((2, 4))),
     ShapeError, r"cache\[8\] \(xt\) has shape \(2, 4\) " + expected_shape("(n_x, m)", "(3, 4)")),
    ("lstm_cell_backward", "cache", lambda args: with_entry(
        args["cache"], 9, with_parameter(args["cache"][9], "Wf", np.zeros((5, 7)))), ShapeError,
     r"cache\[9\]\['Wf'\] \(parameters\['Wf'\]\) has shape \(5, 7\) "
     + expected_shape("(n_a, n_a+n_x)", "(5, 8)")),
    ("lstm_backward", "da", lambda args: args["da"][:, :, :5], ShapeError,
     r"da has shape \(5, 4, 5\) " + expected_shape("(n_a, m, T_x)", "(5, 4, 6)")),
    ("lstm_backward", "caches", lambda args: (*args["caches"], None), TypeError,
     r"caches must be a tuple \(list of step caches, x\), got a tuple of 3 entries"),
    ("lstm_backward", "caches", lambda args: (args["caches"][0], args["caches"][1][:2]),
     ShapeError, r"caches\[1\] \(x\) has shape \(2, 4, 6\) " + expected_shape("(n_x, m, T_x)",
                                                                               "(3, 4, 6)")),
    ("lstm_backward", "caches", lambda args: with_step(args["caches"], 2, args["caches"][0][2][:9]),
     TypeError, rf"caches\[0\]\[2\] must be a tuple {LAYOUT}, got a tuple of 9 entries"),
    ("lstm_backward", "caches", lambda args: with_step(
        args["caches"], 4, with_entry(args["caches"][0][4], 3, np.zeros((5, 3)))), ShapeError,
     r"caches\[0\]\[4\]\[3\] \(c_prev\) has shape \(5, 3\) " + expected_shape("(n_a, m)",
                                                                               "(5, 4)")),
    ("lstm_backward", "caches", lambda args: with_step(args["caches"], 1, with_entry(
        args["caches"][0][1], 9, with_parameter(args["caches"][0][1][9], "Wo", np.zeros((5, 9))))),
     ShapeError, r"caches\[0\]\[1\]\[9\]\['Wo'\] \(parameters\['Wo'\]\) has shape \(5, 9\) "
     + expected_shape("(n_a, n_a+n_x)", "(5, 8)")),
]


@pytest.mark.parametrize("function_name, argument, corrupt, error, message", WRONG_ARGUMENTS)
def test_a_wrong_argument_is_named_with_its_shape_and_the_expected_one(
        function_name, argument, corrupt, error, message):
    arguments = valid_arguments()[function_name]
    FUNCTIONS[function_name](**arguments)  # right as given ...
    arguments[argument] = corrupt(arguments)
    with pytest.raises(error, match=f"{function_name}: {message}"):  # ... and named when wrong
        FUNCTIONS[function_name](**arguments)
