"""Explorers of lesson 07: how gradients vanish or explode through time, and what clipping does.

As in ``rnn_utils.viz``, each explorer has a part that computes numbers (tested without drawing),
a part that draws them and returns the matplotlib Figure, and an ipywidgets widget whose
controls redraw the figure.

Gradient norms against distance: a random RNN a<t> = f(u<t>), u<t> = Wax x<t> + Waa a<t-1> + ba,
with the parameters of ``rnn_utils.viz.scaled_rnn_problem`` (weights of standard deviation
1/sqrt(fan_in), so the entries of Waa are N(0, 1/n_a) before Waa is multiplied by ``scale``;
inputs N(0, 0.5^2); a0 = 0). The loss depends on a<T> only, through a fixed random upstream
gradient g = dL/da<T>. Going back one step multiplies by the transposed Jacobian of
a<t> = phi(u<t>) with respect to a<t-1>:  dL/da<t-1> = Waa^T (phi'(u<t>) * dL/da<t>).

Clipping in two dimensions: a gradient g of shape (2,), clipped elementwise to the box
[-threshold, threshold]^2 (its direction may turn) or rescaled onto the circle of radius
threshold (its direction is kept).
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.patches import Circle, Rectangle

from rnn_utils.viz import scaled_rnn_problem, show_explorer, stale_note

# Each activation with its derivative, both elementwise on u of any shape.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "relu": (lambda u: np.maximum(u, 0.0), lambda u: (u > 0).astype(float)),
    "linear": (lambda u: u, np.ones_like),
}

CLIP_MODES = ("value", "norm")


def gradient_norm_problem(scale, T, n_a=32, m=8, seed=0):
    """The random RNN and upstream gradient behind ``gradient_norms``, reproducible from ``seed``.

    Arguments:
    scale -- factor multiplying Waa (a float >= 0)
    T -- number of time steps (a positive int)
    n_a, m -- number of hidden units and of sequences
    seed -- seed of the parameters, the inputs and the upstream gradient

    Returns:
    x -- inputs, N(0, 0.5^2), shape (4, m, T)
    a0 -- initial hidden state, zeros, shape (n_a, m)
    parameters -- dict Wax (n_a, 4), Waa (n_a, n_a) (already multiplied by scale), Wya (3, n_a),
                  ba (n_a, 1), by (3, 1)
    upstream -- the fixed gradient dL/da<T>, N(0, 1) entries, shape (n_a, m)
    """
    x, a0, parameters = scaled_rnn_problem(scale, T, n_a=n_a, m=m, seed=seed)
    # A third stream ([seed, 2]): independent of the weights ([seed]) and the inputs ([seed, 1]).
    upstream = np.random.default_rng([seed, 2]).standard_normal((n_a, m))
    return x, a0, parameters, upstream


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")


def pre_activations(x, a0, parameters, activation="tanh"):
    """Forward pass of the RNN with any activation, keeping the pre-activations u<t>.

    Arguments:
    x -- inputs, shape (n_x, m, T)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), ba (n_a, 1)
    activation -- "tanh", "relu" or "linear"

    Returns:
    u -- pre-activations, u[:, :, t-1] = Wax x<t> + Waa a<t-1> + ba for t = 1..T, shape (n_a, m, T)
    """
    _check_activation(activation)
    function = ACTIVATIONS[activation][0]
    u = np.zeros(a0.shape + (x.shape[2],))  # (n_a, m, T)
    a_prev = a0  # (n_a, m)
    for t in range(x.shape[2]):
        u[:, :, t] = parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ a_prev + parameters["ba"]
        a_prev = function(u[:, :, t])  # (n_a, m)
    return u


def gradient_norms(scale, T, activation="tanh", n_a=32, m=8, seed=0):
    """How much of the gradient at the last step reaches the steps before it.

    Arguments:
    scale -- factor multiplying Waa (a float >= 0)
    T -- number of time steps (a positive int)
    activation -- "tanh", "relu" or "linear"
    n_a, m, seed -- as in gradient_norm_problem

    Returns:
    norms -- shape (T,): norms[d] = ||dL/da<T-d>|| / ||dL/da<T>|| for d = 0..T-1 (Frobenius
             norms of (n_a, m) arrays: all m sequences together); norms[0] = 1
    """
    x, a0, parameters, upstream = gradient_norm_problem(scale, T, n_a, m, seed)
    u = pre_activations(x, a0, parameters, activation)  # (n_a, m, T)
    derivative = ACTIVATIONS[activation][1]
    norms = np.zeros(T)
    da = upstream  # dL/da<T>, (n_a, m)
    for d in range(T):
        norms[d] = np.linalg.norm(da)
        t = T - 1 - d  # a<T-d> is stored at index T-1-d and made by u[:, :, t]
        da = parameters["Waa"].T @ (derivative(u[:, :, t]) * da)  # dL/da<T-d-1>, (n_a, m)
    return norms / norms[0]


def lstm_gradient_paths(da_last, step_caches, cell_backward):
    """How much gradient reaches an LSTM's states d steps before a loss on a<T> alone.

    Going back one step, dL/dc<t> = f<t+1> * dL/dc<t+1> + o<t> * (1 - tanh^2 c<t>) * dL/da<t>:
    the gradient either stays on the cell-state line (a factor f, the direct path) or takes a
    detour through a<t>, whose gradient gathers W_*[:, :n_a]^T du_* from all four gates
    (* = f, i, c, o) of step t+1. "c" follows every path (cell_backward does the bookkeeping);
    "c_line" follows the direct path alone: dL/dc<T> multiplied by f<T> * f<T-1> * ...
    * f<T-d+1>.

    Arguments:
    da_last -- gradient of the loss with respect to a<T>, shape (n_a, m)
    step_caches -- the T step caches of lstm_forward (each with ft at index 4)
    cell_backward -- a function with the contract of lstm_cell_backward

    Returns:
    ratios -- dict of arrays of shape (T,), entry d for the state at distance d (step T - d),
              each divided by its value at d = 0: "a" ||dL/da<T-d>||, "c" ||dL/dc<T-d>||
              (all paths), "c_line" the norm of the direct path's share
    """
    da, dc_next = da_last, np.zeros(da_last.shape)  # nothing comes from after step T
    norms = {"a": [], "c": [], "c_line": []}
    line = None  # the direct path's gradient at the current c, (n_a, m)
    for cache in reversed(step_caches):
        c_next, ft, ot = cache[1], cache[4], cache[7]  # c<t>, f<t>, o<t>: (n_a, m) each
        dc = dc_next + da * ot * (1 - np.tanh(c_next) ** 2)  # all of dL/dc<t>
        line = dc if line is None else line  # at step T both are dL/dc<T>
        for name, value in (("a", da), ("c", dc), ("c_line", line)):
            norms[name].append(np.linalg.norm(value))
        line = line * ft  # the direct path into c<t-1> passes through f<t> only
        step = cell_backward(da, dc_next, cache)
        da, dc_next = step["da_prev"], step["dc_prev"]
    return {name: np.array(values) / values[0] for name, values in norms.items()}


def plot_gradient_norms(scales, T, activation="tanh", ax=None, **sizes):
    """The gradient norm against the distance to the loss, on a log scale, one line per scale.

    Arguments:
    scales -- sequence of K factors multiplying Waa
    T -- number of time steps (a positive int)
    activation -- "tanh", "relu" or "linear"
    ax -- a matplotlib Axes to draw on (default: a new Figure)
    sizes -- optional n_a, m, seed, passed on to gradient_norms

    Returns:
    figure -- the Figure of ``ax``; line k has x data d = 0..T-1 and y data gradient_norms of
              the k-th scale, both of shape (T,)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    for scale in scales:
        norms = gradient_norms(scale, T, activation, **sizes)
        ax.plot(np.arange(T), norms, marker=".", markersize=3, label=f"Waa scale {scale:g}")
    ax.axhline(1.0, color="gray", linestyle=":", linewidth=0.8)
    ax.set_yscale("log")
    ax.set(xlabel="distance d to the loss (steps)", ylabel="||dL/da<T-d>|| / ||dL/da<T>||",
           title=f"Gradient reaching step T-d ({activation}, T = {T})")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


