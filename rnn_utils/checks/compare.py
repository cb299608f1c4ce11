"""Compare a student's result with the expected one and describe the first difference.

Results are nested: arrays inside tuples, lists and dicts (an RNN step cache is a tuple holding
arrays and the parameters dict). ``first_difference`` walks both structures in step and names
the first place where they disagree with a path a student can read, e.g. ``cache[3]['Waa']``.
"""

from typing import NamedTuple

import numpy as np

# float64 results of the same formula agree to ~1e-15; a different but equivalent order of
# operations (or a softmax without the max shift) stays far below these tolerances, while
# every real mistake is far above them.
RTOL = 1e-9
ATOL = 1e-10


class Difference(NamedTuple):
    """Where two results first differ (``path``, e.g. "cache[1]") and how (``message``)."""

    path: str
    message: str


def first_difference(expected, actual, path):
    """The first Difference between ``actual`` and ``expected``, or None when they agree.

    Arguments:
    expected -- the reference value: an array, or a tuple / list / dict of such values
    actual -- the value to compare, of any type (a student's result)
    path -- how ``actual`` is called in messages, e.g. "a_next" or "cache"
    """
    if isinstance(expected, np.ndarray):
        return _array_difference(expected, actual, path)
    if isinstance(expected, (tuple, list)):
        return _sequence_difference(expected, actual, path)
    if isinstance(expected, dict):
        return _dict_difference(expected, actual, path)
    if isinstance(expected, float):
        return _number_difference(expected, actual, path)
    if _is_integer(expected) and _is_integer(actual) and int(actual) == int(expected):
        return None  # an index: a NumPy integer (as rng.choice returns) is as good as an int
    if type(actual) is type(expected) and actual == expected:
        return None
    return Difference(path, f"{path} is {actual!r}, expected {expected!r}")


def _is_integer(value):
    """A Python or NumPy integer, not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _array_difference(expected, actual, path):
    """Arrays: type, then shape, then dtype, then values."""
    if not isinstance(actual, np.ndarray):
        wanted = f"an array of shape {expected.shape}"
        return Difference(path, f"{path} is a {type(actual).__name__}, expected {wanted}")
    if actual.shape != expected.shape:
        return Difference(path, f"{path} has shape {actual.shape}, expected {expected.shape}")
    if actual.dtype.kind not in "biuf":  # np.allclose would crash on strings or objects
        return Difference(path, f"{path} has dtype {actual.dtype}, expected float numbers")
    if np.allclose(actual, expected, rtol=RTOL, atol=ATOL):
        return None
    return Difference(path, describe_error(expected, actual, path))


def describe_error(expected, actual, path):
    """One line with the largest absolute error, where it is, and both values there; or, when
    ``actual`` holds NaN or infinite values the reference has not, how many and the first."""
    not_finite = ~np.isfinite(actual) & np.isfinite(expected)
    if not_finite.any():
        where = tuple(int(i) for i in np.argwhere(not_finite)[0])
        return (
            f"{path} has {np.count_nonzero(not_finite)} NaN or infinite value(s) among its "
            f"{actual.size}, the first at {path}[{', '.join(map(str, where))}] (yours "
            f"{actual[where]}, expected {expected[where]:.6g}): look for a division by zero, "
            "the log of 0, or an overflow"
        )
    error = np.abs(actual.astype(float) - expected)
    where = np.unravel_index(np.argmax(error), error.shape)  # NaN counts as the largest
    index = ", ".join(str(int(i)) for i in where)
    yours, wanted = distinct_texts(float(actual[where]), float(expected[where]))
    return f"max abs error {error[where]:.3g} at {path}[{index}] (yours {yours}, expected {wanted})"


def distinct_texts(yours, expected):
    """Both numbers with 6 significant digits, or more (up to 15) until they read differently:
    a small error must not be shown as "yours 1.1072, expected 1.1072"."""
    for digits in range(6, 16):
        texts = f"{yours:.{digits}g}", f"{expected:.{digits}g}"
        if texts[0] != texts[1]:
            break
    return texts


def _number_difference(expected, actual, path):
    """A float such as a loss: any real number (a 0-d or 1-element array too), within the
    tolerances."""
    if isinstance(actual, np.ndarray) and actual.size == 1 and actual.dtype.kind in "biuf":
        actual = actual.item()
    if isinstance(actual, bool) or not isinstance(actual, (int, float, np.integer, np.floating)):
        return Difference(path, f"{path} is a {type(actual).__name__}, expected a number")
    if np.isclose(actual, expected, rtol=RTOL, atol=ATOL):
        return None
    if not np.isfinite(actual):
        return Difference(path, f"{path} is {float(actual)}, expected {expected:.6g}: look for "
                          "a division by zero, the log of 0, or an overflow")
    return Difference(path, f"{path} is {float(actual):.6g}, expected {expected:.6g} "
                      f"(error {abs(float(actual) - expected):.3g})")


def _sequence_difference(expected, actual, path):
    """Tuples and lists: type, then length, then entry by entry."""
    # A list where a tuple is expected (or the reverse) unpacks the same way: accept both.
    if not isinstance(actual, (tuple, list)):
        wanted = f"a {type(expected).__name__} of {len(expected)}"
        return Difference(path, f"{path} is a {type(actual).__name__}, expected {wanted}")
    if len(actual) != len(expected):
        return Difference(path, f"{path} has {len(actual)} entries, expected {len(expected)}")
    for i, (want, got) in enumerate(zip(expected, actual)):
        difference = first_difference(want, got, f"{path}[{i}]")
        if difference:
            return difference
    return None


def _dict_difference(expected, actual, path):
    """Dicts: type, then keys, then value by value."""
    if not isinstance(actual, dict):
        return Difference(path, f"{path} is a {type(actual).__name__}, expected a dict")
    missing = [key for key in expected if key not in actual]
    if missing:
        return Difference(path, f"{path} has no key {', '.join(map(repr, missing))}")
    extra = [key for key in actual if key not in expected]
    if extra:
        return Difference(path, f"{path} has an unexpected key {', '.join(map(repr, extra))}")
    for key, want in expected.items():
        difference = first_difference(want, actual[key], f"{path}[{key!r}]")
        if difference:
            return difference
    return None


def same(expected, actual):
    """True when ``actual`` agrees with ``expected`` everywhere (within the tolerances)."""
    return first_difference(expected, actual, "") is None
