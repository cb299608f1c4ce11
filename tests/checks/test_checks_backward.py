"""Checks of lessons 03-04: the reference passes; each typical mistake fails, diagnosed."""


import check_helpers
import mistakes_backward as wrong  # beside this file (tests/checks/)
import numpy as np
import pytest
from check_helpers import failure_of, gradient_check_error

from rnn_utils import reference
from rnn_utils.checks import (
    check_numerical_gradient,
    check_output_layer_backward,
    check_rnn_backward,
    check_rnn_cell_backward,
    check_softmax_cross_entropy,
)
from rnn_utils.checks.framework import run_check
from rnn_utils.checks.gradient_checking import NUMERICAL_GRADIENT
from rnn_utils.checks.output_layer import OUTPUT_LAYER_BACKWARD, SOFTMAX_CROSS_ENTROPY
from rnn_utils.checks.rnn_backward import RNN_BACKWARD, RNN_CELL_BACKWARD
from rnn_utils.gradcheck import relative_error

GRADIENTS = "shapes, values of every gradient, inputs unchanged"
PASSED = {
    check_rnn_cell_backward: f"rnn_cell_backward: all checks passed (6 cases: {GRADIENTS}).\n",
    check_numerical_gradient: "numerical_gradient: all checks passed (6 cases: 1-3 axes, values, "
                              "eps used, x restored).\n",
    check_rnn_backward: f"rnn_backward: all checks passed (6 cases: {GRADIENTS}).\n",
    check_softmax_cross_entropy: "softmax_cross_entropy: all checks passed (6 cases: loss, dz, "
                                 "inputs unchanged).\n",
    check_output_layer_backward: f"output_layer_backward: all checks passed (6 cases: "
                                 f"{GRADIENTS}).\n",
}
EXERCISES = {check_rnn_cell_backward: RNN_CELL_BACKWARD,
             check_numerical_gradient: NUMERICAL_GRADIENT,
             check_rnn_backward: RNN_BACKWARD,
             check_softmax_cross_entropy: SOFTMAX_CROSS_ENTROPY,
             check_output_layer_backward: OUTPUT_LAYER_BACKWARD}

CELL_CASE = "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4"
SEQUENCE_CASE = "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4, T_x=6"
LOSS_CASE = "Case 1 of 6: n_y=2, m=4, T_x=6"
OUTPUT_CASE = "Case 1 of 6: n_a=5, n_y=2, m=4, T_x=6"


# ---- passing ------------------------------------------------------------------------------


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_reference_passes_with_one_line(check, capsys):
    assert check(getattr(reference, check.__name__.removeprefix("check_"))) is None
    assert capsys.readouterr().out == PASSED[check]


def test_extra_keys_in_the_returned_dict_are_harmless(capsys):
    check_rnn_cell_backward(wrong.cell_extra_keys)
    assert capsys.readouterr().out == PASSED[check_rnn_cell_backward]


# ---- recognised mistakes ------------------------------------------------------------------

