"""Plots and interactive explorers used by the lessons.

Each experiment comes in two halves: a function that computes the numbers (tested without
drawing anything) and a function that draws them and returns the matplotlib Figure.

Functions that run an RNN take ``forward``, any function with the contract of the graded
``rnn_forward(x, a0, parameters) -> (a, y_pred, caches)``: x (n_x, m, T_x), a0 (n_a, m),
a (n_a, m, T_x). It defaults to ``rnn_utils.reference.rnn_forward``; a lesson may pass the
student's own function instead, so that the plots are made by the code the student wrote.

The Waa-scale experiment (lesson 02): the parameters come from ``initialize_rnn_parameters``
(weights of standard deviation 1/sqrt(fan_in), so Waa has spectral radius close to 1), then Waa
alone is multiplied by a factor ``waa_scale``; inputs are normal (standard deviation 0.5 by
default) and a0 is zero.
"""

from dataclasses import dataclass, field

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from rnn_utils import reference
from rnn_utils.params import initialize_rnn_parameters

SATURATION_THRESHOLD = 0.99  # |a| above this counts as saturated: tanh'(u) = 1 - a^2 < 0.02


def scaled_rnn_problem(waa_scale, T, n_x=4, n_a=32, n_y=3, m=8, seed=0, input_scale=0.5):
    """Inputs and parameters of the Waa-scale experiment, reproducible from ``seed``.

    Arguments:
    waa_scale -- factor multiplying the recurrent weights Waa (a float >= 0)
    T -- number of time steps T_x (a positive int)
    n_x, n_a, n_y -- sizes of the input, the hidden state and the output
    m -- number of sequences (examples) run side by side
    seed -- seed of the parameters and of the inputs
    input_scale -- standard deviation of the inputs

    Returns:
    x -- inputs, normal with mean 0 and standard deviation input_scale, shape (n_x, m, T)
    a0 -- initial hidden state, zeros, shape (n_a, m)
    parameters -- dict from initialize_rnn_parameters(n_x, n_a, n_y, seed=seed) with Waa
                  multiplied by waa_scale: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a),
                  ba (n_a, 1), by (n_y, 1)
    """
    parameters = initialize_rnn_parameters(n_x, n_a, n_y, seed=seed)
    parameters["Waa"] = waa_scale * parameters["Waa"]
    # A second stream ([seed, 1]) so that the inputs do not repeat the weights' random numbers.
    x = input_scale * np.random.default_rng([seed, 1]).standard_normal((n_x, m, T))
    a0 = np.zeros((n_a, m))
    return x, a0, parameters


def scaled_rnn_states(waa_scale, T, forward=None, **sizes):
    """Hidden states of the Waa-scale experiment, computed by ``forward``.

    Arguments:
    waa_scale -- factor multiplying Waa (a float >= 0)
    T -- number of time steps (a positive int)
    forward -- function (x, a0, parameters) -> (a, y_pred, caches) with x (n_x, m, T),
               a0 (n_a, m), a (n_a, m, T); default rnn_utils.reference.rnn_forward
    sizes -- optional n_x, n_a, n_y, m, seed, input_scale, passed on to scaled_rnn_problem

    Returns:
    a -- hidden states of every unit, sequence and step, shape (n_a, m, T)
    """
    forward = reference.rnn_forward if forward is None else forward
    x, a0, parameters = scaled_rnn_problem(waa_scale, T, **sizes)
    a, _, _ = forward(x, a0, parameters)
    return np.asarray(a)


def saturation_fraction(waa_scales, T=100, threshold=SATURATION_THRESHOLD, forward=None,
                        **sizes):
    """For each scale of Waa, the fraction of hidden-state entries with |a| > threshold.

    Arguments:
    waa_scales -- sequence of K factors multiplying Waa
    T -- number of time steps (a positive int)
    threshold -- saturation level, between 0 and 1
    forward -- as in scaled_rnn_states (default: the reference rnn_forward)
    sizes -- optional n_x, n_a, n_y, m, seed, input_scale, passed on to scaled_rnn_problem

    Returns:
    fractions -- array of shape (K,), each entry in [0, 1]: the mean over all n_a * m * T
                 entries of a (n_a, m, T)
    """
    return np.array([
        np.mean(np.abs(scaled_rnn_states(scale, T, forward, **sizes)) > threshold)
        for scale in waa_scales
    ])


def _draw_trajectories(ax, states, title, threshold=SATURATION_THRESHOLD):
    """Draw one line per unit on ``ax``.

    Arguments:
    ax -- a matplotlib Axes
    states -- hidden states of a few units of one sequence, shape (n_units, T)
    title -- title of the panel (a str)
    threshold -- saturation level, drawn as dashed lines at +threshold and -threshold
    """
    steps = np.arange(1, states.shape[1] + 1)
    for unit, row in enumerate(states):
        ax.plot(steps, row, marker=".", markersize=4, linewidth=1, label=f"unit {unit}")
    for level in (threshold, -threshold):
        ax.axhline(level, color="gray", linestyle="--", linewidth=0.8)
    ax.set(xlabel="time step t", ylim=(-1.1, 1.1), title=title)


