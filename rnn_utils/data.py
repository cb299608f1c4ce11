"""Toy sequence tasks for the training experiments of lesson 07.

The first-symbol task: a sequence of T one-hot vectors; step 0 holds one of ``n_symbols``
symbols, steps 1..T-1 hold only the distractor (an extra channel, index ``n_symbols``). At the
last step the network must name the symbol of step 0. Nothing after step 0 carries information,
so the whole difficulty is to carry the first symbol across T - 1 steps: exactly what the
gradient has to "see" through the product of T - 1 Jacobians. Guessing gives an accuracy of
1 / n_symbols (chance) and a loss of log(n_symbols): the symbols are balanced, each one
appearing equally often when m is a multiple of n_symbols.
"""

import numpy as np


def first_symbol_task(m, T, n_symbols=4, seed=0):
    """A batch of the first-symbol task, reproducible from ``seed``.

    Arguments:
    m -- number of sequences (examples), a positive int
    T -- number of time steps T_x, a positive int (T = 1: recall the symbol just seen)
    n_symbols -- number of symbols to remember, an int >= 2
    seed -- seed of the random first symbols

    Returns:
    x -- inputs, one-hot down the first axis, shape (n_symbols + 1, m, T): x[:, i, 0] is the
         symbol of example i (one of channels 0..n_symbols-1); x[:, i, t] for t >= 1 is the
         distractor (channel n_symbols)
    y -- targets, one-hot, shape (n_symbols, m): the symbol of step 0, to name at step T - 1
    """
    for name, value in {"m": m, "T": T}.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(n_symbols, bool) or not isinstance(n_symbols, (int, np.integer)) \
            or n_symbols < 2:
        raise ValueError(f"n_symbols must be an integer >= 2, got {n_symbols!r}")
    # Balanced: every symbol equally often (as far as m allows), in a seeded random order, so
    # that always naming the most frequent symbol does no better than chance.
    symbols = np.random.default_rng(seed).permutation(np.arange(m) % n_symbols)  # (m,)
    examples = np.arange(m)
    x = np.zeros((n_symbols + 1, m, T))
    x[symbols, examples, 0] = 1.0  # step 0: the symbol to remember
    x[n_symbols, :, 1:] = 1.0  # steps 1..T-1: the distractor channel only
    y = np.zeros((n_symbols, m))
    y[symbols, examples] = 1.0  # the answer: the same symbol, without the distractor channel
    return x, y
