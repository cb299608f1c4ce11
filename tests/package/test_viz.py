"""Tests of rnn_utils.viz: the numbers behind the plots, the figures, and the explorer widget.

Runs headless: the Agg backend is selected before pyplot is imported.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_utils import initialize_rnn_parameters, viz  # noqa: E402
from rnn_utils.reference import rnn_forward  # noqa: E402

SIZES = {"n_x": 3, "n_a": 6, "n_y": 2, "m": 4, "seed": 7}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def loop_forward(x, a0, parameters):
    """An independent rnn_forward written out here, to test viz against."""
    a, a_t = np.zeros(a0.shape + (x.shape[2],)), a0
    for t in range(x.shape[2]):
        a_t = np.tanh(parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ a_t + parameters["ba"])
        a[:, :, t] = a_t
    return a, None, None


class CountingForward:
    """A forward function that records the shapes it was called with."""

    def __init__(self):
        self.calls = []

    def __call__(self, x, a0, parameters):
        self.calls.append((x.shape, a0.shape, parameters["Waa"].shape))
        return rnn_forward(x, a0, parameters)


def test_problem_shapes_and_scaled_waa():
    x, a0, parameters = viz.scaled_rnn_problem(2.5, 9, **SIZES)
    assert x.shape == (3, 4, 9)
    assert a0.shape == (6, 4) and not a0.any()
    base = initialize_rnn_parameters(3, 6, 2, seed=7)
    np.testing.assert_allclose(parameters["Waa"], 2.5 * base["Waa"])
    for key in ("Wax", "Wya", "ba", "by"):
        np.testing.assert_array_equal(parameters[key], base[key])


def test_problem_is_reproducible_and_depends_on_seed():
    x1, _, p1 = viz.scaled_rnn_problem(1.0, 5, seed=3)
    x2, _, p2 = viz.scaled_rnn_problem(1.0, 5, seed=3)
    x3, _, _ = viz.scaled_rnn_problem(1.0, 5, seed=4)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(p1["Waa"], p2["Waa"])
    assert not np.allclose(x1, x3)


def test_problem_input_scale():
    x1, _, _ = viz.scaled_rnn_problem(1.0, 50, input_scale=1.0)
    x2, _, _ = viz.scaled_rnn_problem(1.0, 50, input_scale=0.25)
    np.testing.assert_allclose(x2, 0.25 * x1)


def test_states_match_an_independent_loop():
    a = viz.scaled_rnn_states(1.7, 11, **SIZES)
    expected = loop_forward(*viz.scaled_rnn_problem(1.7, 11, **SIZES))[0]
    assert a.shape == (6, 4, 11)
    np.testing.assert_allclose(a, expected, rtol=1e-12, atol=1e-12)


def test_states_without_recurrence_follow_the_input():
    x, _, parameters = viz.scaled_rnn_problem(0.0, 6, **SIZES)
    a = viz.scaled_rnn_states(0.0, 6, **SIZES)
    for t in range(6):
        np.testing.assert_allclose(a[:, :, t], np.tanh(parameters["Wax"] @ x[:, :, t]))


def test_states_use_the_forward_given():
    forward = CountingForward()
    viz.scaled_rnn_states(1.0, 5, forward=forward, **SIZES)
    assert forward.calls == [((3, 4, 5), (6, 4), (6, 6))]
    constant = viz.scaled_rnn_states(
        1.0, 5, forward=lambda x, a0, p: (np.full((6, 4, 5), 0.5), None, None), **SIZES)
    assert np.all(constant == 0.5)


def test_saturation_fraction_known_values():
    fractions = viz.saturation_fraction([0.0, 0.5, 1.0, 2.0, 4.0])
    assert fractions.shape == (5,)
    np.testing.assert_allclose(fractions, [0.0, 0.0, 0.0, 0.087, 0.443], atol=0.005)


def test_saturation_fraction_grows_with_the_scale():
    fractions = viz.saturation_fraction(np.arange(1.0, 5.01, 0.5), **SIZES)
    assert np.all((fractions >= 0) & (fractions <= 1))
    assert np.all(np.diff(fractions) >= -0.05)
    assert fractions[-1] > fractions[0] + 0.2


def test_saturation_fraction_counts_the_threshold():
    constant = lambda x, a0, p: (np.array([0.5, 0.995, -0.999, 0.98]).reshape(4, 1, 1), None, None)  # noqa: E731
    np.testing.assert_allclose(viz.saturation_fraction([1.0], forward=constant), [0.5])
    np.testing.assert_allclose(
        viz.saturation_fraction([1.0], threshold=0.9, forward=constant), [0.75])


def test_plot_trajectories_draws_the_states():
    figure = viz.plot_trajectories(waa_scales=(0.5, 3.0), T=12, n_units=3, **SIZES)
    assert isinstance(figure, matplotlib.figure.Figure)
    assert len(figure.axes) == 2
    for ax, scale in zip(figure.axes, (0.5, 3.0)):
        a = viz.scaled_rnn_states(scale, 12, **SIZES)
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 12]
        assert len(lines) == 3
        for unit, line in enumerate(lines):
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 13))
            np.testing.assert_allclose(line.get_ydata(), a[unit, 0, :])
        assert ax.get_title() == f"Waa scaled by {scale:g}"


def test_plot_saturation_draws_the_fractions():
    scales = [0.5, 2.0, 4.0]
    figure = viz.plot_saturation(scales, T=30, **SIZES)
    (line,) = figure.axes[0].get_lines()
    np.testing.assert_allclose(line.get_xdata(), scales)
    np.testing.assert_allclose(line.get_ydata(), viz.saturation_fraction(scales, T=30, **SIZES))


def test_explorer_initial_state():
    forward = CountingForward()
    explorer = viz.trajectory_explorer(forward=forward, scale=1.5, T=20, **SIZES)
    assert explorer.widget.children[:2] == (explorer.scale, explorer.steps)
    assert explorer.scale.value == 1.5 and explorer.steps.value == 20
    assert forward.calls == [((3, 4, 20), (6, 4), (6, 6))]
    np.testing.assert_allclose(explorer.state["a"], viz.scaled_rnn_states(1.5, 20, **SIZES))
    expected = np.mean(np.abs(explorer.state["a"]) > viz.SATURATION_THRESHOLD)
    assert explorer.state["fraction"] == pytest.approx(expected)
    assert not plt.get_fignums()  # the explorer's figure is closed after it was shown


def test_explorer_redraws_when_the_scale_moves():
    explorer = viz.trajectory_explorer(**SIZES)
    before_figure, before_a = explorer.state["figure"], explorer.state["a"]
    explorer.scale.value = 4.0
    after_figure = explorer.state["figure"]
    assert after_figure is not before_figure
    np.testing.assert_allclose(explorer.state["a"], viz.scaled_rnn_states(4.0, 40, **SIZES))
    assert not np.allclose(explorer.state["a"], before_a)
    assert explorer.state["fraction"] > 0.2
    (ax,) = after_figure.axes
    assert ax.get_title().startswith("Waa scaled by 4:")
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), explorer.state["a"][0, 0, :])


def test_explorer_redraws_when_T_moves():
    forward = CountingForward()
    explorer = viz.trajectory_explorer(forward=forward, **SIZES)
    explorer.steps.value = 7
    assert forward.calls[-1][0] == (3, 4, 7)
    assert explorer.state["a"].shape == (6, 4, 7)
    lines = explorer.state["figure"].axes[0].get_lines()
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 8))


def test_explorer_displays_as_its_widget(monkeypatch):
    explorer = viz.trajectory_explorer(**SIZES)
    shown = []
    monkeypatch.setattr(viz, "display", lambda data, raw: shown.append(data))
    explorer._ipython_display_()
    (bundle,) = shown
    widget = bundle["application/vnd.jupyter.widget-view+json"]
    assert widget == {"version_major": 2, "version_minor": 0,
                      "model_id": explorer.widget.model_id}
    assert bundle["text/plain"] == viz.REOPENED_TEXT  # where the widget cannot be drawn
    assert explorer.widget.children[-1].__class__.__name__ == "Output"


def test_explorer_holds_a_note_shown_only_once_it_is_stale():
    """ipywidgets marks a view whose kernel connection closed with the class
    jupyter-widgets-disconnected; the note's CSS shows it then and hides it otherwise (the
    browser test tests/package/test_student_in_lab.py sees it appear after a restart)."""
    (note,) = [child for child in viz.trajectory_explorer(**SIZES).widget.children
               if "rnn-stale-note" in child._dom_classes]
    assert ".rnn-stale-note { display: none !important; }" in note.value
    assert ".rnn-stale-note.jupyter-widgets-disconnected { display: block" in note.value
    assert "stale" in note.value and "Run this cell again" in note.value
