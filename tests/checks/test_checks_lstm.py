"""Checks of lessons 05-06 (the LSTM): correct answers pass; each typical mistake fails,
diagnosed; a wrong helper in the notebook does not fail the next exercise's check."""


import check_helpers
import mistakes_lstm as wrong  # beside this file (tests/checks/)
import numpy as np
import pytest
from check_helpers import failure_of, gradient_check_error

from rnn_utils import reference
from rnn_utils.checks import (
    check_lstm_backward,
    check_lstm_cell_backward,
    check_lstm_cell_forward,
    check_lstm_forward,
)
from rnn_utils.checks.compare import first_difference
from rnn_utils.checks.lstm_backward import LSTM_BACKWARD, LSTM_CELL_BACKWARD
from rnn_utils.checks.lstm_forward import LSTM_CELL_FORWARD, LSTM_FORWARD
from rnn_utils.gradcheck import relative_error

FORWARD = "shapes, values, cache layout, inputs unchanged"
GRADIENTS = "shapes, values of every gradient, inputs unchanged"
PASSED = {
    check_lstm_cell_forward: f"lstm_cell_forward: all checks passed (6 cases: {FORWARD}).\n",
    check_lstm_forward: f"lstm_forward: all checks passed (6 cases: {FORWARD}).\n",
    check_lstm_cell_backward: f"lstm_cell_backward: all checks passed (6 cases: {GRADIENTS}).\n",
    check_lstm_backward: f"lstm_backward: all checks passed (6 cases: {GRADIENTS}).\n",
}
EXERCISES = {check_lstm_cell_forward: LSTM_CELL_FORWARD, check_lstm_forward: LSTM_FORWARD,
             check_lstm_cell_backward: LSTM_CELL_BACKWARD, check_lstm_backward: LSTM_BACKWARD}
CORRECT = {check_lstm_cell_forward: wrong.cell_forward_correct,
           check_lstm_forward: wrong.forward_correct,
           check_lstm_cell_backward: wrong.cell_backward_correct,
           check_lstm_backward: wrong.backward_correct}

CELL_CASE = "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4"
SEQUENCE_CASE = "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4, T_x=6"


# ---- passing ------------------------------------------------------------------------------


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_reference_passes_with_one_line(check, capsys):
    assert check(getattr(reference, check.__name__.removeprefix("check_"))) is None
    assert capsys.readouterr().out == PASSED[check]


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_a_correct_answer_passes_with_one_line(check, capsys):
    assert check(CORRECT[check]) is None
    assert capsys.readouterr().out == PASSED[check]


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_the_correct_answers_agree_with_the_reference(check):
    # So that the passes above say something about the reference the checks compare with.
    name = check.__name__.removeprefix("check_")
    for case in EXERCISES[check].make_cases():
        mine = CORRECT[check](*case.arguments.values())
        right = getattr(reference, name)(*case.arguments.values())
        mine, right = (list(result.values()) if isinstance(result, dict) else result[:3]
                       for result in (mine, right))
        for got, expected in zip(mine, right):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


# ---- recognised mistakes ------------------------------------------------------------------

