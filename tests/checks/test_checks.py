"""Checks of lessons 01-02: the reference passes; each typical mistake fails, diagnosed."""

import warnings

import mistakes  # beside this file (tests/checks/)
import numpy as np
import pytest

from rnn_utils import reference
from rnn_utils.checks import CheckFailure, check_rnn_cell_forward, check_rnn_forward
from rnn_utils.checks.framework import return_problem
from rnn_utils.signatures import Signature

CELL_PASSED = (
    "rnn_cell_forward: all checks passed (6 cases: shapes, values, cache layout, "
    "inputs unchanged).\n"
)
FORWARD_PASSED = (
    "rnn_forward: all checks passed (6 cases: shapes, values, cache layout, inputs unchanged).\n"
)


def failure_of(check, function):
    """The CheckFailure that ``check(function)`` raises (the test fails if it raises none)."""
    with pytest.raises(CheckFailure) as caught:
        check(function)
    return caught.value


# ---- passing ------------------------------------------------------------------------------


def test_reference_cell_passes_with_one_line(capsys):
    assert check_rnn_cell_forward(reference.rnn_cell_forward) is None
    assert capsys.readouterr().out == CELL_PASSED


def test_reference_forward_passes_with_one_line(capsys):
    assert check_rnn_forward(reference.rnn_forward) is None
    assert capsys.readouterr().out == FORWARD_PASSED


def test_prints_and_warnings_of_the_student_do_not_change_the_output(capsys):
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        check_rnn_cell_forward(mistakes.cell_correct_but_chatty)
    assert capsys.readouterr() == (CELL_PASSED, "")
    assert escaped == []  # IPython would have shown a warning that escaped the check


def student_namespace():
    """A notebook-like namespace: a correct rnn_forward next to a WRONG rnn_cell_forward."""
    namespace = {"np": np, "rnn_cell_forward": mistakes.cell_missing_ba}
    exec(compile(mistakes.RNN_FORWARD_SOURCE, "<notebook cell>", "exec"), namespace)
    return namespace


def test_forward_is_checked_with_the_reference_cell(capsys):
    namespace = student_namespace()
    before = dict(namespace)
    check_rnn_forward(namespace["rnn_forward"])
    assert capsys.readouterr().out == FORWARD_PASSED
    assert namespace == before  # the notebook's namespace is untouched
    assert namespace["rnn_forward"].__globals__["rnn_cell_forward"] is mistakes.cell_missing_ba


def test_renamed_parameters_do_not_matter(capsys):
    def rnn_cell_forward(x_t, h_prev, params):  # arguments are passed by position
        h_next = np.tanh(params["Wax"] @ x_t + params["Waa"] @ h_prev + params["ba"])
        scores = np.exp(params["Wya"] @ h_next + params["by"])  # small scores: no overflow
        probabilities = scores / scores.sum(axis=0)
        return h_next, probabilities, (h_next, h_prev, x_t, params)

    check_rnn_cell_forward(rnn_cell_forward)
    assert capsys.readouterr().out == CELL_PASSED


def test_the_wrong_cell_would_have_failed_without_isolation():
    # Guards the test above: it only proves isolation if the student's own cell is used otherwise.
    namespace = student_namespace()
    rng = np.random.default_rng(0)
    x, a0 = rng.standard_normal((3, 4, 2)), rng.standard_normal((5, 4))
    parameters = {"Wax": rng.standard_normal((5, 3)), "Waa": rng.standard_normal((5, 5)),
                  "Wya": rng.standard_normal((2, 5)), "ba": np.ones((5, 1)), "by": np.ones((2, 1))}
    wrong, _, _ = namespace["rnn_forward"](x, a0, parameters)
    right, _, _ = reference.rnn_forward(x, a0, parameters)
    assert not np.allclose(wrong, right)


# ---- recognised mistakes ------------------------------------------------------------------

CELL_MISTAKES = [
    (mistakes.cell_waa_transposed, "a_next", "Waa_transposed", "Waa.T @ a_prev"),
    (mistakes.cell_missing_ba, "a_next", "missing_ba", "bias ba is missing"),
    (mistakes.cell_missing_by, "yt_pred", "missing_by", "bias by is missing"),
    (mistakes.cell_sigmoid, "a_next", "sigmoid_for_tanh", "sigmoid"),
    (mistakes.cell_softmax_axis_1, "yt_pred", "softmax_axis_1", "over axis 1 (the examples)"),
    (mistakes.cell_softmax_whole_array, "yt_pred", "softmax_whole_array", "the whole array"),
    (mistakes.cell_no_softmax, "yt_pred", "no_softmax", "holds the scores"),
    (mistakes.cell_y_from_a_prev, "yt_pred", "y_from_a_prev", "computed from a_prev"),
    (mistakes.cell_cache_order, "cache", "cache_order",
     "yours is (a_prev, a_next, xt, parameters)"),
]


