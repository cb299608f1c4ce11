"""The shapes of every graded function's arguments and results, in one table.

The table serves three purposes: the reference implementations validate their inputs with it
(a wrong shape is named, with what was expected), the checks compare a student's outputs
against it, and the lessons print it as documentation. Dimension names: n_x input size,
n_a hidden size, n_y output size, m batch size (examples), T_x number of time steps.
"""

import functools
import inspect
from dataclasses import dataclass, field

from rnn_utils.params import RNN_SHAPES
from rnn_utils.shapes import ShapeError, check_parameters, check_shape


@dataclass(frozen=True)
class Signature:
    """Expected shapes of one graded function.

    arguments -- argument name -> shape tuple, or -> dict of parameter shapes for a
                 ``parameters`` dict, or -> None for an argument that is not an array
    returns -- result name -> shape tuple (None for a non-array such as a cache), in the order
               the function returns them (a tuple), or the keys of the dict it returns
    returns_dict -- True when the function returns a dict rather than a tuple
    returns_single -- True when the function returns its one result alone, not in a tuple
    """

    arguments: dict
    returns: dict
    returns_dict: bool = False
    returns_single: bool = False
    parameter_arguments: tuple = field(default=("parameters",))


@dataclass(frozen=True)
class Entries:
    """The layout of a tuple argument such as a cache: (entry name, spec) pairs, in order.

    A spec is a shape tuple, a dict of parameter shapes, another Entries, or a Steps.
    """

    entries: tuple


@dataclass(frozen=True)
class Steps:
    """A list with one entry per time step (T_x of them), each of layout ``step``."""

    step: Entries


# A step cache of the RNN, as rnn_cell_forward stores it, and the caches of rnn_forward.
RNN_STEP_CACHE = Entries((("a_next", ("n_a", "m")), ("a_prev", ("n_a", "m")),
                          ("xt", ("n_x", "m")), ("parameters", RNN_SHAPES)))
RNN_CACHES = Entries((("list of step caches", Steps(RNN_STEP_CACHE)), ("x", ("n_x", "m", "T_x"))))
RNN_GRADIENTS = {"dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"), "dWax": ("n_a", "n_x"),
                 "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)}


SIGNATURES = {
    "rnn_cell_forward": Signature(
        arguments={"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "parameters": RNN_SHAPES},
        returns={"a_next": ("n_a", "m"), "yt_pred": ("n_y", "m"), "cache": None},
    ),
    "rnn_forward": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": RNN_SHAPES},
        returns={"a": ("n_a", "m", "T_x"), "y_pred": ("n_y", "m", "T_x"), "caches": None},
    ),
    "rnn_cell_backward": Signature(
        arguments={"da_next": ("n_a", "m"), "cache": RNN_STEP_CACHE},
        returns={"dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dWax": ("n_a", "n_x"),
                 "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)},
        returns_dict=True,
    ),
    "numerical_gradient": Signature(
        arguments={"f": None, "x": None, "eps": None},
        returns={"grad": None},
        returns_single=True,
    ),
    "softmax_cross_entropy": Signature(
        arguments={"y_pred": ("n_y", "m", "T_x"), "y": ("n_y", "m", "T_x")},
        returns={"loss": None, "dz": ("n_y", "m", "T_x")},
    ),
    "output_layer_backward": Signature(
        arguments={"dz": ("n_y", "m", "T_x"), "a": ("n_a", "m", "T_x"), "parameters": RNN_SHAPES},
        returns={"da": ("n_a", "m", "T_x"), "dWya": ("n_y", "n_a"), "dby": ("n_y", 1)},
        returns_dict=True,
    ),
    "rnn_backward": Signature(
        arguments={"da": ("n_a", "m", "T_x"), "caches": RNN_CACHES},
        returns=RNN_GRADIENTS,
        returns_dict=True,
    ),
    "rnn_backward_truncated": Signature(
        arguments={"da": ("n_a", "m", "T_x"), "caches": RNN_CACHES, "k": None},
        returns=RNN_GRADIENTS,
        returns_dict=True,
    ),
}


def check_arguments(function_name, arguments):
    """Validate the arguments of a call to a graded function against its signature.

    Arguments:
    function_name -- key of SIGNATURES, e.g. "rnn_cell_forward"
    arguments -- dict of argument name -> value, as the function received them

    Returns:
    sizes -- dict of dimension name -> size (n_x, n_a, n_y, m, T_x as they apply)
    """
    signature = SIGNATURES[function_name]
    sizes = {}
    # Parameters first: they fix n_a, n_x, n_y, which the data arguments must then agree with.
    for name in signature.parameter_arguments:
        if name in signature.arguments:
            check_parameters(arguments[name], signature.arguments[name], sizes, function_name)
    for name, spec in signature.arguments.items():
        if name not in signature.parameter_arguments:
            check_spec(arguments[name], spec, name, sizes, function_name)
    return sizes


def check_spec(value, spec, name, sizes, where):
    """Check ``value`` against a spec: a shape tuple, a dict of parameter shapes, an Entries
    layout, a Steps list, or None (anything goes). Binds dimension sizes in ``sizes``."""
    if spec is None:
        return
    if isinstance(spec, dict):
        check_parameters(value, spec, sizes, where)
    elif isinstance(spec, Entries):
        check_entries(value, spec, name, sizes, where)
    elif isinstance(spec, Steps):
        check_steps(value, spec, name, sizes, where)
    else:
        check_shape(value, spec, name, sizes, where)


def check_entries(value, spec, name, sizes, where):
    """A tuple such as a cache: its length, then every entry (arrays of data before the
    parameters dict, whose shapes are then checked against the sizes the data fixed)."""
    labels = [label for label, _ in spec.entries]
    if not isinstance(value, (tuple, list)) or len(value) != len(labels):
        got = f"a {type(value).__name__}" + (
            f" of {len(value)} entries" if isinstance(value, (tuple, list)) else "")
        raise TypeError(f"{where}: {name} must be a tuple ({', '.join(labels)}), got {got}")
    for index, (label, entry_spec) in enumerate(spec.entries):
        check_spec(value[index], entry_spec, f"{name}[{index}] ({label})", sizes, where)


def check_steps(value, spec, name, sizes, where):
    """A list of step caches: one per time step, each checked (T_x must be known already)."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{where}: {name} must be a list of step caches, "
                        f"got a {type(value).__name__}")
    if "T_x" in sizes and len(value) != sizes["T_x"]:
        raise ShapeError(f"{where}: {name} holds {len(value)} step caches but T_x = "
                         f"{sizes['T_x']} steps were expected")
    for t, step in enumerate(value):
        check_spec(step, spec.step, f"{name}[{t}]", sizes, where)


def validated(function):
    """Decorator: check a graded function's arguments against SIGNATURES before running it."""
    parameters_of = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = parameters_of.bind(*args, **kwargs)
        bound.apply_defaults()
        check_arguments(function.__name__, bound.arguments)
        return function(*args, **kwargs)

    return wrapper
