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
from rnn_utils.shapes import check_parameters, check_shape


@dataclass(frozen=True)
class Signature:
    """Expected shapes of one graded function.

    arguments -- argument name -> shape tuple, or -> dict of parameter shapes for a
                 ``parameters`` dict, or -> None for an argument that is not an array
    returns -- result name -> shape tuple (None for a non-array such as a cache), in the order
               the function returns them (a tuple), or the keys of the dict it returns
    returns_dict -- True when the function returns a dict rather than a tuple
    """

    arguments: dict
    returns: dict
    returns_dict: bool = False
    parameter_arguments: tuple = field(default=("parameters",))


SIGNATURES = {
    "rnn_cell_forward": Signature(
        arguments={"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "parameters": RNN_SHAPES},
        returns={"a_next": ("n_a", "m"), "yt_pred": ("n_y", "m"), "cache": None},
    ),
    "rnn_forward": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": RNN_SHAPES},
        returns={"a": ("n_a", "m", "T_x"), "y_pred": ("n_y", "m", "T_x"), "caches": None},
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
    for name, shape in signature.arguments.items():
        if name not in signature.parameter_arguments and shape is not None:
            check_shape(arguments[name], shape, name, sizes, function_name)
    return sizes


def validated(function):
    """Decorator: check a graded function's arguments against SIGNATURES before running it."""
    parameters_of = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = parameters_of.bind(*args, **kwargs)
        check_arguments(function.__name__, bound.arguments)
        return function(*args, **kwargs)

    return wrapper
