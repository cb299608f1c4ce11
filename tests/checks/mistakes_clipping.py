"""Deliberately wrong student implementations of lesson 07's clip and clip_by_norm, each with one
typical mistake.

Written the way a student would write them (not by reusing the checks' own variants), so that
the tests show that a real mistake is recognised by its fingerprint.
"""

import numpy as np

# ---- clip: right, in other words than the reference ----------------------------------------


def clip_with_a_loop(gradients, max_value):
    clipped = {}
    for name in gradients:
        clipped[name] = np.maximum(np.minimum(gradients[name], max_value), -max_value)
    return clipped


# ---- clip: changing the caller's gradients ------------------------------------------------


def clip_out_in_place(gradients, max_value):
    return {name: np.clip(value, -max_value, max_value, out=value)
            for name, value in gradients.items()}


def clip_masks_in_place(gradients, max_value):
    clipped = {}
    for name, value in gradients.items():
        value[value > max_value] = max_value
        value[value < -max_value] = -max_value
        clipped[name] = value
    return clipped


def clip_same_dict(gradients, max_value):
    for name in gradients:
        gradients[name] = np.clip(gradients[name], -max_value, max_value)
    return gradients


def clip_returns_input_when_within(gradients, max_value):
    if all(np.all(np.abs(value) <= max_value) for value in gradients.values()):
        return gradients  # nothing to clip
    return {name: np.clip(value, -max_value, max_value) for name, value in gradients.items()}


# ---- clip: wrong values -------------------------------------------------------------------


def clip_upper_only(gradients, max_value):
    return {name: np.minimum(value, max_value) for name, value in gradients.items()}


def clip_zero_to_max(gradients, max_value):
    return {name: np.clip(value, 0, max_value) for name, value in gradients.items()}


def clip_bounds_swapped(gradients, max_value):
    return {name: np.clip(value, max_value, -max_value) for name, value in gradients.items()}


def clip_sign_lost(gradients, max_value):
    clipped = {}
    for name, value in gradients.items():
        new = value.copy()
        new[np.abs(new) > max_value] = max_value
        clipped[name] = new
    return clipped


def clip_weights_only(gradients, max_value):
    clipped = dict(gradients)
    for name in ("dWax", "dWaa", "dWya"):
        clipped[name] = np.clip(gradients[name], -max_value, max_value)
    return clipped


def clip_only_changed(gradients, max_value):
    clipped = {}
    for name, value in gradients.items():
        if np.abs(value).max() > max_value:
            clipped[name] = np.clip(value, -max_value, max_value)
    return clipped


# ---- clip_by_norm: right, in other words than the reference --------------------------------


def norm_of_the_concatenation(gradients, max_norm):
    flat = np.concatenate([value.ravel() for value in gradients.values()])
    norm = np.linalg.norm(flat)
    if norm <= max_norm:
        return {name: value.copy() for name, value in gradients.items()}
    return {name: value * (max_norm / norm) for name, value in gradients.items()}


# ---- clip_by_norm: changing the caller's gradients -----------------------------------------


def _norm(gradients):
    return np.sqrt(sum(np.sum(value**2) for value in gradients.values()))


def norm_scales_in_place(gradients, max_norm):
    norm = _norm(gradients)
    clipped = {}
    for name, value in gradients.items():
        if norm > max_norm:
            value *= max_norm / norm
        clipped[name] = value
    return clipped


def norm_same_dict(gradients, max_norm):
    norm = _norm(gradients)
    if norm > max_norm:
        for name in gradients:
            gradients[name] = gradients[name] * (max_norm / norm)
    return gradients


def norm_returns_input_when_within(gradients, max_norm):
    norm = _norm(gradients)
    if norm <= max_norm:
        return gradients  # nothing to do
    return {name: value * (max_norm / norm) for name, value in gradients.items()}


# ---- clip_by_norm: wrong values -----------------------------------------------------------


def norm_per_array(gradients, max_norm):
    clipped = {}
    for name, value in gradients.items():
        norm = np.linalg.norm(value)
        clipped[name] = value * (max_norm / norm) if norm > max_norm else value.copy()
    return clipped


def norm_per_array_always(gradients, max_norm):
    return {name: value / np.linalg.norm(value) * max_norm for name, value in gradients.items()}


def norm_always_rescaled(gradients, max_norm):
    factor = max_norm / _norm(gradients)
    return {name: value * factor for name, value in gradients.items()}


def norm_condition_reversed(gradients, max_norm):
    norm = _norm(gradients)
    factor = max_norm / norm if norm < max_norm else 1.0
    return {name: value * factor for name, value in gradients.items()}


def _scaled_by(gradients, max_norm, norm):
    """The right rule, given a norm (computed wrongly by the callers)."""
    factor = max_norm / norm if norm > max_norm else 1.0
    return {name: value * factor for name, value in gradients.items()}


def norm_l1(gradients, max_norm):
    norm = sum(np.abs(value).sum() for value in gradients.values())
    return _scaled_by(gradients, max_norm, norm)


def norm_max_entry(gradients, max_norm):
    norm = max(np.abs(value).max() for value in gradients.values())
    return _scaled_by(gradients, max_norm, norm)


def norm_without_sqrt(gradients, max_norm):
    norm = sum(np.sum(value * value) for value in gradients.values())
    return _scaled_by(gradients, max_norm, norm)


def norm_sum_of_norms(gradients, max_norm):
    norm = sum(np.linalg.norm(value) for value in gradients.values())
    return _scaled_by(gradients, max_norm, norm)


def norm_factor_inverted(gradients, max_norm):
    norm = _norm(gradients)
    factor = norm / max_norm if norm > max_norm else 1.0
    return {name: value * factor for name, value in gradients.items()}


def norm_unit(gradients, max_norm):
    norm = _norm(gradients)
    if norm > max_norm:
        return {name: value / norm for name, value in gradients.items()}
    return {name: value.copy() for name, value in gradients.items()}


def norm_by_value(gradients, max_norm):
    return {name: np.clip(value, -max_norm, max_norm) for name, value in gradients.items()}
