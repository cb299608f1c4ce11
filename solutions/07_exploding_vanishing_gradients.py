# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 07 · Exploding and vanishing gradients, and clipping
#
# (Skeleton: the prose is being written.)

# %%
import numpy as np

from rnn_utils.checks import check_clip, check_clip_by_norm

np.set_printoptions(precision=6, suppress=True)


# %%
def clip(gradients, max_value):
    """Clip every gradient elementwise to the interval [-max_value, max_value].

    Arguments:
    gradients -- dict of gradient arrays, e.g. {"dWax": (n_a, n_x) array, "dWaa": ..., ...}
    max_value -- the threshold, a positive number

    Returns:
    clipped -- a NEW dict with the same keys; each array has the shape of the original, with
               every entry above max_value set to max_value and every entry below -max_value
               set to -max_value. The arrays of ``gradients`` are not modified.
    """
    if not max_value > 0:
        raise ValueError(f"max_value must be positive, got {max_value!r}")
    ### BEGIN SOLUTION
    # np.clip without out= makes a new array: the caller's gradients stay as they were.
    clipped = {name: np.clip(value, -max_value, max_value) for name, value in gradients.items()}
    ### END SOLUTION
    return clipped


# %% points=2
check_clip(clip)


# %%
def clip_by_norm(gradients, max_norm):
    """Rescale all gradients together so that their global L2 norm is at most max_norm.

    The global norm is sqrt(sum over all arrays of the sum of their squared entries). When it
    exceeds max_norm, every array is multiplied by the same factor max_norm / global norm, so
    the direction of the whole gradient is kept; otherwise the gradients are returned unchanged.

    Arguments:
    gradients -- dict of gradient arrays, e.g. {"dWax": (n_a, n_x) array, "dWaa": ..., ...}
    max_norm -- the largest global norm allowed, a positive number

    Returns:
    clipped -- a NEW dict with the same keys and shapes; the arrays of ``gradients`` are not
               modified
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm!r}")
    ### BEGIN SOLUTION
    global_norm = np.sqrt(sum(np.sum(value**2) for value in gradients.values()))
    # One factor for all arrays keeps the direction; no rescaling when within the threshold.
    factor = max_norm / global_norm if global_norm > max_norm else 1.0
    clipped = {name: value * factor for name, value in gradients.items()}  # new arrays
    ### END SOLUTION
    return clipped


# %% points=2
check_clip_by_norm(clip_by_norm)
