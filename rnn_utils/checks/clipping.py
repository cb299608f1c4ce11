"""Checks of lesson 07: ``clip`` (by value) and ``clip_by_norm`` (by the global norm).

The cases are gradient dicts shaped like an RNN's (dWax, dWaa, dba, dWya, dby) with entries of
several sizes, so that some are clipped and others not; the norm cases include a global norm
above the threshold, below it (nothing may change), and arrays each within the threshold whose
global norm is not.

Each known mistake is a tiny function computing what a function with that mistake returns
(its fingerprint). Changing the caller's gradients is caught before the values are compared
(the framework's inputs check), with a hint that names the clip-specific culprits.
"""

import numpy as np

from rnn_utils.checks.framework import Case, Exercise, Mistake, case_rng, run_check

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
        gradients = random_gradients(case_rng(seed), spread)
        cases.append(Case(text, {"gradients": gradients, "max_value": max_value}, {}))
    return cases


def clip_by_norm_cases():
    """The Cases of clip_by_norm: arguments gradients, max_norm."""
    rows = (("global norm above 5", 2.0, 5.0), ("global norm below 50: unchanged", 2.0, 50.0),
            ("every array within 4, the global norm above", 0.6, 4.0),
            ("global norm far above 1", 10.0, 1.0))
    cases = []
    for seed, (text, spread, max_norm) in enumerate(rows, start=1300):
        gradients = random_gradients(case_rng(seed), spread)
        cases.append(Case(f"{text} (global norm {global_norm(gradients):.1f})",
                          {"gradients": gradients, "max_norm": max_norm}, {}))
    return cases


# ---- clip: known mistakes ------------------------------------------------------------------


def _clip_each(function):
    """A clip variant applying ``function(value, max_value)`` to every array."""
    return lambda gradients, max_value: {name: function(value, max_value)
                                         for name, value in gradients.items()}


def _clip_keys(selected):
    """A clip variant clipping only the arrays whose name ``selected(name)`` accepts."""
    def variant(gradients, max_value):
        return {name: np.clip(value, -max_value, max_value) if selected(name) else value
                for name, value in gradients.items()}
    return variant


def _sign_lost(value, max_value):
    """Entries beyond the threshold on either side set to +max_value."""
    clipped = value.copy()
    clipped[np.abs(clipped) > max_value] = max_value
    return clipped


def _only_changed(gradients, max_value):
    """Only the arrays that clipping changed, the others left out."""
    return {name: np.clip(value, -max_value, max_value) for name, value in gradients.items()
            if np.any(np.abs(value) > max_value)}


CLIP_MISTAKES = (
    Mistake("one_sided", "only the upper bound is applied (np.minimum(value, max_value)): "
            "entries below -max_value are left as they are. Clip both sides: "
            "np.clip(value, -max_value, max_value).", _clip_each(np.minimum)),
    Mistake("clipped_to_0_max", "the interval is [0, max_value]: every negative entry becomes "
            "0. A gradient's entries may be negative; the interval is [-max_value, max_value].",
            _clip_each(lambda value, max_value: np.clip(value, 0, max_value))),
    Mistake("bounds_swapped", "the bounds are swapped: np.clip(value, max_value, -max_value) "
            "sets every entry to -max_value. The lower bound comes first.",
            _clip_each(lambda value, max_value: np.clip(value, max_value, -max_value))),
    Mistake("sign_lost", "entries beyond the threshold are all set to +max_value, so a large "
            "negative entry changes sign (value[np.abs(value) > max_value] = max_value). "
            "Entries below -max_value become -max_value: np.clip does both.",
            _clip_each(_sign_lost)),
    Mistake("some_keys_not_clipped", "only the weight gradients (dW...) are clipped: the "
            "bias gradients are left as they are. Clip every array of the dict.",
            _clip_keys(lambda name: name.startswith("dW"))),
    Mistake("unchanged_arrays_left_out", "only the arrays that clipping changed are "
            "returned: the result must have every key of gradients, the arrays within the "
            "threshold included (unchanged).", _only_changed),
)

# ---- clip_by_norm: known mistakes ----------------------------------------------------------


def _scaled(gradients, max_norm, norm_of=global_norm, factor_of=None):
    """Every array times one factor: max_norm / norm when norm > max_norm, else 1, where norm
    is ``norm_of(gradients)``; ``factor_of(norm, max_norm)`` replaces the whole rule."""
    norm = norm_of(gradients)
    if factor_of is None:
        factor = max_norm / norm if norm > max_norm else 1.0
    else:
        factor = factor_of(norm, max_norm)
    return {name: value * factor for name, value in gradients.items()}


def _per_array(always):
    """Each array rescaled by its own norm (when above max_norm, or ``always``)."""
    def variant(gradients, max_norm):
        clipped = {}
        for name, value in gradients.items():
            norm = np.sqrt(np.sum(value**2))
            clipped[name] = value * max_norm / norm if always or norm > max_norm else value * 1.0
        return clipped
    return variant


def _norm_variant(norm_of):
    """The right rule with another (wrong) norm ``norm_of(gradients)``."""
    return lambda gradients, max_norm: _scaled(gradients, max_norm, norm_of=norm_of)


def _factor_variant(factor_of):
    """The global L2 norm with another (wrong) rule ``factor_of(norm, max_norm)``."""
    return lambda gradients, max_norm: _scaled(gradients, max_norm, factor_of=factor_of)


