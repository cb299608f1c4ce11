"""Checks of lesson 07 (clip, clip_by_norm): right answers pass; each typical mistake fails,
diagnosed; changing the caller's gradients is named with a clip-specific hint."""

import dataclasses

import check_helpers
import mistakes_clipping as wrong  # beside this file (tests/checks/)
import numpy as np
import pytest
from check_helpers import failure_of

from rnn_utils import reference
from rnn_utils.checks import CheckFailure, check_clip, check_clip_by_norm
from rnn_utils.checks.clipping import CLIP, CLIP_BY_NORM, global_norm
from rnn_utils.checks.compare import same
from rnn_utils.checks.framework import call_quietly, run_check

PASSED = {
    check_clip: "clip: all checks passed (4 cases: values, a new dict, inputs unchanged).\n",
    check_clip_by_norm: "clip_by_norm: all checks passed (4 cases: one common factor, no change "
                        "within the threshold, inputs unchanged).\n",
}
EXERCISES = {check_clip: CLIP, check_clip_by_norm: CLIP_BY_NORM}

CLIP_CASE = "Case 1 of 4: some entries beyond 1"
CLIP_WITHIN = "Case 2 of 4: all entries within 10"
NORM_CASE = "Case 1 of 4: global norm above 5 (global norm 16.3)"
NORM_WITHIN = "Case 2 of 4: global norm below 50: unchanged (global norm 12.7)"


def arrays(gradients):
    """The arrays of a gradient dict, by name."""
    return {name: np.asarray(value) for name, value in gradients.items()}


# ---- passing ------------------------------------------------------------------------------


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_reference_passes_with_one_line(check, capsys):
    assert check(getattr(reference, check.__name__.removeprefix("check_"))) is None
    assert capsys.readouterr().out == PASSED[check]


@pytest.mark.parametrize(("check", "student"), [(check_clip, wrong.clip_with_a_loop),
                                                (check_clip_by_norm,
                                                 wrong.norm_of_the_concatenation)])
def test_right_answers_in_other_words_pass(check, student, capsys):
    check(student)
    assert capsys.readouterr().out == PASSED[check]


# ---- the cases test what their labels say --------------------------------------------------


def norms(gradients):
    """Each array's L2 norm, by name."""
    return {name: float(np.sqrt(np.sum(value**2))) for name, value in gradients.items()}


def test_the_clip_cases_clip_both_sides_and_every_array_except_within_the_threshold():
    for case in CLIP.make_cases():
        max_value, gradients = case.arguments["max_value"], case.arguments["gradients"]
        beyond = {name: np.abs(value).max() > max_value for name, value in gradients.items()}
        if "within" in case.label:  # nothing to clip: the result equals the input
            assert not any(beyond.values()), case.label
            continue
        # Every array (biases too) has something to clip, on both sides overall: a one-sided
        # clip or a clip of some arrays only would otherwise pass.
        assert all(beyond.values()), (case.label, beyond)
        entries = np.concatenate([value.ravel() for value in gradients.values()])
        assert entries.max() > max_value and entries.min() < -max_value, case.label


def test_the_clip_by_norm_cases_are_above_and_below_the_threshold_as_labelled():
    above, below, within_each = [], [], []
    for case in CLIP_BY_NORM.make_cases():
        gradients, max_norm = case.arguments["gradients"], case.arguments["max_norm"]
        (below if "below" in case.label else above).append(global_norm(gradients) > max_norm)
        if "every array within" in case.label:
            within_each.append(max(norms(gradients).values()) <= max_norm)
    assert above == [True, True, True] and below == [False]
    assert within_each == [True]  # and its global norm is above: counted in ``above``


def test_per_array_norms_are_caught_where_every_array_is_within_the_threshold():
    # The case alone: a per-array rescaling changes nothing there, the reference does.
    (case,) = [case for case in CLIP_BY_NORM.make_cases() if "every array" in case.label]
    alone = dataclasses.replace(CLIP_BY_NORM, make_cases=lambda: [case])
    with pytest.raises(CheckFailure) as caught:
        run_check(alone, wrong.norm_per_array)
    assert (caught.value.kind, caught.value.diagnosis) == ("values", "per_array_norms")
    assert same(arrays(case.arguments["gradients"]),
                call_quietly(wrong.norm_per_array, case.arguments))