# (check, student, output, diagnosis, kind, words of the explanation, case)
MISTAKES = [
    # rnn_cell_backward
    (check_rnn_cell_backward, wrong.cell_tanh_derivative_twice, "dxt", "tanh_derivative_twice",
     "values", "1 - np.tanh(a_next)**2", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_missing_tanh_derivative, "dxt",
     "missing_tanh_derivative", "values", "tanh derivative is missing", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_derivative_of_a_prev, "dxt", "derivative_of_a_prev",
     "values", "uses a_prev", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_derivative_squared_wrong, "dxt",
     "derivative_squared_wrong", "values", "(1 - a_next)**2", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dxt_skips_derivative, "dxt", "dxt_skips_derivative",
     "values", "dxt uses da_next directly", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_da_prev_missing_transpose, "da_prev",
     "da_prev_missing_transpose", "values", "da_prev = Waa.T @ dz", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dWax_transposed, "dWax", "dWax_transposed", "shape",
     "dWax = dz @ xt.T", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dWaa_transposed, "dWaa", "dWaa_transposed", "values",
     "(a_prev @ dz.T)", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dWaa_uses_a_next, "dWaa", "dWaa_uses_a_next", "values",
     "dWaa uses a_next", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_parameter_gradients_averaged, "dWax",
     "parameter_gradients_averaged", "values", "divided by m", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_keepdims_missing, "dba", "dba_keepdims_missing",
     "shape", "keepdims=True", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_axis_0, "dba", "dba_wrong_axis", "shape",
     "summed over axis 0", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_axis_0_flat, "dba", "dba_wrong_axis", "shape",
     "summed over axis 0", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_scalar, "dba", "dba_wrong_axis", "shape",
     "dba is one number", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_averaged, "dba", "dba_averaged", "values",
     "averaged over the examples", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_dba_not_summed, "dba", "dba_not_summed", "shape",
     "dba is dz itself", CELL_CASE),
    (check_rnn_cell_backward, wrong.cell_float32, "dxt", "not_float64", "values",
     "dxt has dtype float32", CELL_CASE),
    # numerical_gradient
    (check_numerical_gradient, wrong.gradient_float32_copy, "grad", "float32_copy", "values",
     "copied to float32", "Case 1 of 6: x of shape (5,)"),
    (check_numerical_gradient, wrong.gradient_divided_by_eps, "grad", "divided_by_eps",
     "values", "2 * eps apart", "Case 1 of 6: x of shape (5,)"),
    (check_numerical_gradient, wrong.gradient_one_sided, "grad", "one_sided_difference",
     "values", "one-sided difference", "Case 1 of 6: x of shape (5,)"),
    (check_numerical_gradient, wrong.gradient_all_entries_at_once, "grad", "all_entries_at_once",
     "values", "every entry is perturbed at once", "Case 1 of 6: x of shape (5,)"),
    (check_numerical_gradient, wrong.gradient_first_axis_only, "grad", "first_axis_only",
     "values", "only the first axis", "Case 2 of 6: x of shape (3, 4)"),
    (check_numerical_gradient, wrong.gradient_eps_ignored, "grad", "eps_ignored", "values",
     "eps passed in is not used", "Case 1 of 6: x of shape (5,)"),
    (check_numerical_gradient, wrong.gradient_eps_default_used, "grad", "eps_ignored", "values",
     "eps passed in is not used", "Case 6 of 6: x of shape (2, 3), eps=1e-3"),
    # softmax_cross_entropy
    (check_softmax_cross_entropy, wrong.loss_sign, "loss", "loss_sign", "values",
     "wrong sign", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.loss_not_averaged, "loss", "loss_not_averaged", "values",
     "not divided by m", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.loss_averaged_over_steps, "loss",
     "loss_averaged_over_steps", "values", "divided by m * T_x", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.loss_mean_of_entries, "loss", "loss_mean_of_entries",
     "values", "np.mean over every entry", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.loss_without_y, "loss", "loss_without_y", "values",
     "multiply by the one-hot y", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.dz_sign, "dz", "dz_sign", "values",
     "dz has the wrong sign", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.dz_not_divided_by_m, "dz", "dz_not_divided_by_m",
     "values", "dz is not divided by m", LOSS_CASE),
    (check_softmax_cross_entropy, wrong.dz_divided_by_m_T_x, "dz", "dz_divided_by_m_T_x",
     "values", "dz is divided by m * T_x", LOSS_CASE),
    # output_layer_backward
    (check_output_layer_backward, wrong.output_da_without_Wya, "da", "da_without_Wya", "shape",
     "Wya.T @ dz[:, :, t]", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dWya_transposed, "dWya", "dWya_transposed",
     "shape", "(a @ dz.T)", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dWya_last_step, "dWya",
     "dWya_not_summed_over_time", "values", "the last step's gradient only", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dWya_first_step, "dWya",
     "dWya_not_summed_over_time", "values", "the first step's gradient only", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dby_flat, "dby", "dby_keepdims_missing", "shape",
     "keepdims=True", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dby_averaged, "dby", "dby_averaged", "values",
     "averaged over the examples (np.mean)", OUTPUT_CASE),
    (check_output_layer_backward, wrong.output_dby_mean_over_steps, "dby", "dby_averaged",
     "values", "averaged over the examples and the steps", OUTPUT_CASE),
    # rnn_backward
    (check_rnn_backward, wrong.backward_carry_only, "dx", "upstream_da_forgotten", "values",
     "every gradient is zero", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_step_gradient_forgotten, "dx",
     "step_gradient_forgotten", "values", "gradient from step t+1 is forgotten", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_carry_never_updated, "dx", "step_gradient_forgotten",
     "values", "update the carried gradient", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_loop_forwards, "dx", "time_loop_forwards", "values",
     "for t in reversed(range(T_x))", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_caches_reversed, "dx", "caches_reversed", "values",
     "cache of step T_x-1-t", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_da0_first_iteration, "da0", "da0_wrong_step", "values",
     "da_prev of step T_x-1", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_da0_is_da_0, "da0", "da0_is_upstream", "values",
     "da0 is da[:, :, 0]", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_da0_zero, "da0", "da0_zero", "values", "da0 is zero",
     SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_dx_never_stored, "dx", "dx_not_stored_per_step",
     "values", "dx[:, :, t] = gradients[\"dxt\"]", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_dx_stored_after_loop, "dx", "dx_not_stored_per_step",
     "values", "inside the loop", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_dx_broadcast, "dx", "dx_not_stored_per_step", "values",
     "inside the loop", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_dx_is_dxt, "dx", "dx_not_stored_per_step", "shape",
     "inside the loop", SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_not_accumulated, "dWax",
     "parameter_gradients_not_accumulated", "values", "dWax += gradients[\"dWax\"]",
     SEQUENCE_CASE),
    (check_rnn_backward, wrong.backward_bias_added_to_itself, "dba", "bias_added_to_itself",
     "values", "dba += dba", SEQUENCE_CASE),
]


