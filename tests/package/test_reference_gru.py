"""The reference GRU (lesson 09) against autograd and central differences.

The independent model below is written from the lesson's equations with autograd.numpy, not from
the reference code, and it does not stack: each weight W (n_a, n_a + n_x) is split into the
block acting on the state (its first n_a columns) and the block acting on xt,

    z = sigmoid(Wz_a a_prev + Wz_x xt + bz),  r likewise,
    h~ = tanh(Wh_a (r * a_prev) + Wh_x xt + bh),  a = z * a_prev + (1 - z) * h~,
    y = softmax(Wy a + by).

The forward functions must give its values and gates; every gradient the backward functions
return must equal (1) autograd's exact gradient of a loss built on the model, to rounding
(relative error < 1e-10), and (2) the central-difference gradient of the same loss computed with
the reference forward pass (relative error < 1e-7), on random shapes with all sizes different and
the size-1 edge cases.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from rnn_utils import ShapeError, initialize_gru_parameters, numerical_gradient, relative_error
from rnn_utils.reference import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward

EXACT = 1e-10
CENTRAL = 1e-7
GRU_NAMES = ("Wz", "bz", "Wr", "br", "Wh", "bh", "Wy", "by")
GATE_INPUT_OF = {f"d{p}{g}": f"{p}{g}" for g in "zrh" for p in ("W", "b")}  # dWz -> Wz, ...
CELL_INPUT_OF = {"dxt": "xt", "da_prev": "a_prev", **GATE_INPUT_OF}
SEQUENCE_INPUT_OF = {"dx": "x", "da0": "a0", **GATE_INPUT_OF}
CACHE_LAYOUT = ("a_next", "a_prev", "zt", "rt", "hht", "xt", "parameters")

# (n_x, n_a, n_y, m): all different, then m = 1, n_x = 1, n_a = 1
CELL_SHAPES = [(3, 5, 2, 4), (2, 3, 4, 1), (1, 4, 2, 3), (3, 1, 2, 2)]
# (n_x, n_a, n_y, m, T_x, weight scale): all different, T_x = 1, m = 1, n_x = 1, n_a = 1, and a
# longer sequence with larger weights (saturating gates)
SEQUENCE_SHAPES = [(3, 5, 2, 4, 6, 1.0), (2, 3, 4, 5, 1, 1.0), (4, 2, 3, 1, 3, 1.0),
                   (1, 3, 2, 2, 4, 1.0), (2, 1, 3, 3, 4, 1.0), (2, 3, 2, 2, 8, 2.5)]


# --- the independent model, in autograd.numpy -----------------------------------------------------

def autograd_sigmoid(u):
    return 0.5 * (anp.tanh(u / 2) + 1)  # = 1 / (1 + exp(-u)), written another way


def autograd_step(xt, a_prev, p):
    """One GRU step: a dict of a_next, yt_pred and zt, rt, hht (each (n_a, m) or (n_y, m))."""
    n_a = a_prev.shape[0]

    def affine(name, state):
        return anp.dot(p["W" + name][:, :n_a], state) + anp.dot(p["W" + name][:, n_a:], xt) \
            + p["b" + name]

    zt = autograd_sigmoid(affine("z", a_prev))
    rt = autograd_sigmoid(affine("r", a_prev))
    hht = anp.tanh(affine("h", rt * a_prev))
    a_next = zt * a_prev + (1 - zt) * hht
    scores = anp.dot(p["Wy"], a_next) + p["by"]
    exp_shifted = anp.exp(scores - anp.max(scores, axis=0, keepdims=True))
    yt_pred = exp_shifted / anp.sum(exp_shifted, axis=0, keepdims=True)
    return {"a_next": a_next, "yt_pred": yt_pred, "zt": zt, "rt": rt, "hht": hht}


def autograd_sequence(x, a0, p):
    steps, a_t = [], a0
    for t in range(x.shape[2]):
        steps.append(autograd_step(x[:, :, t], a_t, p))
        a_t = steps[-1]["a_next"]
    return steps


def stacked(steps, key):
    return anp.stack([step[key] for step in steps], axis=2)


def autograd_gradients(loss, inputs, names):
    """autograd's gradient of loss(inputs) with respect to inputs[name], by name."""
    def loss_of(name):
        return lambda value: loss(dict(inputs, **{name: value}))
    return {name: grad(loss_of(name))(inputs[name]) for name in names}