class ExplorerBox(widgets.VBox):
    """An ipywidgets VBox of controls above an output area; moving a control redraws the figure.
    Between them, a note that appears only when the explorer is stale (viz.stale_note).

    Arguments:
    controls -- dict: attribute name -> control widget (a slider or dropdown), shown in this
                order; each becomes an attribute of the explorer (explorer.scale, ...)
    draw -- function draw(explorer) that reads the controls, stores what it computed in
            explorer.state and returns a new matplotlib Figure

    Attributes: the controls; ``output`` (the Output area); ``state`` (dict of what was last
    computed, "figure" being the Figure last drawn).
    """

    def __init__(self, controls, draw):
        output = widgets.Output()
        self.stale_note = stale_note()
        super().__init__(children=(*controls.values(), self.stale_note, output))
        self.output, self.state, self._draw = output, {}, draw
        for name, control in controls.items():
            setattr(self, name, control)
            control.observe(self.redraw, names="value")
        self.redraw()

    def _ipython_display_(self, **kwargs):
        show_explorer(self)

    def redraw(self, change=None):
        """Draw the figure again from the current control values and show it in the output."""
        figure = self._draw(self)
        self.state["figure"] = figure
        with self.output:
            self.output.clear_output(wait=True)
            display(figure)
        plt.close(figure)  # shown once, in the output area, and not again at the end of the cell


