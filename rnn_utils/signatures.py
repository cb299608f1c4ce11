"""The shapes of every graded function's arguments and results, in one table.

The table serves three purposes: the reference implementations validate their inputs with it
(a wrong shape is named, with what was expected), the checks compare a student's outputs
against it, and the lessons print it as documentation. Dimension names: n_x input size,
n_a hidden size, n_y output size, m batch size (examples), T_x number of time steps.
"""

import functools
import inspect
import os
import sys
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from rnn_utils.params import GRU_SHAPES, LSTM_SHAPES, RNN_SHAPES
from rnn_utils.shapes import ShapeError, _bind, check_parameters, check_shape


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


# The same for the LSTM: a step cache as lstm_cell_forward stores it, the caches of lstm_forward.
LSTM_STEP_CACHE = Entries((
    ("a_next", ("n_a", "m")), ("c_next", ("n_a", "m")), ("a_prev", ("n_a", "m")),
    ("c_prev", ("n_a", "m")), ("ft", ("n_a", "m")), ("it", ("n_a", "m")), ("cct", ("n_a", "m")),
    ("ot", ("n_a", "m")), ("xt", ("n_x", "m")), ("parameters", LSTM_SHAPES)))
LSTM_CACHES = Entries((("list of step caches", Steps(LSTM_STEP_CACHE)),
                       ("x", ("n_x", "m", "T_x"))))