def central_differences(reference_loss, inputs, names):
    return {name: numerical_gradient(lambda _: reference_loss(inputs), inputs[name])
            for name in names}


def assert_gradients_match(computed, expected, input_of, tolerance, against):
    assert set(computed) == set(input_of), f"returned keys {sorted(computed)}"
    for key, input_name in input_of.items():
        got, want = computed[key], expected[input_name]
        assert got.shape == want.shape, f"{key}: shape {got.shape}, {against} gives {want.shape}"
        error = relative_error(got, want)
        assert error < tolerance, f"{key}: relative error {error:.1e} against {against}"


# --- random problems ------------------------------------------------------------------------------

def random_parameters(n_x, n_a, n_y, rng, scale=1.0):
    parameters = initialize_gru_parameters(n_x, n_a, n_y, seed=int(rng.integers(1000)),
                                           scale=scale)
    for name in ("bz", "br", "bh", "by"):
        parameters[name] = rng.standard_normal(parameters[name].shape)
    return parameters


def parameters_of(inputs):
    return {name: inputs[name] for name in GRU_NAMES}


def cell_problem(shape, seed):
    n_x, n_a, n_y, m = shape
    rng = np.random.default_rng(seed)
    inputs = {"xt": rng.standard_normal((n_x, m)), "a_prev": np.tanh(rng.standard_normal((n_a, m))),
              **random_parameters(n_x, n_a, n_y, rng, scale=1.5)}
    return inputs, rng.standard_normal((n_a, m))


def sequence_problem(shape, seed):
    n_x, n_a, n_y, m, T_x, scale = shape
    rng = np.random.default_rng(seed)
    inputs = {"x": rng.standard_normal((n_x, m, T_x)), "a0": np.tanh(rng.standard_normal((n_a, m))),
              **random_parameters(n_x, n_a, n_y, rng, scale)}
    return inputs, rng.standard_normal((n_a, m, T_x))


def assert_close(got, want, name):
    assert got.shape == want.shape, f"{name}: shape {got.shape}, expected {want.shape}"
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, err_msg=name)


# --- forward ------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_gru_cell_forward_equals_the_independent_model(shape):
    inputs, _ = cell_problem(shape, seed=1)
    parameters = parameters_of(inputs)
    a_next, yt_pred, cache = gru_cell_forward(inputs["xt"], inputs["a_prev"], parameters)
    step = autograd_step(inputs["xt"], inputs["a_prev"], parameters)
    assert_close(a_next, step["a_next"], "a_next")
    assert_close(yt_pred, step["yt_pred"], "yt_pred")
    assert isinstance(cache, tuple) and len(cache) == len(CACHE_LAYOUT)
    given = dict(step, a_prev=inputs["a_prev"], xt=inputs["xt"])
    for name, value in zip(CACHE_LAYOUT[:-1], cache[:-1]):
        assert_close(value, given[name], f"cache entry {name}")
    assert cache[-1] is parameters


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_gru_forward_equals_the_independent_model(shape):
    inputs, _ = sequence_problem(shape, seed=2)
    a, y_pred, (step_caches, x) = gru_forward(inputs["x"], inputs["a0"], parameters_of(inputs))
    steps = autograd_sequence(inputs["x"], inputs["a0"], parameters_of(inputs))
    assert_close(a, stacked(steps, "a_next"), "a")
    assert_close(y_pred, stacked(steps, "yt_pred"), "y_pred")
    assert x is inputs["x"] and len(step_caches) == shape[4]
    for t, cache in enumerate(step_caches):
        assert_close(cache[2], steps[t]["zt"], f"zt of step {t}")


def test_the_reset_acts_before_the_product_not_after():
    # The reference is Cho's GRU, not PyTorch's: with a non-diagonal W_h the two forms differ.
    inputs, _ = cell_problem((3, 5, 2, 4), seed=3)
    parameters = parameters_of(inputs)
    a_next, _, (_, a_prev, zt, rt, _, xt, _) = gru_cell_forward(inputs["xt"], inputs["a_prev"],
                                                                parameters)
    Wh = parameters["Wh"]
    after = np.tanh(rt * (Wh[:, :5] @ a_prev) + Wh[:, 5:] @ xt + parameters["bh"])
    assert relative_error(a_next, zt * a_prev + (1 - zt) * after) > 1e-3