@pytest.mark.parametrize(("check", "student", "output", "key", "kind", "explanation", "case"),
                         MISTAKES, ids=[row[1].__name__ for row in MISTAKES])
def test_mistake_is_recognised(check, student, output, key, kind, explanation, case):
    failure = failure_of(check, student)
    function = check.__name__.removeprefix("check_")
    assert (failure.function, failure.output, failure.diagnosis) == (function, output, key)
    assert failure.kind == kind
    message = str(failure)
    assert message.startswith(f"{function}: FAILED - {output} has ")
    assert case in failure.lines[1]
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


# ---- the gradient check -------------------------------------------------------------------

GRADIENT_CHECKED = [row for row in MISTAKES if row[4] == "values"
                    and row[0] is not check_numerical_gradient
                    and row[3] != "not_float64" and row[2] != "loss"]


@pytest.mark.parametrize(("check", "student", "output"), [row[:3] for row in GRADIENT_CHECKED],
                         ids=[row[1].__name__ for row in GRADIENT_CHECKED])
def test_a_wrong_gradient_is_compared_with_central_differences(check, student, output):
    error = gradient_check_error(failure_of(check, student))
    assert error is not None and error > 1e-4


@pytest.mark.parametrize("exercise", [RNN_CELL_BACKWARD, RNN_BACKWARD, SOFTMAX_CROSS_ENTROPY,
                                      OUTPUT_LAYER_BACKWARD], ids=lambda exercise: exercise.name)
def test_the_gradient_check_agrees_with_the_reference(exercise):
    # What the message promises: a correct gradient is within 1e-7 of the estimate.
    gradients = 0
    for case in exercise.make_cases():
        expected = getattr(reference, exercise.name)(*case.arguments.values())
        expected = dict(zip(("loss", "dz"), expected)) if isinstance(expected, tuple) else expected
        for name, value in expected.items():
            estimate = exercise.gradient_check(case.arguments, name)
            if estimate is not None:
                assert relative_error(value, estimate) < 1e-7, (case.label, name)
                gradients += 1
    assert gradients >= len(exercise.make_cases())


@pytest.mark.parametrize(("check", "student"), [
    (check_rnn_cell_backward, wrong.cell_dWax_transposed),  # a shape failure
    (check_rnn_cell_backward, wrong.cell_float32),  # right up to rounding: the dtype is named
    (check_softmax_cross_entropy, wrong.loss_sign),  # the loss is not a gradient
    (check_numerical_gradient, wrong.gradient_divided_by_eps),
])
def test_no_gradient_check_where_it_does_not_apply(check, student):
    failure = failure_of(check, student)
    if student is wrong.cell_float32:
        assert gradient_check_error(failure) < 1e-6
    else:
        assert gradient_check_error(failure) is None


