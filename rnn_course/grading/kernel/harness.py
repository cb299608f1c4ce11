"""Inside a grading kernel: hand the student's outputs to the grader, which judges them outside.

This file is copied into the kernels' course folder as the top-level module
``rnn_grade_harness`` (it imports only NumPy and the standard library). A composed check cell
calls ``hand_in(function_name, globals())``, which
1. asks the grader (over the Unix socket ``SOCKET``, served by the grader's pytest process)
   for the check's cases: plain data, drawn afresh for this grading run;
2. calls the student's function on each case, with the reference helpers an exercise may call
   served from outside (each call goes to the grader, which answers only during the check of
   an exercise that may use that helper);
3. sends back, for each case, what the function returned and its arguments as it left them,
   as plain data (float64 arrays as raw bytes, never pickles), or the exception it raised.
It never decides anything: the grader compares and diagnoses outside. The same wire format is
used both ways (``encode``/``decode``); the grader imports this module for it.
"""

import base64
import json
import os
import socket
import struct
import sys
import threading
import traceback
import types
from typing import Any, Callable

import numpy as np

SOCKET = os.environ.get("RNN_GRADE_SOCKET", "/grader/kernel/cases")  # set when not sandboxed
MAX_DEPTH = 40
DTYPES = ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex128")
_connection = None


class ReferenceUnavailable(RuntimeError):
    """The course's reference implementation is not in the grading kernel."""


# ---- the wire format: plain data only -------------------------------------------------------


def encode(value: Any, callables: "list[str] | None" = None,
           depth: int = 0) -> "dict[str, Any] | str | bool | None":
    """JSON-able plain data for ``value``; a callable becomes a name in ``callables``."""
    if depth > MAX_DEPTH:
        return {"unsupported": "nested too deeply"}
    if value is None or type(value) in (bool, str):
        return value
    if type(value) in (int, float):
        return _number(value)
    if isinstance(value, np.ndarray):  # a subclass is sent as its data: its methods stay here
        return _array(np.ndarray.view(value, np.ndarray), False)
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        return _array(np.asarray(value), True)
    if type(value) in (list, tuple):
        return {type(value).__name__: [encode(v, callables, depth + 1) for v in value]}
    if type(value) is dict and all(type(key) is str for key in value):
        return {"dict": [[key, encode(v, callables, depth + 1)] for key, v in value.items()]}
    if type(value) is np.random.Generator and type(value.bit_generator) is np.random.PCG64:
        # a random generator travels as its state (ints and a name): lesson 08's sampler
        return {"generator": encode(value.bit_generator.state, None, depth + 1)}
    if isinstance(getattr(value, "_grade_name", None), str):  # a function the grader serves
        return {"callable": value._grade_name}
    if callables is not None and callable(value):
        callables.append(qualified_name(value))
        return {"callable": callables[-1]}
    return {"unsupported": type(value).__name__}


def qualified_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _number(value):
    if type(value) is int:
        return {"int": str(value)}
    return {"float": repr(float(value))}


def _array(array, scalar):
    if array.dtype.name not in DTYPES:
        return {"unsupported": f"array of {array.dtype}"}
    data = base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")
    return {"array": array.dtype.name, "shape": list(array.shape), "data": data,
            "scalar": scalar}


def decode(data: Any, call: "Callable[[str], Any] | None" = None, depth: int = 0) -> Any:
    """The value ``encode`` made; ``call(name)`` gives the function for a callable's name."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, (bool, str)):
        return data
    if not isinstance(data, dict) or len(data) not in (1, 4):
        raise ValueError("not plain data")
    if "int" in data:
        return int(data["int"][:400])
    if "float" in data:
        return float(data["float"])
    if "array" in data:
        return _decode_array(data)
    if "generator" in data:
        return _decode_generator(decode(data["generator"], None, depth + 1))
    if "list" in data or "tuple" in data:
        items = [decode(v, call, depth + 1) for v in data.get("list", data.get("tuple"))]
        return items if "list" in data else tuple(items)
    if "dict" in data:
        return {str(key): decode(v, call, depth + 1) for key, v in data["dict"]}
    if "callable" in data and call is not None:
        return call(str(data["callable"]))
    return Unsupported(str(data.get("unsupported", "?"))[:100])


def _decode_array(data):
    dtype = np.dtype(data["array"] if data["array"] in DTYPES else "float64")
    shape = tuple(int(n) for n in data["shape"])
    raw = base64.b64decode(data["data"])
    if len(shape) > 8 or len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
        raise ValueError("array data of the wrong size")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return array[()] if data.get("scalar") else array


def _decode_generator(state):
    """A PCG64 Generator in ``state``; anything else is not plain data."""
    if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
        raise ValueError("not a PCG64 generator state")
    bit_generator = np.random.PCG64()
    try:
        bit_generator.state = state  # validates every field
    except (TypeError, ValueError, KeyError, OverflowError) as error:
        raise ValueError(f"not a PCG64 generator state: {error}") from None
    return np.random.Generator(bit_generator)


class Unsupported:
    """Stands for a value that is not plain data (an object, a generator, ...): equal to
    nothing, so that any comparison with it fails."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self):
        return f"<{self.kind}>"

    def __eq__(self, other):
        return False

    __hash__ = None


# ---- talking to the grader ------------------------------------------------------------------


_LOCK = threading.Lock()  # one exchange at a time: a function may call helpers from threads