def gradient_norm_explorer(scale=1.0, T=50, activation="tanh", **sizes):
    """Sliders for the scale of Waa and T and a dropdown for the activation, above the plot.

    Arguments:
    scale, T, activation -- initial values of the controls (scale in [0.25, 3], T in [5, 100])
    sizes -- optional n_a, m, seed, passed on to gradient_norms

    Returns:
    explorer -- an ExplorerBox (an ipywidgets VBox) with attributes ``scale`` (FloatSlider),
                ``steps`` (IntSlider), ``activation`` (Dropdown); state["norms"] holds the
                norms last drawn, shape (T,)
    """
    controls = {
        "scale": widgets.FloatSlider(scale, min=0.25, max=3.0, step=0.05, description="Waa scale"),
        "steps": widgets.IntSlider(T, min=5, max=100, description="T"),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                       description="activation"),
    }

    def draw(explorer):
        figure = plot_gradient_norms([explorer.scale.value], explorer.steps.value,
                                     explorer.activation.value, **sizes)
        explorer.state["norms"] = figure.axes[0].get_lines()[0].get_ydata()
        return figure

    return ExplorerBox(controls, draw)


def clip_2d(gradient, threshold, mode):
    """Clip a two-dimensional gradient by value or by norm.

    Arguments:
    gradient -- the gradient, shape (2,)
    threshold -- a positive number
    mode -- "value": every entry clipped to [-threshold, threshold];
            "norm": rescaled to norm threshold when its norm is above threshold

    Returns:
    clipped -- a new array of shape (2,); ``gradient`` is not modified
    """
    gradient = np.asarray(gradient, dtype=float)
    if mode == "value":
        return np.clip(gradient, -threshold, threshold)
    if mode == "norm":
        norm = np.linalg.norm(gradient)
        return gradient * (threshold / norm) if norm > threshold else gradient.copy()
    raise ValueError(f"mode must be one of {CLIP_MODES}, got {mode!r}")


def angle_degrees(u, v):
    """The angle between two vectors of shape (2,), in degrees in [0, 180]; 0 if one is zero."""
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    if norms == 0:
        return 0.0
    return float(np.degrees(np.arccos(np.clip(np.dot(u, v) / norms, -1.0, 1.0))))


def _draw_arrow(ax, vector, color, label):
    """An arrow from the origin to ``vector`` (shape (2,)): a labelled line and an arrowhead."""
    ax.plot([0.0, vector[0]], [0.0, vector[1]], color=color, linewidth=2, label=label)
    ax.annotate("", xy=tuple(vector), xytext=(0.0, 0.0),
                arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 2})


def plot_clipping(gradient, threshold, ax=None, extent=None):
    """The gradient, its two clipped versions, the box and the circle of the threshold.

    Arguments:
    gradient -- the gradient, shape (2,)
    threshold -- a positive number
    ax -- a matplotlib Axes to draw on (default: a new Figure)
    extent -- half-width of the square shown (default: 1.15 * max(|g_i|, threshold, 1))

    Returns:
    figure -- the Figure of ``ax``: three lines from the origin labelled "original",
              "clipped by value", "clipped by norm" (x and y data of shape (2,)), a Rectangle
              (the box [-threshold, threshold]^2) and a Circle of radius threshold; the title
              gives the angle between the original and the clipped-by-value gradient
    """
    gradient = np.asarray(gradient, dtype=float)
    by_value, by_norm = clip_2d(gradient, threshold, "value"), clip_2d(gradient, threshold, "norm")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 5.2))
    ax.add_patch(Rectangle((-threshold, -threshold), 2 * threshold, 2 * threshold, fill=False,
                           color="tab:orange", linestyle="--", label="box |g_i| <= threshold"))
    ax.add_patch(Circle((0.0, 0.0), threshold, fill=False, color="tab:green", linestyle="--",
                        label="circle ||g|| = threshold"))
    _draw_arrow(ax, gradient, "tab:blue", "original")
    _draw_arrow(ax, by_value, "tab:orange", "clipped by value")
    _draw_arrow(ax, by_norm, "tab:green", "clipped by norm")
    limit = 1.15 * max(np.abs(gradient).max(), threshold, 1.0) if extent is None else extent
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal",
           xlabel="g[0]", ylabel="g[1]",
           title=f"clipping by value turns g by {angle_degrees(gradient, by_value):.1f}°\n"
                 f"clipping by norm: {angle_degrees(gradient, by_norm):.1f}°")
    ax.axhline(0.0, color="gray", linewidth=0.5)
    ax.axvline(0.0, color="gray", linewidth=0.5)
    ax.legend(loc="best", fontsize=7)
    ax.figure.tight_layout()
    return ax.figure