# ---- recognised mistakes ------------------------------------------------------------------

# (check, student, output, diagnosis, kind, words of the explanation, case)
MISTAKES = [
    # clip: the caller's gradients
    (check_clip, wrong.clip_out_in_place, "gradients['dWax']", "gradients_modified_in_place",
     "input_modified", "np.clip(value, -max_value, max_value) without out=", CLIP_CASE),
    (check_clip, wrong.clip_masks_in_place, "gradients['dWax']", "gradients_modified_in_place",
     "input_modified", "value[value > m] = m", CLIP_CASE),
    (check_clip, wrong.clip_same_dict, "gradients['dWax']", "same_dict_mutated",
     "input_modified", "changes the caller's dict and returns it", CLIP_CASE),
    (check_clip, wrong.clip_returns_input_when_within, "gradients", "same_dict_returned",
     "return", "`return gradients` hands back the caller's own dict", CLIP_WITHIN),
    # clip: values
    (check_clip, wrong.clip_upper_only, "clipped", "one_sided", "values",
     "only the upper bound", CLIP_CASE),
    (check_clip, wrong.clip_zero_to_max, "clipped", "clipped_to_0_max", "values",
     "[0, max_value]", CLIP_CASE),
    (check_clip, wrong.clip_bounds_swapped, "clipped", "bounds_swapped", "values",
     "the bounds are swapped", CLIP_CASE),
    (check_clip, wrong.clip_sign_lost, "clipped", "sign_lost", "values",
     "changes sign", CLIP_CASE),
    (check_clip, wrong.clip_weights_only, "clipped", "some_keys_not_clipped", "values",
     "the bias gradients are left", CLIP_CASE),
    (check_clip, wrong.clip_only_changed, "clipped", "unchanged_arrays_left_out", "layout",
     "every key of gradients", CLIP_WITHIN),
    # clip_by_norm: the caller's gradients
    (check_clip_by_norm, wrong.norm_scales_in_place, "gradients['dWax']",
     "gradients_modified_in_place", "input_modified", "value * factor", NORM_CASE),
    (check_clip_by_norm, wrong.norm_same_dict, "gradients['dWax']", "same_dict_mutated",
     "input_modified", "Build a new dict", NORM_CASE),
    (check_clip_by_norm, wrong.norm_returns_input_when_within, "gradients",
     "same_dict_returned", "return", "must be a new dict", NORM_WITHIN),
    # clip_by_norm: values
    (check_clip_by_norm, wrong.norm_per_array, "clipped", "per_array_norms", "values",
     "by its own norm", NORM_CASE),
    (check_clip_by_norm, wrong.norm_per_array_always, "clipped", "per_array_norms", "values",
     "by its own norm", NORM_CASE),
    (check_clip_by_norm, wrong.norm_always_rescaled, "clipped", "always_rescaled", "values",
     "even when the global norm is below", NORM_WITHIN),
    (check_clip_by_norm, wrong.norm_condition_reversed, "clipped", "condition_reversed",
     "values", "the condition is reversed", NORM_CASE),
    (check_clip_by_norm, wrong.norm_l1, "clipped", "l1_norm", "values",
     "sum of the absolute values (L1)", NORM_CASE),
    (check_clip_by_norm, wrong.norm_max_entry, "clipped", "max_entry_norm", "values",
     "the largest absolute entry", NORM_CASE),
    (check_clip_by_norm, wrong.norm_without_sqrt, "clipped", "norm_without_sqrt", "values",
     "without the square root", NORM_CASE),
    (check_clip_by_norm, wrong.norm_sum_of_norms, "clipped", "sum_of_norms", "values",
     "the sum of the arrays' norms", NORM_CASE),
    (check_clip_by_norm, wrong.norm_factor_inverted, "clipped", "factor_inverted", "values",
     "inverted (norm / max_norm)", NORM_CASE),
    (check_clip_by_norm, wrong.norm_unit, "clipped", "unit_norm", "values",
     "norm 1 instead of max_norm", NORM_CASE),
    (check_clip_by_norm, wrong.norm_by_value, "clipped", "clipped_by_value", "values",
     "clipping by value", NORM_CASE),
]


