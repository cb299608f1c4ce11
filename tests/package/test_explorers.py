"""Tests of rnn_utils.explorers: the gradient norms, 2-D clipping, their figures and widgets.

Runs headless: the Agg backend is selected before pyplot is imported. The gradient norms are
checked against independent computations (matrix powers, the reference BPTT, a loop written
here), and every control of the widgets is moved to see the figure drawn again.
"""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, Rectangle  # noqa: E402

from rnn_utils import (  # noqa: E402
    explorers,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
    numerical_gradient,
    viz,
)
from rnn_utils.reference import (  # noqa: E402
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)

SIZES = {"n_a": 6, "m": 3, "seed": 5}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def ratios(gradients):
    """||g_d|| / ||g_0|| for a list of (n_a, m) arrays g_0, g_1, ..."""
    return np.array([np.linalg.norm(g) for g in gradients]) / np.linalg.norm(gradients[0])


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


# --- gradient_norms -----------------------------------------------------------------------

def test_problem_scales_waa_and_is_reproducible():
    x, a0, parameters, upstream = explorers.gradient_norm_problem(2.5, 7, **SIZES)
    assert x.shape == (4, 3, 7) and a0.shape == (6, 3) and upstream.shape == (6, 3)
    base = initialize_rnn_parameters(4, 6, 3, seed=5)
    np.testing.assert_allclose(parameters["Waa"], 2.5 * base["Waa"])
    again = explorers.gradient_norm_problem(2.5, 7, **SIZES)
    np.testing.assert_array_equal(upstream, again[3])
    assert not np.allclose(upstream, explorers.gradient_norm_problem(2.5, 7, n_a=6, m=3)[3])


def test_linear_norms_are_powers_of_waa_transposed():
    scale, T = 1.3, 12
    norms = explorers.gradient_norms(scale, T, "linear", **SIZES)
    _, _, parameters, g = explorers.gradient_norm_problem(scale, T, **SIZES)
    powers = [np.linalg.matrix_power(parameters["Waa"].T, d) @ g for d in range(T)]
    assert norms.shape == (T,)
    np.testing.assert_allclose(norms, ratios(powers), rtol=1e-10)


def test_tanh_norms_match_the_reference_bptt():
    scale, T = 1.5, 9
    norms = explorers.gradient_norms(scale, T, "tanh", **SIZES)
    x, a0, parameters, g = explorers.gradient_norm_problem(scale, T, **SIZES)
    a, _, _ = rnn_forward(x, a0, parameters)  # (n_a, m, T)
    carried = [g]
    for d in range(1, T):
        # Restart from a<T-d> on the last d inputs: da0 of that run is dL/da<T-d>.
        start = T - d  # index of x<T-d+1>
        _, _, caches = rnn_forward(x[:, :, start:], a[:, :, start - 1], parameters)
        da = np.zeros((6, 3, d))
        da[:, :, -1] = g  # the loss depends on the last hidden state only
        carried.append(rnn_backward(da, caches)["da0"])
    np.testing.assert_allclose(norms, ratios(carried), rtol=1e-9)


def test_relu_norms_match_a_loop():
    scale, T = 1.2, 10
    norms = explorers.gradient_norms(scale, T, "relu", **SIZES)
    x, a_prev, p, g = explorers.gradient_norm_problem(scale, T, **SIZES)
    states = []
    for t in range(T):
        a_prev = np.maximum(p["Wax"] @ x[:, :, t] + p["Waa"] @ a_prev + p["ba"], 0.0)
        states.append(a_prev)
    carried = [g]
    for a_t in reversed(states[1:]):  # a<T>, ..., a<2>: relu'(u) = 1 exactly where a > 0
        carried.append(p["Waa"].T @ ((a_t > 0) * carried[-1]))
    np.testing.assert_allclose(norms, ratios(carried), rtol=1e-10)


def test_linear_norms_decay_for_small_and_grow_for_large_scales():
    small = explorers.gradient_norms(0.5, 40, "linear")
    large = explorers.gradient_norms(3.0, 40, "linear")
    assert small[0] == 1.0 and large[0] == 1.0
    assert np.all(np.diff(small) < 0) and small[-1] < 1e-8
    assert np.all(np.diff(large) > 0) and large[-1] > 1e8


