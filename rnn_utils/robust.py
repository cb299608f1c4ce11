"""Numbers a lesson can print on every machine: rounded where they are stable, over several seeds.

Two machines (or two NumPy builds) round the last bits of tanh, exp and matrix products
differently, and a chaotic computation (a long run of a strongly recurrent network, a training
run) turns those bits into visible differences. A printed number is a fact of the course only
if it is the same everywhere, so a lesson prints

- a statistic over several seeds rather than one run, and
- with ``stable``: rounded to a precision at which the machine's wobble cannot change a digit.
"""

import numpy as np


def stable(value, decimals, tolerance):
    """``value`` rounded to ``decimals`` places, as text, refusing where a digit could flip.

    Arguments:
    value -- a real number (a Python or NumPy float)
    decimals -- digits after the point (a non-negative int)
    tolerance -- how far ``value`` may move on another machine or NumPy (a float > 0)

    Returns:
    text -- f"{value:.{decimals}f}"

    Raises ValueError when value - tolerance and value + tolerance round differently: the value
    sits too close to a rounding boundary, so another CPU could print another digit. Print fewer
    decimals, average over more seeds, or change the experiment.
    """
    low, high = f"{value - tolerance:.{decimals}f}", f"{value + tolerance:.{decimals}f}"
    if float(low) != float(high):  # -0 and 0 are the same digit
        raise ValueError(
            f"{value!r} is within {tolerance:g} of a rounding boundary at {decimals} decimals "
            f"({low} or {high}): it would not print the same on every machine")
    text = f"{value:.{decimals}f}"
    return text[1:] if float(text) == 0 and text.startswith("-") else text


def over_seeds(experiment, seeds):
    """The results of ``experiment(seed)`` for each seed, stacked: shape (len(seeds), ...).

    Arguments:
    experiment -- function of one int seed returning a number or an array (the same shape
                  for every seed)
    seeds -- sequence of ints

    Returns:
    results -- float array with one row per seed
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError("over_seeds: give at least one seed")
    return np.array([np.asarray(experiment(seed), dtype=float) for seed in seeds])


def error_bound(error, bounds=(1e-12, 1e-10, 1e-7, 1e-5)):
    """A rounding-level error as a bound, the same text on every machine: "< 1e-12".

    Arguments:
    error -- a non-negative float (a relative or absolute error)
    bounds -- increasing thresholds; the smallest one above ``error`` is printed

    Returns:
    text -- "< 1e-12" for error = 1.3e-16, or f"{error:.0e}" when it is above every bound
    """
    for bound in bounds:
        if error < bound:
            return f"< {bound:.0e}"
    return f"{error:.0e}"