# --- backward -----------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", CELL_SHAPES)
def test_gru_cell_backward_equals_autograd_and_central_differences(shape):
    inputs, da_next = cell_problem(shape, seed=10)
    cache = gru_cell_forward(inputs["xt"], inputs["a_prev"], parameters_of(inputs))[2]
    computed = gru_cell_backward(da_next, cache)

    def loss(values):  # L = sum(da_next * a_next)
        return anp.sum(da_next * autograd_step(values["xt"], values["a_prev"], values)["a_next"])

    expected = autograd_gradients(loss, inputs, CELL_INPUT_OF.values())
    assert_gradients_match(computed, expected, CELL_INPUT_OF, EXACT, "autograd")

    def reference_loss(values):
        return np.sum(da_next * gru_cell_forward(values["xt"], values["a_prev"],
                                                 parameters_of(values))[0])

    expected = central_differences(reference_loss, inputs, CELL_INPUT_OF.values())
    assert_gradients_match(computed, expected, CELL_INPUT_OF, CENTRAL, "central differences")


@pytest.mark.parametrize("shape", SEQUENCE_SHAPES)
def test_gru_backward_equals_autograd_and_central_differences(shape):
    inputs, da = sequence_problem(shape, seed=20)
    caches = gru_forward(inputs["x"], inputs["a0"], parameters_of(inputs))[2]
    computed = gru_backward(da, caches)

    def loss(values):  # L = sum(da * a) over every step
        return anp.sum(da * stacked(autograd_sequence(values["x"], values["a0"], values),
                                    "a_next"))

    expected = autograd_gradients(loss, inputs, SEQUENCE_INPUT_OF.values())
    assert_gradients_match(computed, expected, SEQUENCE_INPUT_OF, EXACT, "autograd")

    def reference_loss(values):
        return np.sum(da * gru_forward(values["x"], values["a0"], parameters_of(values))[0])

    expected = central_differences(reference_loss, inputs, SEQUENCE_INPUT_OF.values())
    assert_gradients_match(computed, expected, SEQUENCE_INPUT_OF, CENTRAL, "central differences")


def test_the_comparison_rejects_a_backward_pass_without_the_carry():
    # Guards the tests above: a BPTT that forgets the gradient from step t+1 must fail them.
    inputs, da = sequence_problem((3, 5, 2, 4, 6, 1.0), seed=40)
    step_caches = gru_forward(inputs["x"], inputs["a0"], parameters_of(inputs))[2][0]
    dWz = sum(gru_cell_backward(da[:, :, t], step_caches[t])["dWz"] for t in range(6))

    def loss(values):
        return anp.sum(da * stacked(autograd_sequence(values["x"], values["a0"], values),
                                    "a_next"))

    exact = autograd_gradients(loss, inputs, ("Wz",))
    with pytest.raises(AssertionError, match="dWz: relative error"):
        assert_gradients_match({"dWz": dWz}, exact, {"dWz": "Wz"}, EXACT, "autograd")


# --- wrong arguments are named ------------------------------------------------------------------

def test_a_wrong_shape_is_named():
    inputs, da = sequence_problem((3, 5, 2, 4, 6, 1.0), seed=50)
    parameters = parameters_of(inputs)
    with pytest.raises(ShapeError, match=r"gru_cell_forward: xt has shape \(2, 4\)"):
        gru_cell_forward(np.zeros((2, 4)), inputs["a0"], parameters)
    with pytest.raises(ShapeError, match=r"gru_forward: parameters\['Wh'\] has shape \(5, 7\)"):
        gru_forward(inputs["x"], inputs["a0"], dict(parameters, Wh=np.zeros((5, 7))))
    caches = gru_forward(inputs["x"], inputs["a0"], parameters)[2]
    with pytest.raises(ShapeError, match=r"gru_cell_backward: da_next has shape \(4, 4\)"):
        gru_cell_backward(np.zeros((4, 4)), caches[0][0])
    with pytest.raises(TypeError, match=r"gru_cell_backward: cache must be a tuple \(a_next, "
                       r"a_prev, zt, rt, hht, xt, parameters\), got a tuple of 6 entries"):
        gru_cell_backward(da[:, :, 0], caches[0][0][:6])
    with pytest.raises(ShapeError, match=r"gru_backward: da has shape \(5, 4, 5\)"):
        gru_backward(da[:, :, :5], caches)