def _exchange(message):
    """Send one message to the grader and return its answer (both JSON objects). Safe from
    several threads: the question and its answer are one exchange on the one socket."""
    global _connection
    with _LOCK:
        if _connection is None:
            _connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            _connection.connect(SOCKET)
        body = json.dumps(message).encode("utf-8")
        _connection.sendall(struct.pack(">I", len(body)) + body)
        size = struct.unpack(">I", _receive(4))[0]
        return json.loads(_receive(size).decode("utf-8"))


def _receive(size):
    return receive_exactly(_connection, size)


def receive_exactly(connection: socket.socket, size: int) -> bytes:
    """``size`` bytes from a stream socket (recv may return fewer); both ends use it."""
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 2**20))
        if not chunk:
            raise ConnectionError("the other end closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def served(name: str, exchange: "Callable[[dict[str, Any]], dict[str, Any]] | None" = None
           ) -> Callable[..., Any]:
    """A function that asks the grader to run ``name`` (a reference helper, or a function of
    the check's cases) on plain data. ``exchange``: how to reach the grader (tests)."""

    def call(*args, **keywords):
        message = {"op": "call", "name": name, "args": encode(list(args))}
        if keywords:  # as the reference takes them: the grader binds them to its signature
            message["keywords"] = encode(keywords)
        answer = (exchange or _exchange)(message)
        if "error" in answer:
            kind = answer.get("kind")
            raise _error_class(kind)(answer["error"])
        return decode(answer["result"], lambda other: served(other, exchange))

    call.__name__ = call.__qualname__ = name.rsplit(".", 1)[-1]
    call._grade_name = name
    return call


def _error_class(kind):
    if kind == "ShapeError":
        from rnn_utils.shapes import ShapeError

        return ShapeError
    if kind == "ReferenceUseError":
        from rnn_utils.signatures import ReferenceUseError

        return ReferenceUseError
    return ReferenceUnavailable


# ---- the check cell ---------------------------------------------------------------------------


def hand_in(function_name: str, namespace: dict[str, Any]) -> None:
    """Run the student's ``function_name`` on the grader's cases and hand in what it did."""
    task = _exchange({"op": "cases", "function": function_name})
    function = namespace.get(function_name)
    if not callable(function):
        _exchange({"op": "record", "record": {"missing": True}})
        print(f"{function_name}: not defined")
        return
    results = run_cases(function, task["cases"], task.get("helpers", []))
    answer = _exchange({"op": "record", "record": {"results": results}})
    print(f"{function_name}: {answer.get('status', 'handed in')}")


def run_cases(function: Callable[..., Any], cases: list[Any], helpers: list[str],
              exchange: "Callable[[dict[str, Any]], dict[str, Any]] | None" = None
              ) -> list[dict[str, Any]]:
    """What ``function`` does on each encoded case, as plain data, quietly (prints and warnings
    go nowhere), with the ``helpers`` served from outside."""
    import io
    import warnings
    from contextlib import redirect_stderr, redirect_stdout

    def serve(name):
        return served(name, exchange)

    from rnn_utils.limits import TimeLimitExceeded, case_seconds, printed_tail, time_limit

    function = _isolated(function, helpers, serve)
    results = []
    for encoded in cases:
        arguments = decode(encoded, serve)
        sink = io.StringIO()
        try:
            with redirect_stdout(sink), redirect_stderr(sink), warnings.catch_warnings(), \
                    time_limit(case_seconds()):
                warnings.simplefilter("ignore")
                returned = function(*arguments.values())
            same = next((name for name, value in arguments.items() if returned is value), None)
            results.append({"returned": encode(returned), "same_as": same,
                            "arguments": encode(arguments)})
        except TimeLimitExceeded as overrun:
            # An endless loop: a verdict now, not the cell's timeout after every case looped.
            # The grader stops at this case's failure, so the others are not run.
            record = {"error": {"types": ["TimeLimitExceeded"], "message": str(overrun)},
                      "printed": printed_tail(sink.getvalue())}
            return results + [record] * (len(cases) - len(results))
        except Exception as error:  # noqa: BLE001 -- the grader names it in the diagnosis
            results.append({"error": _error_record(error)})
        results[-1]["printed"] = printed_tail(sink.getvalue())  # shown if this case fails
    return results


def _isolated(function, helper_names, serve):
    """A copy of ``function`` whose globals give the grader-served version of each helper."""
    if not isinstance(function, types.FunctionType) or not helper_names:
        return function
    helpers = {name: serve(name) for name in helper_names}
    copied = types.FunctionType(function.__code__, {**function.__globals__, **helpers},
                                function.__name__, function.__defaults__, function.__closure__)
    copied.__kwdefaults__ = function.__kwdefaults__
    return copied


_LIBRARY = (os.path.dirname(np.__file__) + os.sep, os.path.abspath(__file__),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn_utils") + os.sep)


def _error_record(error):
    """What the grader needs to name an exception: its classes, message and the student's
    innermost line."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(_LIBRARY)]
    frame = frames[-1] if frames else None
    return {"types": [cls.__name__ for cls in type(error).__mro__][:10],
            "message": str(error)[:2000],
            "frame": [frame.lineno, frame.name, (frame.line or "")[:300]] if frame else None}


if __name__ == "__main__":
    sys.exit("rnn_grade_harness is imported by the grader's check cells")