# ---- exceptions, in-place changes, return structures, NaN ---------------------------------


@pytest.mark.parametrize(("check", "student", "line"), [
    (check_rnn_cell_backward, wrong.cell_dxt_missing_transpose,
     'gradients["dxt"] = parameters["Wax"] @ dz'),
    (check_output_layer_backward, wrong.output_da_not_transposed,
     'da[:, :, t] = parameters["Wya"] @ dz[:, :, t]'),
])
def test_a_missing_transpose_names_the_line(check, student, line):
    failure = failure_of(check, student)
    assert (failure.kind, failure.diagnosis) == ("exception", "matmul_shapes")
    assert f"of {student.__name__}: {line}" in str(failure)


def test_modifying_da_next_in_place_is_named():
    failure = failure_of(check_rnn_cell_backward, wrong.cell_modifies_da_next)
    assert (failure.kind, failure.output, failure.diagnosis) == (
        "input_modified", "da_next", "input_modified")
    assert "modified its argument da_next in place" in failure.lines[0]


def test_x_not_restored_gets_its_own_hint():
    failure = failure_of(check_numerical_gradient, wrong.gradient_x_not_restored)
    assert (failure.kind, failure.output, failure.diagnosis) == (
        "input_modified", "x", "x_not_restored")
    assert failure.lines[0] == "numerical_gradient: FAILED - your function modified its " \
                               "argument x in place"
    assert failure.lines[-1].startswith("Likely mistake: x[index] is not restored after the two "
                                        "evaluations")


def test_a_tuple_instead_of_the_dict_says_how_to_return_it():
    failure = failure_of(check_rnn_cell_backward, wrong.cell_returns_tuple)
    assert failure.kind == "return"
    assert failure.lines[0] == (
        "rnn_cell_backward: FAILED - returned a tuple, expected a dict with keys (dxt, da_prev, "
        'dWax, dWaa, dba): return {"dxt": dxt, ...}')


def test_nan_in_a_gradient_is_reported_readably():
    failure = failure_of(check_rnn_cell_backward, wrong.cell_nan)
    assert (failure.kind, failure.output, failure.diagnosis) == ("values", "dxt", None)
    expected = reference.rnn_cell_backward(*RNN_CELL_BACKWARD.make_cases()[0].arguments.values())
    first = np.argwhere(np.isnan(wrong.cell_nan(
        *RNN_CELL_BACKWARD.make_cases()[0].arguments.values())["dxt"]))[0]
    count = int(np.sum(RNN_CELL_BACKWARD.make_cases()[0].arguments["cache"][2] > 0))
    assert failure.lines[2] == (
        f"dxt has {count} NaN or infinite value(s) among its 12, the first at "
        f"dxt[{first[0]}, {first[1]}] (yours nan, expected "
        f"{expected['dxt'][tuple(first)]:.6g}): look for a division by zero, the log of 0, "
        "or an overflow")
    assert gradient_check_error(failure) is None  # a relative error of nan says nothing more


def test_nan_loss_is_reported_readably():
    failure = failure_of(check_softmax_cross_entropy, wrong.loss_log_of_zero)
    assert (failure.kind, failure.output) == ("values", "loss")
    assert failure.lines[2].startswith("loss is nan, expected ")
    assert failure.lines[2].endswith(": look for a division by zero, the log of 0, or an "
                                     "overflow")


# ---- isolation: rnn_backward is checked with the reference rnn_cell_backward ---------------


def student_namespace():
    """A notebook-like namespace: a correct rnn_backward next to a WRONG rnn_cell_backward."""
    namespace = {"np": np, "rnn_cell_backward": wrong.cell_missing_tanh_derivative}
    exec(compile(wrong.RNN_BACKWARD_SOURCE, "<notebook cell>", "exec"), namespace)
    return namespace