@pytest.mark.parametrize(("student", "output", "key", "explanation"), CELL_MISTAKES,
                         ids=[key for _, _, key, _ in CELL_MISTAKES])
def test_cell_mistake_is_recognised(student, output, key, explanation):
    failure = failure_of(check_rnn_cell_forward, student)
    assert (failure.function, failure.output) == ("rnn_cell_forward", output)
    assert failure.diagnosis == key
    message = str(failure)
    assert message.startswith(f"rnn_cell_forward: FAILED - {output} ")
    assert "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4" in message
    assert "Likely mistake: " in message and explanation in message


FORWARD_MISTAKES = [
    (mistakes.forward_state_not_carried, "a", "state_not_carried", "every step gets a0"),
    (mistakes.forward_stored_before_update, "a", "state_stored_before_update", "off by one"),
    (mistakes.forward_caches_missing_x, "caches", "caches_missing_x",
     "(list of step caches, x)"),
    (mistakes.forward_caches_order, "caches", "caches_order", "yours is (x, list of step caches)"),
    (mistakes.forward_float32_storage, "a", "not_float64", "a has dtype float32"),
    (mistakes.forward_time_reversed, "a", "time_reversed", "backwards in time"),
    (mistakes.forward_caches_reversed, "caches", "caches_reversed", "reverse order"),
]


@pytest.mark.parametrize(("student", "output", "key", "explanation"), FORWARD_MISTAKES,
                         ids=[key for _, _, key, _ in FORWARD_MISTAKES])
def test_forward_mistake_is_recognised(student, output, key, explanation):
    failure = failure_of(check_rnn_forward, student)
    assert (failure.function, failure.output, failure.diagnosis) == ("rnn_forward", output, key)
    message = str(failure)
    assert message.startswith(f"rnn_forward: FAILED - {output} ")
    assert "n_x=3, n_a=5, n_y=2, m=4, T_x=6" in message
    assert "Likely mistake: " in message and explanation in message


@pytest.mark.parametrize(("check", "student", "argument"), [
    (check_rnn_cell_forward, mistakes.cell_modifies_a_prev, "a_prev"),
    (check_rnn_cell_forward, mistakes.cell_modifies_parameters, "parameters['Wax']"),
    (check_rnn_forward, mistakes.forward_modifies_a0, "a0"),
])
def test_input_modified_in_place_is_named(check, student, argument):
    failure = failure_of(check, student)
    assert (failure.diagnosis, failure.output) == ("input_modified", argument)
    assert f"modified its argument {argument} in place" in failure.lines[0]


@pytest.mark.parametrize("student", [mistakes.cell_wax_transposed,
                                     mistakes.cell_elementwise_product])
def test_shape_error_names_the_line_and_the_cause(student):
    failure = failure_of(check_rnn_cell_forward, student)
    message = str(failure)
    assert failure.kind == "exception"
    assert "your code raised ValueError" in failure.lines[0]
    assert f"of {student.__name__}: a_next = np.tanh(parameters[\"Wax\"]" in message
    if student is mistakes.cell_wax_transposed:
        assert failure.diagnosis == "matmul_shapes"
        assert "operands transposed or in the wrong order" in message
    else:
        assert failure.diagnosis == "broadcast_shapes"
        assert "is `*` used where the matrix product `@` is meant" in message


def test_a_flat_bias_is_recognised():
    failure = failure_of(check_rnn_cell_forward, mistakes.cell_flat_bias)
    assert (failure.kind, failure.diagnosis) == ("exception", "flat_vector")
    assert "keep biases as columns (n, 1)" in str(failure)


def test_the_line_is_left_out_when_its_source_is_unknown():
    namespace = {"np": np}
    exec(compile(mistakes.RNN_FORWARD_SOURCE.replace("x[:, :, t]", "x[:, t, :]"),
                 "<no source>", "exec"), namespace)
    namespace["rnn_cell_forward"] = None  # replaced by the reference during the check
    failure = failure_of(check_rnn_forward, namespace["rnn_forward"])
    assert any(line.startswith("At line ") and line.endswith("of rnn_forward.")
               for line in failure.lines), failure.lines


def test_wrong_arguments_to_the_reference_cell_point_at_the_students_line():
    failure = failure_of(check_rnn_forward, mistakes.forward_wrong_slice)
    assert failure.lines[0].startswith("rnn_forward: FAILED - your code raised ShapeError: ")
    assert failure.diagnosis == "helper_argument_shape"
    assert "the input of step t is x[:, :, t]" in str(failure)
    assert "rnn_cell_forward(x[:, t, :], a_next, parameters)" in str(failure)


# ---- unfinished work and wrong return structures ------------------------------------------


def test_not_implemented_says_so():
    failure = failure_of(check_rnn_cell_forward, mistakes.cell_not_implemented)
    assert failure.kind == "not_implemented"
    assert failure.lines == [
        "rnn_cell_forward: FAILED - not implemented yet: replace `raise NotImplementedError()` "
        "with your code"
    ]