# The gradients of the RNN's five parameters, as an optimizer takes them ("d" + name).
RNN_PARAMETER_GRADIENTS = {"d" + name: shape for name, shape in RNN_SHAPES.items()}
GATE_GRADIENTS = {name: ("n_a", "n_a+n_x") if name.startswith("dW") else ("n_a", 1)
                  for name in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")}

# The GRU: a step cache as gru_cell_forward stores it (zt update gate, rt reset gate, hht the
# candidate h~), the caches of gru_forward, and the gradients of the three gates.
GRU_STEP_CACHE = Entries((
    ("a_next", ("n_a", "m")), ("a_prev", ("n_a", "m")), ("zt", ("n_a", "m")),
    ("rt", ("n_a", "m")), ("hht", ("n_a", "m")), ("xt", ("n_x", "m")),
    ("parameters", GRU_SHAPES)))
GRU_CACHES = Entries((("list of step caches", Steps(GRU_STEP_CACHE)), ("x", ("n_x", "m", "T_x"))))
GRU_GATE_GRADIENTS = {name: ("n_a", "n_a+n_x") if name.startswith("dW") else ("n_a", 1)
                      for name in ("dWz", "dbz", "dWr", "dbr", "dWh", "dbh")}

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
    "lstm_cell_forward": Signature(
        arguments={"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "c_prev": ("n_a", "m"),
                   "parameters": LSTM_SHAPES},
        returns={"a_next": ("n_a", "m"), "c_next": ("n_a", "m"), "yt_pred": ("n_y", "m"),
                 "cache": None},
    ),
    "lstm_forward": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": LSTM_SHAPES},
        returns={"a": ("n_a", "m", "T_x"), "y": ("n_y", "m", "T_x"), "c": ("n_a", "m", "T_x"),
                 "caches": None},
    ),
    "lstm_cell_backward": Signature(
        arguments={"da_next": ("n_a", "m"), "dc_next": ("n_a", "m"), "cache": LSTM_STEP_CACHE},
        returns={"dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dc_prev": ("n_a", "m"),
                 **GATE_GRADIENTS},
        returns_dict=True,
    ),
    "lstm_backward": Signature(
        arguments={"da": ("n_a", "m", "T_x"), "caches": LSTM_CACHES},
        returns={"dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"), **GATE_GRADIENTS},
        returns_dict=True,
    ),
    "gru_cell_forward": Signature(
        arguments={"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "parameters": GRU_SHAPES},
        returns={"a_next": ("n_a", "m"), "yt_pred": ("n_y", "m"), "cache": None},
    ),
    "gru_forward": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": GRU_SHAPES},
        returns={"a": ("n_a", "m", "T_x"), "y_pred": ("n_y", "m", "T_x"), "caches": None},
    ),
    "gru_cell_backward": Signature(
        arguments={"da_next": ("n_a", "m"), "cache": GRU_STEP_CACHE},
        returns={"dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), **GRU_GATE_GRADIENTS},
        returns_dict=True,
    ),
    "gru_backward": Signature(
        arguments={"da": ("n_a", "m", "T_x"), "caches": GRU_CACHES},
        returns={"dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"), **GRU_GATE_GRADIENTS},
        returns_dict=True,
    ),
    "clip": Signature(
        arguments={"gradients": None, "max_value": None},
        returns={"clipped": None},
        returns_single=True,
    ),
    "clip_by_norm": Signature(
        arguments={"gradients": None, "max_norm": None},
        returns={"clipped": None},
        returns_single=True,
    ),
    "sample": Signature(
        arguments={"parameters": RNN_SHAPES, "temperature": None, "rng": None,
                   "max_length": None},
        returns={"indices": None},
        returns_single=True,
    ),
    "sgd_update": Signature(
        arguments={"parameters": RNN_SHAPES, "gradients": RNN_PARAMETER_GRADIENTS,
                   "learning_rate": None},
        returns={"new_parameters": None},
        returns_single=True,
        parameter_arguments=("parameters", "gradients"),
    ),
    "adagrad_update": Signature(
        arguments={"parameters": RNN_SHAPES, "gradients": RNN_PARAMETER_GRADIENTS,
                   "memory": RNN_SHAPES, "learning_rate": None, "epsilon": None},
        returns={"new_parameters": None, "new_memory": None},
        parameter_arguments=("parameters", "gradients", "memory"),
    ),
    "training_step": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "y": ("n_y", "m", "T_x"), "a0": ("n_a", "m"),
                   "parameters": RNN_SHAPES, "memory": RNN_SHAPES, "learning_rate": None,
                   "max_norm": None},
        returns={"loss": None, "a_last": ("n_a", "m"), "new_parameters": None,
                 "new_memory": None},
        parameter_arguments=("parameters", "memory"),
    ),
    "train_truncated": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "y": ("n_y", "m", "T_x"), "a0": ("n_a", "m"),
                   "parameters": RNN_SHAPES, "memory": RNN_SHAPES, "k": None,
                   "learning_rate": None, "max_norm": None},
        returns={"losses": None, "a_last": ("n_a", "m"), "new_parameters": None,
                 "new_memory": None},
        parameter_arguments=("parameters", "memory"),
    ),
    "loss_per_character": Signature(
        arguments={"x": ("n_x", "m", "T_x"), "y": ("n_y", "m", "T_x"), "parameters": RNN_SHAPES},
        returns={"loss": None, "perplexity": None},
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
    # The first array to meet a dimension fixes its size, and a later one that disagrees is
    # the one named. So the arguments most likely right go first: the parameters (they fix
    # n_a, n_x, n_y), then the caches the forward pass built, then other data, and last the
    # upstream gradients (da_next, da, dz), which are then the ones named when they disagree.
    for name in sorted(signature.arguments, key=lambda name: _rank(signature, name)):
        spec = signature.arguments[name]
        if name in signature.parameter_arguments:
            bind_agreed_sizes(arguments[name], spec, sizes)
            check_parameters(arguments[name], spec, sizes, function_name, name)
        else:
            check_spec(arguments[name], spec, name, sizes, function_name)
    return sizes


def _rank(signature, name):
    """Checking order of an argument: 0 parameters, 1 a cache layout, 2 other data,
    3 an upstream gradient (by the course's naming, the array arguments starting with d)."""
    if name in signature.parameter_arguments:
        return 0
    if isinstance(signature.arguments[name], (Entries, Steps)):
        return 1
    return 3 if name.startswith("d") else 2


def check_spec(value, spec, name, sizes, where, label=None):
    """Check ``value`` against a spec: a shape tuple, a dict of parameter shapes, an Entries
    layout, a Steps list, or None (anything goes). Binds dimension sizes in ``sizes``.

    ``name`` is where the value sits, e.g. "caches[0][1][2]"; ``label`` what it is, e.g. "xt"
    (messages then call it "caches[0][1][2] (xt)").
    """
    if spec is None:
        return
    if isinstance(spec, dict):
        check_parameter_entry(value, spec, name, sizes, where, label)
    elif isinstance(spec, Entries):
        check_entries(value, spec, name, sizes, where, label)
    elif isinstance(spec, Steps):
        check_steps(value, spec, name, sizes, where, label)
    else:
        check_shape(value, spec, _shown(name, label), sizes, where)


def _shown(name, label):
    return f"{name} ({label})" if label else name


def _a_type(value):
    """'a list', 'an ndarray': the type of value, with its article."""
    type_name = type(value).__name__
    return ("an " if type_name[0] in "aeiou" or type_name == "ndarray" else "a ") + type_name


def check_entries(value, spec, name, sizes, where, label=None):
    """A tuple such as a cache: its length, then every entry. A parameters dict in it is
    checked first, as the parameters argument of a function is: its shapes fix the sizes
    that the data entries must then agree with."""
    labels = [entry_label for entry_label, _ in spec.entries]
    if not isinstance(value, tuple) or len(value) != len(labels):
        # A list is refused too: a list of step caches passed for the caches could otherwise
        # pass the length test (when T_x is 2) and fail later with a baffling message.
        got = _a_type(value) + (
            f" of {len(value)} entries" if isinstance(value, (tuple, list)) else "")
        raise TypeError(f"{where}: {_shown(name, label)} must be a tuple "
                        f"({', '.join(labels)}), got {got}")
    order = sorted(range(len(labels)), key=lambda i: not isinstance(spec.entries[i][1], dict))
    for index in order:
        entry_label, entry_spec = spec.entries[index]
        check_spec(value[index], entry_spec, f"{name}[{index}]", sizes, where, entry_label)


def check_steps(value, spec, name, sizes, where, label=None):
    """A list of step caches: one per time step, each checked. Its length fixes T_x when no
    argument has yet."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{where}: {_shown(name, label)} must be a list of step caches, "
                        f"got {_a_type(value)}")
    if "T_x" in sizes and len(value) != sizes["T_x"]:
        raise ShapeError(f"{where}: {_shown(name, label)} holds {len(value)} step caches but "
                         f"T_x = {sizes['T_x']} steps were expected")
    sizes.setdefault("T_x", len(value))
    for t, step in enumerate(value):
        check_spec(step, spec.step, f"{name}[{t}]", sizes, where)


def check_parameter_entry(value, spec, name, sizes, where, label=None):
    """A parameters dict held inside a tuple, e.g. the last entry of a step cache: like
    shapes.check_parameters, but every message says where the dict sits."""
    shown = _shown(name, label)
    if not isinstance(value, dict):
        raise TypeError(f"{where}: {shown} must be a dict, got {type(value).__name__}")
    missing = [key for key in spec if key not in value]
    if missing:
        raise KeyError(f"{where}: {shown} is missing {', '.join(missing)}")
    bind_agreed_sizes(value, spec, sizes)
    for key, shape in spec.items():
        check_shape(value[key], shape, f"{name}['{key}'] ({label or 'parameters'}['{key}'])",
                    sizes, where)


def bind_agreed_sizes(parameters, spec, sizes):
    """Before the arrays of a parameters dict are checked one by one, bind the sizes most of them
    agree on, when the dict has a weight acting on a stacked input (a dimension "n_a+n_x").

    Checked one by one, the first array to meet a dimension fixes it. The LSTM's first weight,
    Wf (n_a, n_a + n_x), is then the only one that fixes n_x: a wrong Wf would have the right Wi
    named in its place (and a Wf with a wrong n_a, the right bf). A vote over the dict's arrays
    fixes each size by majority, so that the one array that disagrees is the one named. Sizes
    already bound (by an earlier argument) are kept; arrays of the wrong type or number of
    dimensions do not vote (the check names them).
    """
    if not isinstance(parameters, dict) or not any(
            isinstance(dim, str) and "+" in dim for shape in spec.values() for dim in shape):
        return
    votes = {}  # dimension name -> Counter of the sizes the arrays give it
    for key, shape in spec.items():
        array = parameters.get(key)
        if isinstance(array, np.ndarray) and array.ndim == len(shape):
            for dim, size in zip(shape, array.shape):
                if isinstance(dim, str):
                    votes.setdefault(dim, Counter())[size] += 1
    for dim in sorted(votes, key=lambda dim: "+" in dim):  # plain names, then the sums
        size = votes[dim].most_common(1)[0][0]  # a tie goes to the first array of the spec
        if "+" not in dim:
            sizes.setdefault(dim, size)
        elif size > sum(sizes.get(part, 0) for part in dim.split("+")):
            _bind(dim, size, sizes)  # the one part still unknown, if one is; never below 1


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep  # rnn_utils/


class ReferenceUseError(RuntimeError):
    """A student's function called the course's reference of the very function it must implement."""


# The reference functions each exercise's check lets a student's function call (its earlier
# exercises): the grader serves these and no other, and the home check refuses the others.
HELPERS = {
    "rnn_forward": ("rnn_cell_forward",),
    "rnn_backward": ("rnn_cell_backward",),
    "lstm_forward": ("lstm_cell_forward",),
    "lstm_backward": ("lstm_cell_backward",),
    "gru_forward": ("gru_cell_forward",),
    "gru_backward": ("gru_cell_backward",),
    "training_step": ("rnn_forward", "softmax_cross_entropy", "output_layer_backward",
                      "rnn_backward", "clip_by_norm", "adagrad_update"),
    "train_truncated": ("training_step",),
    "loss_per_character": ("rnn_forward", "softmax_cross_entropy"),  # both in the notebook
}


def refusal(name):
    """What a graded function is told when it calls ``name``, a package function that computes
    a graded answer (lesson 08's fast path): the same words at home and in the grader."""
    return (f"your function calls {name}, the course's own fast path, which computes a graded "
            "answer: inside a check, write the computation yourself (or call the helpers the "
            "exercise allows)")


def refused_in_checks(function):
    """Decorator for a package function that computes a graded answer (rnn_utils.charlm's fast
    path): refused, with ReferenceUseError, whenever a check runs a student's function that
    calls it; the grading kernel's copy of the package holds its signature only
    (rnn_course/grading/course.py), and gives the same error."""
    name = f"{function.__module__}.{function.__name__}"

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        caller = sys._getframe(1)
        if not caller.f_code.co_filename.startswith(_PACKAGE) and _check_frame(caller):
            raise ReferenceUseError(refusal(name))
        return function(*args, **kwargs)

    return wrapper


def _check_frame(frame):
    """The frame of the check running a student's function (its ``call_student``), at or
    above ``frame`` on the stack; None when no check runs. The stack, rather than a flag in
    the checks' module, is asked, so that a function kept from before the checks' modules
    were reloaded (the grader reloads them) is still refused."""
    while frame is not None:
        if frame.f_code.co_name == "call_student":
            return frame
        frame = frame.f_back
    return None


def reference_refusal(name):
    """What a graded function is told when, inside a check, it calls the reference ``name``
    that the check does not allow: the same words at home and in the grader."""
    return (f"{name} is the course's reference implementation, which this check does not "
            "allow: write the computation yourself (the helpers an exercise may call are its "
            "earlier exercises, listed in the lesson)")


def refused_by_the_running_check(name):
    """True when a check is running a student's function that calls the reference ``name``,
    and the check does not allow it: its own function, or any reference that is not one of
    the exercise's helpers (HELPERS above), exactly as the grader serves them."""
    frame = sys._getframe(2)  # the caller of the reference function's wrapper
    if frame.f_code.co_name == "call_student" or frame.f_code.co_filename.startswith(_PACKAGE):
        return False  # the reference itself is under check, or the package calls it
    check = _check_frame(frame)
    if check is None:
        return False
    exercise = getattr(check.f_locals.get("exercise"), "name", None)
    return name == exercise or name not in HELPERS.get(exercise, ())


def validated(function):
    """Decorator: check a graded function's arguments against SIGNATURES before running it.

    The wrapper also refuses to run inside a check that does not allow it (its own function's,
    or any that does not list it among its helpers): an answer that hands its work to the
    reference passes no check, at home as in the grader. Calls from inside the package skip
    both: the package's own inputs are already checked.
    """
    parameters_of = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if sys._getframe(1).f_code.co_filename.startswith(_PACKAGE):
            # Called by the package itself (rnn_backward calling rnn_cell_backward at every
            # step, a check computing the expected values, a training loop): the inputs come
            # from code already checked, and validating them at every inner call costs more
            # than the computation.
            return function(*args, **kwargs)
        if refused_by_the_running_check(function.__name__):
            raise ReferenceUseError(reference_refusal(function.__name__))
        bound = parameters_of.bind(*args, **kwargs)
        bound.apply_defaults()
        check_arguments(function.__name__, bound.arguments)
        return function(*args, **kwargs)

    del wrapper.__wrapped__  # no direct path to the unguarded function ...
    wrapper.__signature__ = parameters_of  # ... while help() still shows the real arguments
    return wrapper