def test_rnn_backward_is_checked_with_the_reference_cell(capsys):
    namespace = student_namespace()
    before = dict(namespace)
    check_rnn_backward(namespace["rnn_backward"])
    assert capsys.readouterr().out == PASSED[check_rnn_backward]
    assert namespace == before  # the notebook's namespace is untouched
    assert namespace["rnn_backward"].__globals__["rnn_cell_backward"] is (
        wrong.cell_missing_tanh_derivative)


def test_the_wrong_cell_would_have_failed_without_isolation():
    # Guards the test above: it only proves isolation if the student's own cell is used otherwise.
    case = RNN_BACKWARD.make_cases()[0]
    mine = student_namespace()["rnn_backward"](*case.arguments.values())
    right = reference.rnn_backward(*case.arguments.values())
    assert not np.allclose(mine["dx"], right["dx"])


def test_the_check_runs_any_callable(capsys):
    # run_check takes what the notebook defines: here a lambda around a correct loop (which
    # may call the reference cell, a helper, but not the reference rnn_backward).
    def backward_loop(da, caches):
        step_caches, x = caches
        totals = {"dx": np.zeros(x.shape), "dWax": 0, "dWaa": 0, "dba": 0}
        da_carried = np.zeros(da.shape[:2])
        for t in reversed(range(x.shape[2])):
            step = reference.rnn_cell_backward(da[:, :, t] + da_carried, step_caches[t])
            totals["dx"][:, :, t], da_carried = step["dxt"], step["da_prev"]
            for name in ("dWax", "dWaa", "dba"):
                totals[name] = totals[name] + step[name]
        return {**totals, "da0": da_carried}

    run_check(RNN_BACKWARD, lambda da, caches: backward_loop(da, caches))
    assert capsys.readouterr().out == PASSED[check_rnn_backward]


def test_a_small_error_is_shown_with_enough_digits_to_see_it():
    from rnn_utils.checks.compare import describe_error

    expected = np.array([1.1072, 2.0])
    message = describe_error(expected, expected + np.array([1.5e-7, 0.0]), "grad")
    assert "yours 1.1072001, expected 1.1072)" in message


@pytest.mark.parametrize(("student", "line"), [
    (wrong.cell_missing_tanh_derivative, "The error starts at du: exactly the gradients "),
    (wrong.cell_parameter_gradients_averaged, "Wrong together: dWax, dWaa, dba; right: dxt, "
     "da_prev."),
])
def test_a_wrong_cell_gradient_says_what_is_wrong_together(student, line):
    lines = failure_of(check_rnn_cell_backward, student).lines
    assert any(shown.startswith(line) for shown in lines), lines


def test_a_rounded_dtype_names_no_start_in_the_derivation():
    lines = failure_of(check_rnn_cell_backward, wrong.cell_float32).lines
    assert not any(line.startswith(("Wrong together", "The error starts")) for line in lines)


@pytest.mark.parametrize(("student", "line"), [
    (wrong.backward_carry_only, "Going backwards as BPTT does, dx[:, :, 5] (the last step, "
     "computed first) is already wrong: the error is in that step itself"),
    (wrong.backward_step_gradient_forgotten, "Going backwards as BPTT does, dx[:, :, t] is "
     "right for t = 5 and first wrong at t = 4: the error starts in what step 5 passes back "
     "to step 4 (its da_prev, added to da[:, :, t])."),
    (wrong.backward_carry_reset_every_3_steps, "Going backwards as BPTT does, dx[:, :, t] is "
     "right for t = 5 down to 3 and first wrong at t = 2: the error starts in what step 3 "
     "passes back to step 2"),
])
def test_a_wrong_bptt_names_the_first_wrong_step_going_backwards(student, line):
    lines = failure_of(check_rnn_backward, student).lines
    assert "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4, T_x=6" in lines
    assert [shown for shown in lines if shown.startswith("Going backwards")] == [
        next(shown for shown in lines if shown.startswith(line))]


def test_a_right_dx_names_no_step():
    """backward_da0_zero's dx is right at every step: only da0 is wrong."""
    lines = failure_of(check_rnn_backward, wrong.backward_da0_zero).lines
    assert not any(line.startswith("Going backwards") for line in lines), lines