@pytest.mark.parametrize(("check", "student", "output", "key", "kind", "explanation", "case"),
                         MISTAKES, ids=[row[1].__name__ for row in MISTAKES])
def test_mistake_is_recognised(check, student, output, key, kind, explanation, case):
    failure = failure_of(check, student)
    function = check.__name__.removeprefix("check_")
    assert (failure.function, failure.output, failure.diagnosis) == (function, output, key)
    assert failure.kind == kind
    assert failure.lines[0].startswith(f"{function}: FAILED - ")
    assert failure.lines[1] == case
    assert failure.lines[-1].startswith("Likely mistake: ") and explanation in failure.lines[-1]


def test_a_wrong_array_is_named_in_the_headline():
    failure = failure_of(check_clip, wrong.clip_weights_only)
    assert failure.lines[0] == "clip: FAILED - clipped['dba'] has wrong values"
    assert failure.lines[2].startswith("max abs error ")


def test_missing_keys_are_named():
    failure = failure_of(check_clip, wrong.clip_only_changed)
    assert failure.lines[0] == "clip: FAILED - clipped is not as expected"
    assert failure.lines[2].startswith("clipped has no key 'dWax'")


@pytest.mark.parametrize(("check", "student"), [(check_clip, wrong.clip_same_dict),
                                                (check_clip_by_norm, wrong.norm_same_dict)])
def test_returning_the_same_dict_changed_is_reported_as_an_input_modified(check, student):
    failure = failure_of(check, student)
    assert failure.lines[0].endswith("your function modified its argument gradients['dWax'] "
                                     "in place")
    assert failure.lines[-1] == ("Likely mistake: the function changes the caller's dict and "
                                 "returns it (gradients[name] = ... stores into it): the "
                                 "caller's gradients are lost. Build a new dict, e.g. "
                                 "{name: ... for name, value in gradients.items()}.")


@pytest.mark.parametrize(("check", "student", "fix"), [
    (check_clip, wrong.clip_out_in_place, "np.clip(value, -max_value, max_value) without out="),
    (check_clip_by_norm, wrong.norm_scales_in_place, "value * factor"),
])
def test_the_in_place_hint_names_the_culprits_and_the_fix(check, student, fix):
    hint = failure_of(check, student).lines[-1]
    for culprit in ("np.clip(value, -m, m, out=value)", "value[value > m] = m",
                    "value *= factor"):
        assert culprit in hint
    assert hint.endswith(f"Compute a new array: {fix}.")


def all_mistakes():
    """(check, index, Mistake) for every known mistake of this module's checks."""
    return check_helpers.all_mistakes(EXERCISES)


def test_every_diagnosis_is_reached_by_a_student_like_mistake():
    reached = {(check, key) for check, _, _, key, *_ in MISTAKES}
    known = {(check, mistake.key) for check, _, mistake in all_mistakes()}
    known |= {(check, key) for check in EXERCISES
              for key in ("gradients_modified_in_place", "same_dict_mutated",
                          "same_dict_returned")}
    assert known <= reached, known - reached


@pytest.mark.parametrize(("check", "index", "mistake"), all_mistakes(),
                         ids=[f"{m.key}-{i}" for _, i, m in all_mistakes()])
def test_each_variant_is_diagnosed_as_itself(check, index, mistake):
    exercise = EXERCISES[check]
    # It differs from the reference on some case (so it is a mistake at all)...
    assert any(not same(call_quietly(reference.__dict__[exercise.name], case.arguments),
                        call_quietly(mistake.variant, case.arguments))
               for case in exercise.make_cases())
    # ...and, run through the whole check, it is recognised as its own mistake: no earlier
    # mistake shadows it.
    check_helpers.assert_diagnosed_as_itself(check, mistake)