@pytest.mark.parametrize(("student", "kind", "problem"), [
    (mistakes.cell_returns_none, "return", "returned None, expected a tuple (a_next, yt_pred, "
     "cache): is the `return` line missing?"),
    (mistakes.cell_returns_two, "return", "returned 2 values, expected 3: a tuple (a_next, "
     "yt_pred, cache)"),
    (mistakes.cell_returns_array, "return", "returned a ndarray, expected a tuple"),
    (mistakes.cell_transposed_output, "shape", "a_next has the wrong shape"),
    (mistakes.cell_returns_list, "shape", "a_next has the wrong shape"),
])
def test_wrong_return_structure_is_a_check_failure(student, kind, problem):
    failure = failure_of(check_rnn_cell_forward, student)
    assert failure.kind == kind
    assert failure.lines[0].startswith(f"rnn_cell_forward: FAILED - {problem}")


def test_a_dict_result_is_checked_for_its_keys():
    # For the backward functions, which return a dict of gradients.
    signature = Signature(arguments={}, returns={"dxt": ("n_x", "m"), "dba": ("n_a", 1)},
                          returns_dict=True)
    assert return_problem(signature, {"dxt": 0, "dba": 0}) is None
    assert return_problem(signature, {"dxt": 0}) == (
        "the returned dict has no key dba; expected a dict with keys (dxt, dba)")
    assert return_problem(signature, (0, 0)).startswith("returned a tuple, expected a dict")


def test_wrong_shape_names_the_dimensions():
    failure = failure_of(check_rnn_cell_forward, mistakes.cell_transposed_output)
    assert "a_next has shape (4, 5) but shape (n_a, m) = (5, 4) was expected" in str(failure)


def test_ipython_shows_only_the_diagnosis():
    failure = failure_of(check_rnn_cell_forward, mistakes.cell_missing_by)
    rendered = failure._render_traceback_()
    assert rendered == str(failure).splitlines()
    assert rendered[0] == "rnn_cell_forward: FAILED - yt_pred has wrong values"
    assert isinstance(failure, AssertionError)


def test_an_answer_that_calls_the_reference_fails_however_it_reaches_it():
    import importlib

    hidden = importlib.import_module("rnn_utils." + "reference")  # no literal import to spot

    def rnn_forward(x, a0, parameters):
        return hidden.rnn_forward(x, a0, parameters)

    refused = "rnn_forward is the course's reference implementation, which this check does not"
    with pytest.raises(CheckFailure, match=refused) as failure:
        check_rnn_forward(rnn_forward)
    assert failure.value.diagnosis == "reference_used"
    assert not hasattr(hidden.rnn_forward, "__wrapped__")  # no way around the guard


def test_the_reference_of_an_earlier_exercise_stays_allowed_as_a_helper():
    from rnn_utils import reference

    def rnn_forward(x, a0, parameters):  # calls the reference cell on purpose: a helper
        a, y_pred, caches, a_next = [], [], [], a0
        for t in range(x.shape[2]):
            a_next, yt_pred, cache = reference.rnn_cell_forward(x[:, :, t], a_next, parameters)
            a.append(a_next)
            y_pred.append(yt_pred)
            caches.append(cache)
        return np.stack(a, axis=2), np.stack(y_pred, axis=2), (caches, x)

    check_rnn_forward(rnn_forward)


def test_home_and_grader_refuse_the_same_references(tmp_path):
    """Inside a check, only the exercise's helpers may be called, at home as in the grader:
    rnn_cell_backward computed by the reference rnn_backward on a sequence of one step passed
    the home check before (a different function) and failed in the grader; loss_per_character
    may use softmax_cross_entropy, which lesson 08 imports into its notebook."""
    import numpy as np

    from rnn_utils import reference
    from rnn_utils.checks import check_loss_per_character, check_rnn_cell_backward

    def rnn_cell_backward(da_next, cache):
        a_next, a_prev, xt, parameters = cache
        gradients = reference.rnn_backward(da_next[:, :, None], ([cache], xt[:, :, None]))
        return {"dxt": gradients["dx"][:, :, 0], "da_prev": gradients["da0"],
                **{name: gradients[name] for name in ("dWax", "dWaa", "dba")}}

    with pytest.raises(CheckFailure, match="rnn_backward is the course's reference") as failure:
        check_rnn_cell_backward(rnn_cell_backward)
    assert failure.value.diagnosis == "reference_used"

    def loss_per_character(x, y, parameters):
        a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
        _, y_pred, _ = reference.rnn_forward(x, a0, parameters)
        characters = np.sum(y)
        loss, _ = reference.softmax_cross_entropy(np.where(y.sum(axis=0) > 0, y_pred, 1.0), y)
        return loss * x.shape[1] / characters, float(np.exp(loss * x.shape[1] / characters))

    check_loss_per_character(loss_per_character)  # raises if refused or wrong
