"""Lesson 09's experiment on seeds the notebook does not use: how far back the gradient reaches.

    .venv/bin/python benchmarks/gru_reach.py [FIRST_SEED [COUNT]]     (default: 100 30)

The lesson measures, for 10 seeds (0-9), log10 ||dx<T-d>|| / ||dx<T>|| at d = 49 (T = 50,
n_x = 4, m = 8, loss on a<T> only) for four models with about 2 750 recurrent parameters each:
a GRU (n_a = 28) with update-gate bias +2 and -2, an LSTM (n_a = 24) with forget-gate bias +2
and a vanilla RNN (n_a = 50), and asserts four claims for every seed. This script runs the same
measurement (the course's reference functions, equal to the lesson's by construction) on other
seeds, prints the spread of each quantity a claim rests on, and exits 1 if a claim fails.
"""

import sys

import numpy as np

from rnn_utils import (
    initialize_gru_parameters,
    initialize_lstm_parameters,
    initialize_rnn_parameters,
    reference,
)

T, N_X, M, D = 50, 4, 8, 49
CLAIMS = {  # name -> (quantity, the bound the lesson asserts)
    "gru+2 reach > -3": (lambda r: r["gru+2"], -3, "above"),
    "gru+2 - rnn > 4": (lambda r: r["gru+2"] - r["rnn"], 4, "above"),
    "lstm - gru+2 > 0.5": (lambda r: r["lstm"] - r["gru+2"], 0.5, "above"),
    "lstm - gru+2 < 4": (lambda r: r["lstm"] - r["gru+2"], 4, "below"),
    "rnn - gru-2 > 2": (lambda r: r["rnn"] - r["gru-2"], 2, "above"),
}


def reach(model, seed):
    """log10 ||dx<T-D>|| / ||dx<T>|| of ``model`` for ``seed``, as in the lesson."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N_X, M, T))
    if model.startswith("gru"):
        n_a, forward, backward = 28, reference.gru_forward, reference.gru_backward
        parameters = initialize_gru_parameters(N_X, n_a, 3, seed=seed)
        parameters["bz"] = np.full((n_a, 1), 2.0 if model == "gru+2" else -2.0)
    elif model == "lstm":
        n_a, forward, backward = 24, reference.lstm_forward, reference.lstm_backward
        parameters = initialize_lstm_parameters(N_X, n_a, 3, seed=seed)
        parameters["bf"] = np.full((n_a, 1), 2.0)
    else:
        n_a, forward, backward = 50, reference.rnn_forward, reference.rnn_backward
        parameters = initialize_rnn_parameters(N_X, n_a, 3, seed=seed)
    caches = forward(x, np.zeros((n_a, M)), parameters)[-1]
    da = np.zeros((n_a, M, T))
    da[:, :, -1] = rng.standard_normal((n_a, M))
    norms = np.linalg.norm(backward(da, caches)["dx"], axis=(0, 1))
    return float(np.log10(norms[T - 1 - D] / norms[-1]))


def main(first=100, count=30):
    seeds = range(first, first + count)
    results = {model: np.array([reach(model, seed) for seed in seeds])
               for model in ("gru+2", "gru-2", "lstm", "rnn")}
    print(f"seeds {first}-{first + count - 1}: log10 reach at d = {D}, min / median / max")
    for model, values in results.items():
        print(f"  {model:6} {values.min():7.2f} {np.median(values):7.2f} {values.max():7.2f}")
    failed = 0
    for name, (quantity, bound, side) in CLAIMS.items():
        values = quantity(results)
        held = np.sum(values > bound) if side == "above" else np.sum(values < bound)
        margin = values.min() - bound if side == "above" else bound - values.max()
        print(f"  claim {name:20} holds for {held} of {count} seeds; worst margin {margin:.2f}")
        failed += held < count
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*(int(arg) for arg in sys.argv[1:3])))
