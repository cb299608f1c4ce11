"""Checks of lesson 09 (the GRU): correct answers pass; each typical mistake fails, diagnosed;
a wrong helper in the notebook does not fail the next exercise's check."""

import check_helpers
import mistakes_gru as wrong  # tests/mistakes_gru.py: pytest puts tests/ on sys.path
import numpy as np
import pytest
from check_helpers import failure_of, gradient_check_error

from rnn_utils import reference
from rnn_utils.checks import (
    check_gru_backward,
    check_gru_cell_backward,
    check_gru_cell_forward,
    check_gru_forward,
)
from rnn_utils.checks.compare import first_difference
from rnn_utils.checks.gru_backward import GRU_BACKWARD, GRU_CELL_BACKWARD
from rnn_utils.checks.gru_forward import GRU_CELL_FORWARD, GRU_FORWARD
from rnn_utils.gradcheck import relative_error

FORWARD = "shapes, values, cache layout, inputs unchanged"
GRADIENTS = "shapes, values of every gradient, inputs unchanged"
PASSED = {
    check_gru_cell_forward: f"gru_cell_forward: all checks passed (6 cases: {FORWARD}).\n",
    check_gru_forward: f"gru_forward: all checks passed (6 cases: {FORWARD}).\n",
    check_gru_cell_backward: f"gru_cell_backward: all checks passed (6 cases: {GRADIENTS}).\n",
    check_gru_backward: f"gru_backward: all checks passed (6 cases: {GRADIENTS}).\n",
}
EXERCISES = {check_gru_cell_forward: GRU_CELL_FORWARD, check_gru_forward: GRU_FORWARD,
             check_gru_cell_backward: GRU_CELL_BACKWARD, check_gru_backward: GRU_BACKWARD}
CORRECT = {check_gru_cell_forward: wrong.cell_forward_correct,
           check_gru_forward: wrong.forward_correct,
           check_gru_cell_backward: wrong.cell_backward_correct,
           check_gru_backward: wrong.backward_correct}

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
    name = check.__name__.removeprefix("check_")
    for case in EXERCISES[check].make_cases():
        mine = CORRECT[check](*case.arguments.values())
        right = getattr(reference, name)(*case.arguments.values())
        mine, right = (list(result.values()) if isinstance(result, dict) else result[:2]
                       for result in (mine, right))
        for got, expected in zip(mine, right):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


# ---- recognised mistakes ------------------------------------------------------------------