def test_tanh_norms_vanish_for_a_small_scale():
    norms = explorers.gradient_norms(0.5, 30, "tanh")
    assert np.all(np.diff(norms) < 0) and norms[-1] < 1e-6


def test_norms_depend_on_the_activation():
    by_activation = [explorers.gradient_norms(1.5, 20, name) for name in ("tanh", "relu", "linear")]
    assert not np.allclose(by_activation[0], by_activation[1])
    assert not np.allclose(by_activation[0], by_activation[2])


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="activation"):
        explorers.gradient_norms(1.0, 5, "sigmoid")


def test_plot_gradient_norms_draws_one_line_per_scale():
    figure = explorers.plot_gradient_norms([0.5, 2.0], 15, "relu", **SIZES)
    (ax,) = figure.axes
    assert ax.get_yscale() == "log"
    lines = lines_by_label(ax)
    for scale in (0.5, 2.0):
        line = lines[f"Waa scale {scale:g}"]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(15))
        np.testing.assert_allclose(line.get_ydata(),
                                   explorers.gradient_norms(scale, 15, "relu", **SIZES))


def test_plot_gradient_norms_draws_on_the_axes_given():
    figure, ax = plt.subplots()
    assert explorers.plot_gradient_norms([1.0], 5, ax=ax) is figure


# --- clip_2d ------------------------------------------------------------------------------

def test_clip_by_value_turns_an_unequal_gradient():
    gradient = np.array([4.0, 1.0])
    clipped = explorers.clip_2d(gradient, 2.0, "value")
    np.testing.assert_allclose(clipped, [2.0, 1.0])
    assert explorers.angle_degrees(gradient, clipped) > 10.0
    np.testing.assert_array_equal(gradient, [4.0, 1.0])  # the input is not modified


def test_clip_by_norm_keeps_the_direction():
    gradient = np.array([4.0, -1.0])
    clipped = explorers.clip_2d(gradient, 2.0, "norm")
    assert np.linalg.norm(clipped) == pytest.approx(2.0)
    assert explorers.angle_degrees(gradient, clipped) == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(clipped, gradient * 2.0 / np.sqrt(17.0))


@pytest.mark.parametrize("mode", ["value", "norm"])
def test_nothing_changes_within_the_threshold(mode):
    gradient = np.array([1.2, -0.7])  # norm 1.39 < 1.5: inside the circle and the box
    clipped = explorers.clip_2d(gradient, 1.5, mode)
    np.testing.assert_array_equal(clipped, gradient)
    assert clipped is not gradient


def test_clip_modes_differ_when_the_gradient_is_inside_the_box_but_outside_the_circle():
    gradient = np.array([1.4, 1.4])  # inside the box of 1.5, norm 1.98 > 1.5
    np.testing.assert_array_equal(explorers.clip_2d(gradient, 1.5, "value"), gradient)
    assert np.linalg.norm(explorers.clip_2d(gradient, 1.5, "norm")) == pytest.approx(1.5)


def test_unknown_clip_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        explorers.clip_2d([1.0, 1.0], 1.0, "max")


def test_angle_degrees():
    assert explorers.angle_degrees([1.0, 0.0], [0.0, 3.0]) == pytest.approx(90.0)
    assert explorers.angle_degrees([1.0, 1.0], [2.0, 0.0]) == pytest.approx(45.0)
    assert explorers.angle_degrees([0.0, 0.0], [1.0, 0.0]) == 0.0


def test_plot_clipping_draws_the_arrows_box_and_circle():
    figure = explorers.plot_clipping([4.0, 1.0], 2.0)
    (ax,) = figure.axes
    lines = lines_by_label(ax)
    expected = {"original": [4.0, 1.0], "clipped by value": [2.0, 1.0],
                "clipped by norm": np.array([4.0, 1.0]) * 2.0 / np.sqrt(17.0)}
    for label, tip in expected.items():
        np.testing.assert_allclose(lines[label].get_xdata(), [0.0, tip[0]])
        np.testing.assert_allclose(lines[label].get_ydata(), [0.0, tip[1]])
    (box,) = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    assert box.get_xy() == (-2.0, -2.0) and box.get_width() == 4.0
    (circle,) = [patch for patch in ax.patches if isinstance(patch, Circle)]
    assert circle.get_radius() == 2.0
    assert "12.5°" in ax.get_title()