# (check, student, output, diagnosis, kind, words of the explanation, case)
MISTAKES = [
    # lstm_cell_forward
    (check_lstm_cell_forward, wrong.cell_concat_order, "a_next", "concat_order", "values",
     "[xt; a_prev]", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_output_gate_on_c, "a_next", "output_gate_on_c",
     "values", "a_next = ot * c_next misses the tanh", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_tanh_outside, "a_next", "tanh_outside_output_gate",
     "values", "a_next = tanh(ot * c_next)", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_a_from_c_prev, "a_next", "a_next_from_c_prev",
     "values", "computed from c_prev", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_update_swapped, "a_next", "cell_update_swapped",
     "values", "c_next = ft * c_prev + it * cct", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_candidate_sigmoid, "a_next", "candidate_sigmoid",
     "values", "candidate cct uses the sigmoid", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_forget_gate_tanh, "a_next", "gate_tanh", "values",
     "a gate uses tanh", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_missing_bf, "a_next", "missing_gate_bias", "values",
     "the bias bf is missing", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_missing_by, "yt_pred", "missing_by", "values",
     "the bias by is missing", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_y_from_a_prev, "yt_pred", "y_from_a_prev", "values",
     "computed from a_prev", CELL_CASE),
    (check_lstm_cell_forward, wrong.cell_cache_order, "cache", "cache_order", "layout",
     "yours is (a_next, c_next, a_prev, c_prev, ft, ot, it, cct, xt, parameters)", CELL_CASE),
    # lstm_forward
    (check_lstm_forward, wrong.forward_c0_is_a0, "a", "c0_not_zero", "values", "c0 is a0",
     SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_c0_ones, "a", "c0_not_zero", "values", "c0 is ones",
     SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_state_not_carried, "a", "state_not_carried", "values",
     "every step gets a0", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_cell_state_not_carried, "a", "cell_state_not_carried",
     "values", "every step starts from zeros", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_a_stored_before_update, "a", "state_stored_before_update",
     "values", "off by one in time", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_c_stored_before_update, "c", "c_stored_before_update",
     "values", "c[:, :, t] holds the cell state before step t", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_y_c_swapped, "y", "y_c_swapped", "shape",
     "return a, y, c, caches", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_caches_missing_x, "caches", "caches_missing_x", "layout",
     "(list of step caches, x)", SEQUENCE_CASE),
    (check_lstm_forward, wrong.forward_caches_order, "caches", "caches_order", "layout",
     "yours is (x, list of step caches)", SEQUENCE_CASE),
    # lstm_cell_backward
    (check_lstm_cell_backward, wrong.cell_backward_forget_uses_cct, "dWf",
     "forget_gradient_uses_cct", "values", "duf = dc * c_prev * ft * (1 - ft)", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dc_missing_a_path, "dWf", "dc_missing_a_path",
     "values", "dc is dc_next alone", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dc_prev_missing_forget_gate, "dc_prev",
     "dc_prev_missing_forget_gate", "values", "dc_prev = dc * ft", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_tanh_c_derivative, "dWf",
     "tanh_c_derivative_without_tanh", "values", "1 - np.tanh(c_next)**2", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dzo_uses_c, "dWo",
     "output_gate_gradient_uses_c", "values", "duo uses c_next", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_sigmoid_derivative_of_z, "dWf",
     "sigmoid_derivative_of_pre_activation", "values", "applied to the pre-activation z",
     CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_sigmoid_derivative_as_tanh, "dWf",
     "sigmoid_derivative_as_tanh", "values", "1 - s**2", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_split_swapped, "dxt", "dconcat_split_swapped",
     "shape", "da_prev is dconcat[n_a:]", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_split_as_xt_first, "da_prev",
     "dconcat_split_swapped", "values", "wrong rows of dconcat", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dconcat_overwritten, "da_prev",
     "dconcat_one_gate", "values", "only one gate's W.T @ du", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dc_next_forgotten, "dWf", "dc_missing_dc_next",
     "values", "dc misses dc_next", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_dc_prev_from_dc_next, "dc_prev",
     "dc_prev_from_dc_next", "values", "dc_prev = dc * ft with dc = dc_next + da_next", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_candidate_tanh_twice, "dWc",
     "candidate_derivative_tanh_twice", "values", "cct is already a tanh", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_gate_derivatives_forgotten, "dWf",
     "sigmoid_derivative_missing", "values", "without ot * (1 - ot)", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_bias_averaged, "dbf", "gate_bias_averaged",
     "values", "averaged over the examples", CELL_CASE),
    (check_lstm_cell_backward, wrong.cell_backward_weights_transposed, "dWf",
     "gate_weight_gradient_transposed", "shape", "dW = du @ concat.T", CELL_CASE),
    # lstm_backward
    (check_lstm_backward, wrong.backward_da_not_carried, "dx", "da_not_carried", "values",
     "da[:, :, t] alone", SEQUENCE_CASE),
    (check_lstm_backward, wrong.backward_dc_not_carried, "dx", "dc_not_carried", "values",
     "dc_prev is not carried", SEQUENCE_CASE),
    (check_lstm_backward, wrong.backward_nothing_carried, "dx", "nothing_carried", "values",
     "neither gradient is carried", SEQUENCE_CASE),
    (check_lstm_backward, wrong.backward_loop_forwards, "dx", "time_loop_forwards", "values",
     "for t in reversed(range(T_x))", SEQUENCE_CASE),
    (check_lstm_backward, wrong.backward_da0_first_step_run, "da0", "da0_wrong_step", "values",
     "da_prev of step T_x-1", SEQUENCE_CASE),
    (check_lstm_backward, wrong.backward_not_accumulated, "dWf", "gradients_not_accumulated",
     "values", "dWf += gradients[\"dWf\"]", SEQUENCE_CASE),
]


