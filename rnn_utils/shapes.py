"""Shape assertions with messages that say which argument is wrong and what was expected.

Every function in this package checks its inputs with these helpers, so a wrong shape is
reported where it enters, by name, instead of surfacing later as a cryptic broadcasting error
(or worse, as a silently wrong answer: NumPy happily broadcasts (n, 1) against (1, n)).
"""

import numpy as np


class ShapeError(ValueError):
    """An array argument does not have the shape the function expects."""


def _format_dims(dims):
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _size_of(dim, sizes):
    """The size of a dimension if known: an int, a bound name, or a sum "n_a+n_x" of bound names."""
    if not isinstance(dim, str):
        return dim
    parts = dim.split("+")
    if all(part in sizes for part in parts):
        return sum(sizes[part] for part in parts)
    return dim


def _bind(dim, size, sizes):
    """Record the size of a named dimension; for a sum "n_a+n_x", the one part still unknown."""
    parts = dim.split("+")
    unknown = [part for part in parts if part not in sizes]
    if len(unknown) == 1:
        sizes[unknown[0]] = size - sum(sizes[part] for part in parts if part in sizes)


def check_shape(array, expected, name, sizes=None, where=None):
    """Assert that ``array`` has the shape ``expected`` and return the sizes it fixes.

    Arguments:
    array -- the value to check; must be a NumPy array
    expected -- tuple of ints and/or dimension names, e.g. ("n_a", "m") or (5, 1); a name is
                bound to the size it first meets and must match that size afterwards
    name -- how the argument is called in messages, e.g. "a_prev" or "parameters['Waa']"
    sizes -- dict of dimension name -> int already known (updated in place and returned)
    where -- optional name of the calling function, used to prefix messages

    Returns:
    sizes -- the dict of dimension sizes, now including those fixed by this array

    Raises:
    TypeError if ``array`` is not a NumPy array; ShapeError naming the argument, its shape and
    the expected shape otherwise.
    """
    sizes = {} if sizes is None else sizes
    prefix = f"{where}: " if where else ""
    if not isinstance(array, np.ndarray):
        expected_text = _format_dims([str(d) for d in expected])
        raise TypeError(
            f"{prefix}{name} must be a NumPy array of shape {expected_text}, "
            f"got {type(array).__name__}"
        )
    wanted = [_size_of(d, sizes) for d in expected]
    shown = " = ".join(dict.fromkeys([
        _format_dims([str(d) for d in expected]),
        _format_dims([str(w) for w in wanted]),
    ]))
    if array.ndim != len(expected):
        raise ShapeError(
            f"{prefix}{name} has shape {array.shape} ({array.ndim} dimension"
            f"{'' if array.ndim == 1 else 's'}) but shape "
            f"{shown} was expected"
        )
    for dim, want, got in zip(expected, wanted, array.shape):
        if isinstance(want, int) and want != got:
            raise ShapeError(
                f"{prefix}{name} has shape {array.shape} but shape {shown} was expected")
        if isinstance(dim, str):
            _bind(dim, got, sizes)
    return sizes


def check_parameters(parameters, expected, sizes=None, where=None, name="parameters"):
    """Check every array of a parameter dict against ``expected`` (key -> shape tuple).

    Arguments:
    parameters -- dict of NumPy arrays, e.g. {"Wax": (n_a, n_x) array, ...}
    expected -- dict of key -> expected shape tuple, in the order sizes should be bound
    sizes -- dict of dimension sizes already known (updated in place and returned)
    where -- optional name of the calling function, used to prefix messages
    name -- what the dict is called in messages (an optimizer's "gradients" or "memory")

    Returns:
    sizes -- the dict of dimension sizes, including those fixed by the parameters
    """
    sizes = {} if sizes is None else sizes
    prefix = f"{where}: " if where else ""
    if not isinstance(parameters, dict):
        raise TypeError(f"{prefix}{name} must be a dict, got {type(parameters).__name__}")
    missing = [key for key in expected if key not in parameters]
    if missing:
        raise KeyError(f"{prefix}{name} is missing {', '.join(missing)}")
    for key, shape in expected.items():
        check_shape(parameters[key], shape, f"{name}['{key}']", sizes, where)
    return sizes
