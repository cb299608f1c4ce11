"""Checks of lesson 07: ``clip`` (by value) and ``clip_by_norm`` (by the global norm).

The cases are gradient dicts shaped like an RNN's (dWax, dWaa, dba, dWya, dby) with entries of
several sizes, so that some are clipped and others not; the norm cases include a global norm
above the threshold, below it (nothing may change), and arrays each within the threshold whose
global norm is not.
"""

import numpy as np

from rnn_utils.checks.framework import Case, Exercise, run_check

GRADIENT_SHAPES = {"dWax": (5, 3), "dWaa": (5, 5), "dba": (5, 1), "dWya": (2, 5), "dby": (2, 1)}


def random_gradients(rng, spread):
    """A dict of RNN-shaped gradients with entries N(0, spread^2)."""
    return {name: rng.standard_normal(shape) * spread for name, shape in GRADIENT_SHAPES.items()}


def global_norm(gradients):
    """sqrt of the sum of all squared entries of all arrays."""
    return float(np.sqrt(sum(np.sum(value**2) for value in gradients.values())))


def clip_cases():
    """The Cases of clip: arguments gradients, max_value."""
    rows = (("some entries beyond 1", 2.0, 1.0), ("all entries within 10", 1.0, 10.0),
            ("most entries beyond 0.5", 5.0, 0.5), ("threshold 3, large entries", 4.0, 3.0))
    cases = []
    for seed, (text, spread, max_value) in enumerate(rows, start=1200):
        gradients = random_gradients(np.random.default_rng(seed), spread)
        cases.append(Case(text, {"gradients": gradients, "max_value": max_value}, {}))
    return cases


def clip_by_norm_cases():
    """The Cases of clip_by_norm: arguments gradients, max_norm."""
    rows = (("global norm above 5", 2.0, 5.0), ("global norm below 50: unchanged", 2.0, 50.0),
            ("every array within 4, the global norm above", 0.6, 4.0),
            ("global norm far above 1", 10.0, 1.0))
    cases = []
    for seed, (text, spread, max_norm) in enumerate(rows, start=1300):
        gradients = random_gradients(np.random.default_rng(seed), spread)
        cases.append(Case(f"{text} (global norm {global_norm(gradients):.1f})",
                          {"gradients": gradients, "max_norm": max_norm}, {}))
    return cases


CLIP = Exercise("clip", clip_cases, aspects="values, a new dict, inputs unchanged")
CLIP_BY_NORM = Exercise("clip_by_norm", clip_by_norm_cases,
                        aspects="one common factor, no change within the threshold, inputs "
                                "unchanged")


def check_clip(clip):
    """Check a student's ``clip(gradients, max_value)``; CheckFailure if wrong."""
    run_check(CLIP, clip)


def check_clip_by_norm(clip_by_norm):
    """Check a student's ``clip_by_norm(gradients, max_norm)``; CheckFailure if wrong."""
    run_check(CLIP_BY_NORM, clip_by_norm)