@pytest.mark.parametrize(("check", "student", "output", "key", "kind", "explanation", "case"),
                         MISTAKES, ids=[f"{row[0].__name__[6:]}-{row[3]}" for row in MISTAKES])
def test_mistake_is_recognised(check, student, output, key, kind, explanation, case):
    failure = failure_of(check, student)
    function = check.__name__.removeprefix("check_")
    assert (failure.function, failure.output, failure.diagnosis) == (function, output, key)
    assert failure.kind == kind
    message = str(failure)
    assert message.startswith(f"{function}: FAILED - {output} ")
    assert failure.lines[1] == case
    assert "Likely mistake: " in message and explanation in message


def all_mistakes():
    """(check, index, Mistake) for every known mistake of this module's checks."""
    return check_helpers.all_mistakes(EXERCISES)


def test_every_diagnosis_is_reached_by_a_student_like_mistake():
    reached = {(check, key) for check, _, _, key, *_ in MISTAKES}
    known = {(check, mistake.key) for check, _, mistake in all_mistakes()}
    assert known <= reached, known - reached


@pytest.mark.parametrize(("check", "index", "mistake"), all_mistakes(),
                         ids=[f"{m.key}-{i}" for _, i, m in all_mistakes()])
def test_each_variant_is_diagnosed_as_itself(check, index, mistake):
    check_helpers.assert_diagnosed_as_itself(check, mistake)


@pytest.mark.parametrize(("check", "index", "mistake"), all_mistakes(),
                         ids=[f"{m.key}-{i}" for _, i, m in all_mistakes()])
def test_each_variant_differs_from_the_reference_in_the_first_case(check, index, mistake):
    # The diagnoses are read in case 1: there, every variant must give another result.
    case = EXERCISES[check].make_cases()[0]
    produced = mistake.variant(*case.arguments.values())
    expected = getattr(reference, check.__name__.removeprefix("check_"))(
        *case.arguments.values())
    assert first_difference(expected, produced, "result") is not None


# ---- which gradients are wrong together, and where the error starts ------------------------

STARTS = [
    (wrong.cell_backward_dc_next_forgotten, "dc", "right: dWo, dbo."),
    (wrong.cell_backward_dc_missing_a_path, "dc", "right: dWo, dbo."),
    (wrong.cell_backward_forget_uses_cct, "duf", "right: dWi, dbi, dWc, dbc, dWo, dbo, dc_prev."),
    (wrong.cell_backward_dzo_uses_c, "duo", "right: dWf, dbf, dWi, dbi, dWc, dbc, dc_prev."),
    (wrong.cell_backward_candidate_tanh_twice, "duc", "right: dWf, dbf, dWi, dbi, dWo, dbo, "
     "dc_prev."),
    (wrong.cell_backward_gate_derivatives_forgotten, "duo, dui and duf", "right: dWc, dbc, "
     "dc_prev."),
    (wrong.cell_backward_dconcat_overwritten, "dconcat", "right: dWf, dbf, dWi, dbi, dWc, dbc, "
     "dWo, dbo, dc_prev."),
]


@pytest.mark.parametrize(("student", "start", "right"), STARTS,
                         ids=[row[0].__name__ for row in STARTS])
def test_a_wrong_cell_gradient_names_where_the_error_starts(student, start, right):
    lines = failure_of(check_lstm_cell_backward, student).lines
    together = next(line for line in lines if line.startswith("Wrong together: "))
    assert together.endswith(right)
    assert f"The error starts at {start}: exactly the gradients computed from" in "\n".join(lines)


def test_a_wrong_output_alone_is_named_without_a_start():
    lines = failure_of(check_lstm_cell_backward, wrong.cell_backward_dc_prev_from_dc_next).lines
    assert "Wrong together: dc_prev; right: dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo, da_prev, " \
        "dxt." in lines
    assert not any(line.startswith("The error starts") for line in lines)


# ---- the gradient check -------------------------------------------------------------------

GRADIENT_CHECKED = [row for row in MISTAKES if row[4] == "values"
                    and row[0] in (check_lstm_cell_backward, check_lstm_backward)]


@pytest.mark.parametrize(("check", "student", "output"), [row[:3] for row in GRADIENT_CHECKED],
                         ids=[f"{row[0].__name__[6:]}-{row[3]}" for row in GRADIENT_CHECKED])