# --- the widgets --------------------------------------------------------------------------

def test_gradient_norm_explorer_initial_state():
    explorer = explorers.gradient_norm_explorer(scale=0.5, T=20, **SIZES)
    assert isinstance(explorer, widgets.VBox)
    assert explorer.children[:3] == (explorer.scale, explorer.steps, explorer.activation)
    assert explorer.scale.description == "Waa scale"
    assert (explorer.scale.min, explorer.scale.max) == (0.25, 3.0)
    assert (explorer.steps.min, explorer.steps.max) == (5, 100)
    assert set(explorer.activation.options) == {"tanh", "relu", "linear"}
    np.testing.assert_allclose(explorer.state["norms"],
                               explorers.gradient_norms(0.5, 20, **SIZES))
    assert not plt.get_fignums()  # shown in the output area, then closed


@pytest.mark.parametrize("control, value, expected", [
    ("scale", 2.5, (2.5, 20, "tanh")),
    ("steps", 33, (0.5, 33, "tanh")),
    ("activation", "linear", (0.5, 20, "linear")),
])
def test_gradient_norm_explorer_redraws(control, value, expected):
    explorer = explorers.gradient_norm_explorer(scale=0.5, T=20, **SIZES)
    before = explorer.state["figure"]
    before_y = before.axes[0].get_lines()[0].get_ydata()
    getattr(explorer, control).value = value
    after = explorer.state["figure"]
    assert after is not before
    line = after.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), explorers.gradient_norms(*expected, **SIZES))
    assert len(line.get_ydata()) != len(before_y) or not np.allclose(line.get_ydata(), before_y)


@pytest.mark.parametrize("control, value, expected_tip", [
    ("gradient_x", -3.0, [-2.0, 1.0]),
    ("gradient_y", 4.5, [2.0, 2.0]),
    ("threshold", 1.0, [1.0, 1.0]),
])
def test_clipping_explorer_redraws(control, value, expected_tip):
    explorer = explorers.clipping_explorer(gradient=(4.0, 1.0), threshold=2.0)
    before = explorer.state["figure"]
    getattr(explorer, control).value = value
    after = explorer.state["figure"]
    assert after is not before
    line = lines_by_label(after.axes[0])["clipped by value"]
    np.testing.assert_allclose([line.get_xdata()[1], line.get_ydata()[1]], expected_tip)
    np.testing.assert_allclose(explorer.state["by_value"], expected_tip)
    gradient, limit = explorer.state["gradient"], explorer.threshold.value
    np.testing.assert_allclose(explorer.state["by_norm"],
                               explorers.clip_2d(gradient, limit, "norm"))
    assert f"{explorer.state['angle']:.1f}°" in after.axes[0].get_title()


def test_clipping_explorer_initial_state():
    explorer = explorers.clipping_explorer()
    assert isinstance(explorer, widgets.VBox)
    assert explorer.children[:3] == (explorer.gradient_x, explorer.gradient_y, explorer.threshold)
    np.testing.assert_allclose(explorer.state["gradient"], [4.0, 1.0])
    assert explorer.state["angle"] > 0
    (circle,) = [p for p in explorer.state["figure"].axes[0].patches if isinstance(p, Circle)]
    assert circle.get_radius() == explorer.threshold.value
    assert explorer.children[-1].__class__.__name__ == "Output"
    assert "rnn-stale-note" in explorer.children[-2]._dom_classes  # viz.stale_note


def test_an_explorer_displays_with_the_text_for_where_it_cannot_be_drawn(monkeypatch):
    explorer = explorers.clipping_explorer()
    shown = []
    monkeypatch.setattr(viz, "display", lambda data, raw: shown.append(data))
    explorer._ipython_display_()
    (bundle,) = shown
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    assert bundle["text/plain"] == viz.REOPENED_TEXT