def plot_trajectories(waa_scales=(0.5, 3.0), T=40, n_units=4, forward=None, **sizes):
    """One panel per scale of Waa: the hidden states of a few units of the first sequence.

    Arguments:
    waa_scales -- sequence of K factors multiplying Waa (one panel each)
    T -- number of time steps (a positive int)
    n_units -- how many hidden units to draw (at most n_a)
    forward -- as in scaled_rnn_states (default: the reference rnn_forward)
    sizes -- optional n_x, n_a, n_y, m, seed, input_scale, passed on to scaled_rnn_problem

    Returns:
    figure -- matplotlib Figure with K Axes; the lines of panel k are a[:n_units, 0, :]
              of the k-th scale, each of length T
    """
    figure, axes = plt.subplots(1, len(waa_scales), figsize=(4.5 * len(waa_scales), 3.2),
                                sharey=True, squeeze=False)
    for ax, scale in zip(axes[0], waa_scales):
        a = scaled_rnn_states(scale, T, forward, **sizes)
        _draw_trajectories(ax, a[:n_units, 0, :], f"Waa scaled by {scale:g}")
    axes[0, 0].set_ylabel("hidden state a<t>")
    axes[0, -1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    figure.tight_layout()
    return figure


def plot_saturation(waa_scales, T=100, threshold=SATURATION_THRESHOLD, forward=None, **sizes):
    """The fraction of saturated hidden-state entries against the scale of Waa.

    Arguments:
    waa_scales -- sequence of K factors multiplying Waa (the x axis)
    T, threshold, forward, sizes -- as in saturation_fraction

    Returns:
    figure -- matplotlib Figure with one Axes holding one line of K points
    """
    fractions = saturation_fraction(waa_scales, T, threshold, forward, **sizes)
    figure, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(waa_scales, fractions, marker="o")
    ax.set(xlabel="scale of Waa", ylabel=f"fraction with |a| > {threshold:g}", ylim=(-0.02, 1.02))
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure


# What an explorer shows once the kernel that made it is gone. ipywidgets (7 and 8) marks the
# view of every widget whose kernel connection closed (a restart, a dead kernel) with the CSS
# class "jupyter-widgets-disconnected"; this note is hidden until its own view carries it.
STALE_MESSAGE = ("This explorer is stale: the kernel that made it was restarted or stopped, so "
                 "moving its controls changes nothing. Run this cell again.")
STALE_NOTE = f"""<style>
.rnn-stale-note {{ display: none !important; }}
.rnn-stale-note.jupyter-widgets-disconnected {{ display: block !important; }}
</style>
<div style="color: #b22222; font-weight: bold; padding: 4px 0;">{STALE_MESSAGE}</div>"""
# Where the widget cannot be drawn at all (a reopened notebook: "model not found"; a viewer
# without widgets) the frontend may show the text instead.
REOPENED_TEXT = ("An explorer: it lives in the kernel that ran this cell. After a restart or "
                 "on a reopened notebook, run this cell again.")


def explorer_bundle(widget):
    """The display data of an explorer's widget: the widget view, and REOPENED_TEXT for where
    it cannot be drawn. Made here, as ipywidgets 7 and 8 both make it (view format 2.0), so
    that the text is ours on both."""
    return {"text/plain": REOPENED_TEXT,
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


def show_explorer(widget):
    """Display an explorer's widget with explorer_bundle (IPython's display protocol)."""
    display(explorer_bundle(widget), raw=True)


def stale_note():
    """An HTML widget that shows STALE_MESSAGE only while its kernel connection is closed."""
    note = widgets.HTML(STALE_NOTE)
    note.add_class("rnn-stale-note")
    return note


@dataclass
class Explorer:
    """What trajectory_explorer builds: the widget, its two controls, and what it last drew.

    widget -- the ipywidgets.VBox to display (scale slider, T slider, a note shown only when
              the explorer is stale, output area)
    scale -- FloatSlider, the factor multiplying Waa
    steps -- IntSlider, the number of time steps T
    state -- dict: "a" the last states computed, shape (n_a, m, T); "fraction" the fraction of
             them with |a| > SATURATION_THRESHOLD (a float); "figure" the Figure last drawn
    """

    widget: widgets.VBox
    scale: widgets.FloatSlider
    steps: widgets.IntSlider
    state: dict = field(default_factory=dict)

    def _ipython_display_(self):
        show_explorer(self.widget)


def trajectory_explorer(forward=None, n_units=4, scale=1.0, T=40, **sizes):
    """Interactive trajectories: moving a slider reruns ``forward`` and redraws the figure.

    Arguments:
    forward -- as in scaled_rnn_states (default: the reference rnn_forward)
    n_units -- how many hidden units of the first sequence to draw
    scale, T -- initial values of the two sliders (scale of Waa in [0, 5], T in [2, 200])
    sizes -- optional n_x, n_a, n_y, m, seed, input_scale, passed on to scaled_rnn_problem

    Returns:
    explorer -- an Explorer (displays as its widget), already drawn for the initial values
    """
    explorer = Explorer(
        widgets.VBox(),
        widgets.FloatSlider(scale, min=0.0, max=5.0, step=0.1, description="Waa scale"),
        widgets.IntSlider(T, min=2, max=200, description="T"))
    output = widgets.Output()
    explorer.widget.children = (explorer.scale, explorer.steps, stale_note(), output)

    def redraw(change=None):
        a = scaled_rnn_states(explorer.scale.value, explorer.steps.value, forward, **sizes)
        fraction = float(np.mean(np.abs(a) > SATURATION_THRESHOLD))
        figure, ax = plt.subplots(figsize=(7, 3.2))
        _draw_trajectories(ax, a[:n_units, 0, :], f"Waa scaled by {explorer.scale.value:g}: "
                           f"{fraction:.0%} of all states saturated")
        explorer.state.update(a=a, fraction=fraction, figure=figure)
        with output:
            output.clear_output(wait=True)
            display(figure)
        plt.close(figure)  # shown once, in the output area, and not again at the end of the cell

    explorer.scale.observe(redraw, names="value")
    explorer.steps.observe(redraw, names="value")
    redraw()
    return explorer