# (check, student, output, diagnosis, kind, words of the explanation, case)
MISTAKES = [
    # gru_cell_forward
    (check_gru_cell_forward, wrong.cell_update_swapped, "a_next", "update_gate_swapped",
     "values", "zt and 1 - zt are swapped", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_reset_after_product, "a_next", "reset_after_product",
     "values", "PyTorch's nn.GRU does that", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_reset_on_whole_product, "a_next",
     "reset_on_whole_product", "values", "multiplies the whole pre-activation", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_reset_missing, "a_next", "reset_missing", "values",
     "the reset gate is not used", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_gates_swapped, "a_next", "gates_swapped", "values",
     "the update and reset gates are swapped", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_candidate_sigmoid, "a_next", "candidate_sigmoid",
     "values", "the candidate hht uses the sigmoid", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_update_gate_tanh, "a_next", "gate_tanh", "values",
     "a gate uses tanh", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_missing_bh, "a_next", "missing_gate_bias", "values",
     "the bias bh is missing", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_concat_order, "a_next", "concat_order", "values",
     "the concatenation is [xt; a_prev]", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_missing_by, "yt_pred", "missing_by", "values",
     "the bias by is missing", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_y_from_a_prev, "yt_pred", "y_from_a_prev", "values",
     "computed from a_prev", CELL_CASE),
    (check_gru_cell_forward, wrong.cell_cache_order, "cache", "cache_order", "layout",
     "yours is (a_next, a_prev, rt, zt, hht, xt, parameters)", CELL_CASE),
    # gru_forward
    (check_gru_forward, wrong.forward_state_not_carried, "a", "state_not_carried", "values",
     "every step gets a0", SEQUENCE_CASE),
    (check_gru_forward, wrong.forward_a_stored_before_update, "a", "state_stored_before_update",
     "values", "off by one in time", SEQUENCE_CASE),
    (check_gru_forward, wrong.forward_caches_missing_x, "caches", "caches_missing_x", "layout",
     "(list of step caches, x)", SEQUENCE_CASE),
    # gru_cell_backward
    (check_gru_cell_backward, wrong.cell_backward_update_sign, "dxt", "update_gradient_sign",
     "values", "duz has the wrong sign", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_candidate_uses_z, "dxt",
     "candidate_gradient_uses_z", "values", "weighted by 1 - zt", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_unreset_stack, "dWh",
     "candidate_weights_unreset_stack", "values", "The candidate read the reset stack",
     CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_dur_without_a_prev, "dxt",
     "reset_gradient_missing_a_prev", "values", "dur misses a_prev", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_no_direct_path, "da_prev",
     "da_prev_missing_direct_path", "values", "misses the direct path", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_no_reset_path, "da_prev",
     "da_prev_missing_reset_path", "values", "misses the path through rt * a_prev", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_no_gates_path, "da_prev",
     "da_prev_missing_gates", "values", "misses the gates' path", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_dxt_gates_only, "dxt",
     "dxt_missing_candidate_path", "values", "dxt misses the candidate's part", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_tanh_slope_as_sigmoid, "dxt",
     "tanh_derivative_as_sigmoid", "values", "tanh'(u) = 1 - hht**2", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_sigmoid_slope_as_tanh, "dxt",
     "sigmoid_derivative_as_tanh", "values", "sigmoid'(u) = s (1 - s)", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_bias_mean, "dbz", "gate_bias_averaged",
     "values", "averaged over the examples", CELL_CASE),
    (check_gru_cell_backward, wrong.cell_backward_weights_transposed, "dWz",
     "gate_weight_gradient_transposed", "shape", "dW = du @ concat.T", CELL_CASE),
    # gru_backward
    (check_gru_backward, wrong.backward_not_carried, "dx", "da_not_carried", "values",
     "the gradient from step t+1 is forgotten", SEQUENCE_CASE),
    (check_gru_backward, wrong.backward_forwards_in_time, "dx", "time_loop_forwards", "values",
     "for t in reversed(range(T_x))", SEQUENCE_CASE),
    (check_gru_backward, wrong.backward_da0_first_step_run, "da0", "da0_wrong_step", "values",
     "da_prev of step T_x-1", SEQUENCE_CASE),
    (check_gru_backward, wrong.backward_not_accumulated, "dWz", "gradients_not_accumulated",
     "values", "dWz += gradients[\"dWz\"]", SEQUENCE_CASE),
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
    case = EXERCISES[check].make_cases()[0]
    produced = mistake.variant(*case.arguments.values())
    expected = getattr(reference, check.__name__.removeprefix("check_"))(
        *case.arguments.values())
    assert first_difference(expected, produced, "result") is not None


# ---- the gradient check -------------------------------------------------------------------

GRADIENT_CHECKED = [row for row in MISTAKES if row[4] == "values"
                    and row[0] in (check_gru_cell_backward, check_gru_backward)]


@pytest.mark.parametrize(("check", "student", "output"), [row[:3] for row in GRADIENT_CHECKED],
                         ids=[f"{row[0].__name__[6:]}-{row[3]}" for row in GRADIENT_CHECKED])
def test_a_wrong_gradient_is_compared_with_central_differences(check, student, output):
    error = gradient_check_error(failure_of(check, student))
    assert error is not None and error > 1e-4


@pytest.mark.parametrize("exercise", [GRU_CELL_BACKWARD, GRU_BACKWARD],
                         ids=lambda exercise: exercise.name)
def test_the_gradient_check_agrees_with_the_reference(exercise):
    checked = set()
    for case in exercise.make_cases():
        for name, value in getattr(reference, exercise.name)(*case.arguments.values()).items():
            estimate = exercise.gradient_check(case.arguments, name)
            assert estimate is not None, name
            assert relative_error(value, estimate) < 1e-7, (case.label, name)
            checked.add(name)
    assert len(checked) == 8


def test_no_gradient_check_for_a_wrong_shape():
    failure = failure_of(check_gru_cell_backward, wrong.cell_backward_weights_transposed)
    assert failure.kind == "shape" and gradient_check_error(failure) is None


def test_bias_gradients_not_summed_fail_on_their_shape():
    failure = failure_of(check_gru_cell_backward, wrong.cell_backward_bias_not_summed)
    assert (failure.kind, failure.output) == ("shape", "dbz")


# ---- exceptions ---------------------------------------------------------------------------


@pytest.mark.parametrize("student", [wrong.cell_reset_on_x, wrong.cell_reset_on_whole_stack],
                         ids=["on_x", "on_whole_stack"])
def test_the_reset_on_the_wrong_operand_is_named(student):
    failure = failure_of(check_gru_cell_forward, student)
    assert (failure.kind, failure.diagnosis) == ("exception", "reset_wrong_operand")
    assert failure.lines[-1].startswith("Likely mistake: an (n_a, m) array meets one with")
    assert "It scales a_prev only: [rt * a_prev; xt]." in failure.lines[-1]


def test_concatenating_along_axis_1_says_which_axis():
    failure = failure_of(check_gru_cell_forward, wrong.cell_concat_axis_1)
    assert (failure.kind, failure.diagnosis) == ("exception", "concat_axis")


# ---- isolation: gru_forward and gru_backward run with the reference cell ------------------

ISOLATION = [
    (check_gru_forward, wrong.GRU_FORWARD_SOURCE, "gru_forward", "gru_cell_forward",
     wrong.cell_update_swapped),
    (check_gru_backward, wrong.GRU_BACKWARD_SOURCE, "gru_backward", "gru_cell_backward",
     wrong.cell_backward_no_direct_path),
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
    check(namespace[name])
    assert capsys.readouterr().out == PASSED[check]
    assert namespace[name].__globals__[helper] is wrong_helper


@pytest.mark.parametrize(("check", "source", "name", "helper", "wrong_helper"), ISOLATION,
                         ids=[row[2] for row in ISOLATION])
def test_the_wrong_helper_would_have_failed_without_isolation(check, source, name, helper,
                                                              wrong_helper):
    case = EXERCISES[check].make_cases()[0]
    mine = student_namespace(source, helper, wrong_helper)[name](*case.arguments.values())
    right = getattr(reference, name)(*case.arguments.values())
    first = (lambda result: result["dx"]) if isinstance(right, dict) else (lambda result: result[0])
    assert not np.allclose(first(mine), first(right))


@pytest.mark.parametrize(("student", "start"), [
    (wrong.cell_backward_update_sign, "duz"), (wrong.cell_backward_dur_without_a_prev, "dur"),
    (wrong.cell_backward_candidate_uses_z, "duh"),
    (wrong.cell_backward_sigmoid_slope_as_tanh, "duz and dur")])
def test_a_wrong_cell_gradient_names_where_the_error_starts(student, start):
    lines = failure_of(check_gru_cell_backward, student).lines
    assert any(line.startswith(f"The error starts at {start}: ") for line in lines), lines


@pytest.mark.parametrize(("student", "line"), [
    (wrong.backward_not_carried, "Going backwards as BPTT does, dx[:, :, t] is right for t = 5 "
     "and first wrong at t = 4: the error starts in what step 5 passes back to step 4 (its "
     "da_prev, added to da[:, :, t])."),
    (wrong.backward_forwards_in_time, "Going backwards as BPTT does, dx[:, :, 5] (the last "
     "step, computed first) is already wrong: the error is in that step itself, before "
     "anything is carried back."),
])
def test_a_wrong_gru_bptt_names_the_first_wrong_step_going_backwards(student, line):
    assert line in failure_of(check_gru_backward, student).lines
