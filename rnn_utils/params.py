"""Seeded parameter initialisation for the RNN, the LSTM and the GRU of the course.

The shapes are the course's fixed conventions (column-major, one column per example):
RNN  -- Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)
LSTM -- Wf, Wi, Wc, Wo (n_a, n_a + n_x) acting on the stacked [a_prev; xt];
        bf, bi, bc, bo (n_a, 1); Wy (n_y, n_a); by (n_y, 1)
GRU  -- Wz, Wr, Wh (n_a, n_a + n_x) (Wz, Wr on [a_prev; xt], Wh on [r * a_prev; xt]);
        bz, br, bh (n_a, 1); Wy (n_y, n_a); by (n_y, 1)
"""

import numpy as np

RNN_SHAPES = {
    "Wax": ("n_a", "n_x"),
    "Waa": ("n_a", "n_a"),
    "Wya": ("n_y", "n_a"),
    "ba": ("n_a", 1),
    "by": ("n_y", 1),
}

LSTM_SHAPES = {
    "Wf": ("n_a", "n_a+n_x"),
    "bf": ("n_a", 1),
    "Wi": ("n_a", "n_a+n_x"),
    "bi": ("n_a", 1),
    "Wc": ("n_a", "n_a+n_x"),
    "bc": ("n_a", 1),
    "Wo": ("n_a", "n_a+n_x"),
    "bo": ("n_a", 1),
    "Wy": ("n_y", "n_a"),
    "by": ("n_y", 1),
}

GRU_SHAPES = {
    "Wz": ("n_a", "n_a+n_x"),
    "bz": ("n_a", 1),
    "Wr": ("n_a", "n_a+n_x"),
    "br": ("n_a", 1),
    "Wh": ("n_a", "n_a+n_x"),
    "bh": ("n_a", 1),
    "Wy": ("n_y", "n_a"),
    "by": ("n_y", 1),
}


def _check_sizes(**sizes):
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _initialize(shapes, sizes, seed, scale):
    rng = np.random.default_rng(seed)
    sizes = dict(sizes, **{"n_a+n_x": sizes["n_a"] + sizes["n_x"]})
    parameters = {}
    for name, shape in shapes.items():
        concrete = tuple(sizes[d] if isinstance(d, str) else d for d in shape)
        if name.startswith("b"):
            parameters[name] = np.zeros(concrete)  # biases start at 0
        else:
            # Scale 1/sqrt(fan_in) keeps the pre-activations of order 1 (tanh not saturated).
            parameters[name] = rng.standard_normal(concrete) * (scale / np.sqrt(concrete[1]))
    return parameters


def initialize_rnn_parameters(n_x, n_a, n_y, seed=0, scale=1.0):
    """Random RNN parameters, reproducible from ``seed``.

    Arguments:
    n_x -- size of one input vector x<t>
    n_a -- number of hidden units
    n_y -- size of one output vector y<t>
    seed -- seed of the random generator: the same seed gives the same parameters
    scale -- weights are drawn from N(0, (scale / sqrt(fan_in))^2); biases are zeros

    Returns:
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1),
                  by (n_y, 1)
    """
    _check_sizes(n_x=n_x, n_a=n_a, n_y=n_y)
    return _initialize(RNN_SHAPES, {"n_x": n_x, "n_a": n_a, "n_y": n_y}, seed, scale)


def initialize_lstm_parameters(n_x, n_a, n_y, seed=0, scale=1.0):
    """Random LSTM parameters, reproducible from ``seed``.

    Arguments:
    n_x -- size of one input vector x<t>
    n_a -- number of hidden units (also the size of the cell state c<t>)
    n_y -- size of one output vector y<t>
    seed -- seed of the random generator: the same seed gives the same parameters
    scale -- weights are drawn from N(0, (scale / sqrt(fan_in))^2); biases are zeros

    Returns:
    parameters -- dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x); bf, bi, bc, bo (n_a, 1);
                  Wy (n_y, n_a); by (n_y, 1)
    """
    _check_sizes(n_x=n_x, n_a=n_a, n_y=n_y)
    return _initialize(LSTM_SHAPES, {"n_x": n_x, "n_a": n_a, "n_y": n_y}, seed, scale)


def initialize_gru_parameters(n_x, n_a, n_y, seed=0, scale=1.0):
    """Random GRU parameters, reproducible from ``seed``.

    Arguments:
    n_x -- size of one input vector x<t>
    n_a -- number of hidden units
    n_y -- size of one output vector y<t>
    seed -- seed of the random generator: the same seed gives the same parameters
    scale -- weights are drawn from N(0, (scale / sqrt(fan_in))^2); biases are zeros

    Returns:
    parameters -- dict with Wz, Wr, Wh (n_a, n_a + n_x); bz, br, bh (n_a, 1); Wy (n_y, n_a);
                  by (n_y, 1)
    """
    _check_sizes(n_x=n_x, n_a=n_a, n_y=n_y)
    return _initialize(GRU_SHAPES, {"n_x": n_x, "n_a": n_a, "n_y": n_y}, seed, scale)