def _above_only(factor_of):
    """A rule giving ``factor_of(norm, max_norm)`` above the threshold and 1 below it."""
    return _factor_variant(lambda norm, max_norm: factor_of(norm, max_norm)
                           if norm > max_norm else 1.0)


PER_ARRAY = ("each array is rescaled by its own norm: arrays within the threshold are left "
             "alone although the global norm is above it, and the arrays no longer share one "
             "factor (the direction of the whole gradient changes). Compute ONE norm over all "
             "arrays, sqrt(sum of every squared entry), and one factor max_norm / norm.")

CLIP_BY_NORM_MISTAKES = (
    Mistake("per_array_norms", PER_ARRAY, _per_array(always=False)),
    Mistake("per_array_norms", PER_ARRAY, _per_array(always=True)),
    Mistake("always_rescaled", "the gradients are rescaled even when the global norm is below "
            "max_norm (factor = max_norm / norm always): a small gradient is blown up to norm "
            "max_norm. Rescale only when norm > max_norm; otherwise the factor is 1.",
            _factor_variant(lambda norm, max_norm: max_norm / norm)),
    Mistake("condition_reversed", "the condition is reversed: the gradients are rescaled when "
            "the global norm is BELOW max_norm and left alone when above. Rescale when "
            "norm > max_norm.", _factor_variant(lambda norm, max_norm: max_norm / norm
                                                if norm < max_norm else 1.0)),
    Mistake("l1_norm", "the norm is the sum of the absolute values (L1): the global norm is "
            "the L2 norm, sqrt of the sum of every squared entry.",
            _norm_variant(lambda gradients: float(sum(np.sum(np.abs(value))
                                                      for value in gradients.values())))),
    Mistake("max_entry_norm", "the norm is the largest absolute entry: the global norm is the "
            "L2 norm, sqrt of the sum of every squared entry.",
            _norm_variant(lambda gradients: float(max(np.max(np.abs(value))
                                                      for value in gradients.values())))),
    Mistake("norm_without_sqrt", "the norm is the sum of the squared entries, without the "
            "square root: the global norm is sqrt(sum of every squared entry).",
            _norm_variant(lambda gradients: global_norm(gradients) ** 2)),
    Mistake("sum_of_norms", "the global norm is the sum of the arrays' norms: it is the square "
            "root of the sum of their SQUARED norms, sqrt(sum of every squared entry).",
            _norm_variant(lambda gradients: float(sum(np.sqrt(np.sum(value**2))
                                                      for value in gradients.values())))),
    Mistake("factor_inverted", "the factor is inverted (norm / max_norm): it must shrink the "
            "gradients to norm max_norm, so it is max_norm / norm.",
            _above_only(lambda norm, max_norm: norm / max_norm)),
    Mistake("unit_norm", "the gradients are divided by the norm but not multiplied by max_norm: "
            "they end with norm 1 instead of max_norm. The factor is max_norm / norm.",
            _above_only(lambda norm, max_norm: 1 / norm)),
    Mistake("clipped_by_value", "each entry is clipped to [-max_norm, max_norm] (clipping by "
            "value): clipping by norm multiplies every array by one factor, max_norm / norm, "
            "and so keeps the direction of the whole gradient.",
            lambda gradients, max_norm: {name: np.clip(value, -max_norm, max_norm)
                                         for name, value in gradients.items()}),
)

# ---- changing the caller's gradients --------------------------------------------------------

SAME_DICT = ("the function changes the caller's dict and returns it (gradients[name] = ... "
             "stores into it): the caller's gradients are lost. Build a new dict, e.g. "
             "{name: ... for name, value in gradients.items()}.")


def in_place_hint(fix):
    """The input_hints entry for ``gradients`` of an exercise whose right computation is
    ``fix``: the hint names the in-place operations of that exercise, or the returned dict."""
    in_place = ("an array of gradients is changed in place (np.clip(value, -m, m, out=value), "
                "value[value > m] = m, or value *= factor), so the caller's gradients change "
                f"too. Compute a new array: {fix}.")

    def hint(returned, gradients):
        if returned is gradients:
            return "same_dict_mutated", SAME_DICT
        return "gradients_modified_in_place", in_place
    hint.diagnoses = {"same_dict_mutated": SAME_DICT, "gradients_modified_in_place": in_place}
    return {"gradients": hint}


SAME_DICT_RETURNED = {"gradients": (
    "same_dict_returned", "`return gradients` hands back the caller's own dict: the result "
    "must be a new dict (here with the same values), so that changing it cannot change the "
    "caller's gradients.")}

CLIP = Exercise("clip", clip_cases, mistakes=CLIP_MISTAKES,
                aspects="values, a new dict, inputs unchanged",
                input_hints=in_place_hint("np.clip(value, -max_value, max_value) without out="),
                new_results=SAME_DICT_RETURNED)
CLIP_BY_NORM = Exercise("clip_by_norm", clip_by_norm_cases, mistakes=CLIP_BY_NORM_MISTAKES,
                        aspects="one common factor, no change within the threshold, inputs "
                                "unchanged",
                        input_hints=in_place_hint("value * factor"),
                        new_results=SAME_DICT_RETURNED)


def check_clip(clip):
    """Check a student's ``clip(gradients, max_value)``; CheckFailure if wrong."""
    run_check(CLIP, clip)


def check_clip_by_norm(clip_by_norm):
    """Check a student's ``clip_by_norm(gradients, max_norm)``; CheckFailure if wrong."""
    run_check(CLIP_BY_NORM, clip_by_norm)