def test_a_wrong_gradient_is_compared_with_central_differences(check, student, output):
    error = gradient_check_error(failure_of(check, student))
    assert error is not None and error > 1e-4


@pytest.mark.parametrize("exercise", [LSTM_CELL_BACKWARD, LSTM_BACKWARD],
                         ids=lambda exercise: exercise.name)
def test_the_gradient_check_agrees_with_the_reference(exercise):
    # What the message promises: a correct gradient is within 1e-7 of the estimate.
    checked = set()
    for case in exercise.make_cases():
        for name, value in getattr(reference, exercise.name)(*case.arguments.values()).items():
            estimate = exercise.gradient_check(case.arguments, name)
            assert estimate is not None, name
            assert relative_error(value, estimate) < 1e-7, (case.label, name)
            checked.add(name)
    assert len(checked) == 11 if exercise is LSTM_CELL_BACKWARD else len(checked) == 10


def test_no_gradient_check_for_a_wrong_shape():
    failure = failure_of(check_lstm_cell_backward, wrong.cell_backward_weights_transposed)
    assert failure.kind == "shape" and gradient_check_error(failure) is None


# ---- exceptions ---------------------------------------------------------------------------


def test_concatenating_along_axis_1_says_which_axis():
    failure = failure_of(check_lstm_cell_forward, wrong.cell_concat_axis_1)
    assert (failure.kind, failure.diagnosis) == ("exception", "concat_axis")
    assert failure.lines[0].startswith("lstm_cell_forward: FAILED - your code raised ValueError")
    assert "of cell_concat_axis_1: concat = np.concatenate((a_prev, xt), axis=1)" in str(failure)
    assert failure.lines[-1] == (
        "Likely mistake: the concatenation is along axis 1 (side by side). The gates' weights "
        "act on a_prev stacked on top of xt: np.concatenate([a_prev, xt], axis=0), shape "
        "(n_a + n_x, m).")


# ---- isolation: lstm_forward and lstm_backward run with the reference cell ----------------

ISOLATION = [
    # (check, source of a correct function, its name, the helper, a wrong helper)
    (check_lstm_forward, wrong.LSTM_FORWARD_SOURCE, "lstm_forward", "lstm_cell_forward",
     wrong.cell_missing_bf),
    (check_lstm_backward, wrong.LSTM_BACKWARD_SOURCE, "lstm_backward", "lstm_cell_backward",
     wrong.cell_backward_dc_missing_a_path),
]


def student_namespace(source, helper, wrong_helper):
    """A notebook-like namespace: a correct function next to a WRONG helper it calls."""
    namespace = {"np": np, helper: wrong_helper}
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize(("check", "source", "name", "helper", "wrong_helper"), ISOLATION,
                         ids=[row[2] for row in ISOLATION])
def test_checked_with_the_reference_helper(check, source, name, helper, wrong_helper, capsys):
    namespace = student_namespace(source, helper, wrong_helper)
    before = dict(namespace)
    check(namespace[name])
    assert capsys.readouterr().out == PASSED[check]
    assert namespace == before  # the notebook's namespace is untouched
    assert namespace[name].__globals__[helper] is wrong_helper


@pytest.mark.parametrize(("check", "source", "name", "helper", "wrong_helper"), ISOLATION,
                         ids=[row[2] for row in ISOLATION])
def test_the_wrong_helper_would_have_failed_without_isolation(check, source, name, helper,
                                                              wrong_helper):
    # Guards the test above: it only proves isolation if the student's own helper is used
    # otherwise.
    case = EXERCISES[check].make_cases()[0]
    mine = student_namespace(source, helper, wrong_helper)[name](*case.arguments.values())
    right = getattr(reference, name)(*case.arguments.values())
    first = (lambda result: result["dx"]) if isinstance(right, dict) else (lambda result: result[0])
    assert not np.allclose(first(mine), first(right))


@pytest.mark.parametrize("student", [wrong.backward_dc_not_carried,
                                     wrong.backward_da_not_carried])
def test_a_bptt_that_carries_too_little_names_the_step_where_dx_goes_wrong(student):
    lines = failure_of(check_lstm_backward, student).lines
    assert "Going backwards as BPTT does, dx[:, :, t] is right for t = 5 and first wrong at " \
           "t = 4: the error starts in what step 5 passes back to step 4 (its da_prev, added " \
           "to da[:, :, t], and its dc_prev, the cell's dc_next)." in lines