def test_clipping_explorer_keeps_its_axes_while_the_sliders_move():
    explorer = explorers.clipping_explorer()
    limits = explorer.state["figure"].axes[0].get_xlim()
    explorer.gradient_x.value = 0.5
    explorer.threshold.value = 1.0
    assert explorer.state["figure"].axes[0].get_xlim() == limits
    assert explorers.plot_clipping([1.0, 1.0], 0.5, extent=3.0).axes[0].get_xlim() == (-3.0, 3.0)


# --- lstm_gradient_paths ------------------------------------------------------------------

def lstm_problem(T=4, n_x=2, n_a=3, m=2, seed=3):
    rng = np.random.default_rng(seed)
    parameters = initialize_lstm_parameters(n_x, n_a, 2, seed=seed)
    for name in ("bf", "bi", "bc", "bo"):
        parameters[name] = 0.5 * rng.standard_normal((n_a, 1))
    x = rng.standard_normal((n_x, m, T))
    G = rng.standard_normal((n_a, m))  # the loss sum(G * a<T>): dL/da<T> = G
    step_caches = lstm_forward(x, np.zeros((n_a, m)), parameters)[-1][0]
    return x, parameters, G, step_caches


def loss_from(t, a_t, c_t, x, parameters, G):
    """sum(G * a<T>) when the run is restarted after step t (index t-1) from a<t>, c<t>."""
    a, c = a_t, c_t
    for k in range(t, x.shape[2]):
        a, c, _, _ = lstm_cell_forward(x[:, :, k], a, c, parameters)
    return float(np.sum(G * a))


def test_lstm_gradient_paths_match_central_differences():
    x, parameters, G, step_caches = lstm_problem()
    T = x.shape[2]
    paths = explorers.lstm_gradient_paths(G, step_caches, lstm_cell_backward)
    numeric = {"a": [], "c": []}
    for d in range(T):
        a_t, c_t = step_caches[T - 1 - d][0].copy(), step_caches[T - 1 - d][1].copy()
        o_t = step_caches[T - 1 - d][7]  # a<t> = o<t> tanh(c<t>): c<t> reaches a<t> too
        numeric["a"].append(numerical_gradient(
            lambda a, t=T - d, c_t=c_t: loss_from(t, a, c_t, x, parameters, G), a_t))
        numeric["c"].append(numerical_gradient(
            lambda c, t=T - d, o_t=o_t: loss_from(t, o_t * np.tanh(c), c, x, parameters, G),
            c_t))
    for name in ("a", "c"):
        np.testing.assert_allclose(paths[name], ratios(numeric[name]), rtol=1e-6)


def test_lstm_gradient_paths_c_line_is_the_product_of_the_forget_gates():
    x, parameters, G, step_caches = lstm_problem(T=5)
    paths = explorers.lstm_gradient_paths(G, step_caches, lstm_cell_backward)
    a_T, c_T, *_, o_T, _, _ = step_caches[-1]
    line = G * o_T * (1 - np.tanh(c_T) ** 2)  # dL/dc<T>: the loss sees a<T> only
    expected = [line]
    for cache in reversed(step_caches[1:]):
        expected.append(expected[-1] * cache[4])  # times f<t>
    np.testing.assert_allclose(paths["c_line"], ratios(expected), rtol=1e-12)
    assert not np.allclose(paths["c_line"][1:], paths["c"][1:])  # the detours count


def test_lstm_gradient_paths_use_the_cell_backward_given():
    x, parameters, G, step_caches = lstm_problem()

    def no_cell_carry(da_next, dc_next, cache):
        return dict(lstm_cell_backward(da_next, dc_next, cache), dc_prev=np.zeros_like(dc_next))

    right = explorers.lstm_gradient_paths(G, step_caches, lstm_cell_backward)
    wrong = explorers.lstm_gradient_paths(G, step_caches, no_cell_carry)
    assert not np.allclose(right["c"], wrong["c"])
    np.testing.assert_allclose(right["c_line"], wrong["c_line"])  # the product of f only