def clipping_explorer(gradient=(4.0, 1.0), threshold=2.0):
    """Sliders for the two components of a gradient and the threshold, above plot_clipping.

    Arguments:
    gradient -- initial gradient, shape (2,), each entry in [-5, 5]
    threshold -- initial threshold, in [0.1, 5]

    Returns:
    explorer -- an ExplorerBox (an ipywidgets VBox) with attributes ``gradient_x``,
                ``gradient_y``, ``threshold`` (FloatSliders); state holds "gradient",
                "by_value", "by_norm" (each shape (2,)) and "angle" (degrees) last drawn
    """
    controls = {
        name: widgets.FloatSlider(value, min=-5.0, max=5.0, step=0.1, description=label)
        for name, label, value in zip(("gradient_x", "gradient_y"), ("g[0]", "g[1]"), gradient)
    }
    controls["threshold"] = widgets.FloatSlider(threshold, min=0.1, max=5.0, step=0.1,
                                                description="threshold")

    def draw(explorer):
        vector = np.array([explorer.gradient_x.value, explorer.gradient_y.value])  # (2,)
        limit = explorer.threshold.value
        by_value = clip_2d(vector, limit, "value")  # (2,)
        explorer.state.update(gradient=vector, by_value=by_value,
                              by_norm=clip_2d(vector, limit, "norm"),
                              angle=angle_degrees(vector, by_value))
        return plot_clipping(vector, limit, extent=5.5)  # fixed axes: the arrows move, not the grid

    return ExplorerBox(controls, draw)


# ---- lesson 08: sampling names from the trained model ----------------------------------------


def first_letter_probabilities(parameters, temperature):
    """softmax(z / temperature) of the first step of sampling (input: the end token, state 0):
    the distribution of a name's first character, shape (n_y,)."""
    n_x = parameters["Wax"].shape[1]
    a = np.tanh(parameters["Wax"][:, :1] + parameters["ba"])  # Wax @ one-hot(0): column 0
    z = (parameters["Wya"] @ a + parameters["by"])[:, 0] / temperature
    p = np.exp(z - z.max())
    return p[:n_x] / p.sum()


def plot_samples(names, known_words, parameters, temperature, vocabulary, ax=None):
    """The sampled names (a star marks a name of the list) beside the first-letter
    distribution at this temperature. Returns the Figure."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8),
                                         gridspec_kw={"width_ratios": [1, 2]})
    known = set(known_words)
    text = "\n".join(f"{'*' if name in known else ' '} {name or '(empty)'}" for name in names)
    left.text(0.02, 0.98, text, va="top", family="monospace", fontsize=10)
    left.set_axis_off()
    left.set_title("samples (* = in the list)")
    probabilities = first_letter_probabilities(parameters, temperature)
    right.bar(range(len(vocabulary)), probabilities)
    right.set_xticks(range(len(vocabulary)), [repr(c)[1:-1] for c in vocabulary])
    right.set_ylabel("probability")
    right.set_title(f"first character at temperature {temperature:g}")
    figure.tight_layout()
    return figure


def sampling_explorer(parameters, sample, known_words, vocabulary, temperature=1.0, seed=0,
                      count=12, max_length=20):
    """A temperature slider and a seed box above ``count`` names sampled live.

    Arguments:
    parameters -- the trained RNN's dict (Wax, Waa, Wya, ba, by)
    sample -- a function sample(parameters, temperature, rng, max_length) -> list of indices
    known_words -- the names a sample is compared with (marked with a star when in it)
    vocabulary -- the characters of the indices, index 0 being the end token

    Returns:
    explorer -- an ExplorerBox with ``temperature`` (FloatSlider) and ``seed`` (IntText);
                state["names"] holds the names last drawn
    """
    controls = {
        "temperature": widgets.FloatSlider(temperature, min=0.1, max=3.0, step=0.05,
                                           description="temperature"),
        "seed": widgets.IntText(seed, description="seed"),
    }

    def draw(explorer):
        rng = np.random.default_rng(explorer.seed.value)
        names = []
        for _ in range(count):
            indices = sample(parameters, explorer.temperature.value, rng, max_length)
            names.append("".join(vocabulary[i] for i in indices if i != 0))
        explorer.state["names"] = names
        return plot_samples(names, known_words, parameters, explorer.temperature.value,
                            vocabulary)

    return ExplorerBox(controls, draw)
