"""Checks of lesson 08 (sample, sgd_update, adagrad_update, training_step, train_truncated,
loss_per_character): right answers pass with one line; each student-like mistake fails with
its own diagnosis; every known variant is diagnosed as itself; the cases test what their
labels say; helpers are the reference's during a check (the isolation rule)."""

import check_helpers
import mistakes_language_model as wrong  # beside this file (tests/checks/)
import numpy as np
import pytest
from check_helpers import failure_of

from rnn_utils import reference
from rnn_utils.checks import (
    check_adagrad_update,
    check_loss_per_character,
    check_sample,
    check_sgd_update,
    check_train_truncated,
    check_training_step,
)
from rnn_utils.checks import language_model as lm
from rnn_utils.checks.compare import same
from rnn_utils.checks.framework import call_quietly

PASSED = {
    check_sample: "sample: all checks passed (4 cases: one draw per step, the state carried, "
                  "the end token).\n",
    check_sgd_update: "sgd_update: all checks passed (3 cases: values, new arrays, inputs "
                      "unchanged).\n",
    check_adagrad_update: "adagrad_update: all checks passed (3 cases: values, new arrays, "
                          "inputs unchanged).\n",
    check_training_step: "training_step: all checks passed (3 cases: loss, state, clipped "
                         "Adagrad update, inputs unchanged).\n",
    check_train_truncated: "train_truncated: all checks passed (4 cases: windows, the state "
                           "carried, one update per window).\n",
    check_loss_per_character: "loss_per_character: all checks passed (3 cases: padding, "
                              "characters counted, perplexity).\n",
}
EXERCISES = {check_sample: lm.SAMPLE, check_sgd_update: lm.SGD_UPDATE,
             check_adagrad_update: lm.ADAGRAD_UPDATE, check_training_step: lm.TRAINING_STEP,
             check_train_truncated: lm.TRAIN_TRUNCATED,
             check_loss_per_character: lm.LOSS_PER_CHARACTER}


@pytest.mark.parametrize("check", list(PASSED), ids=lambda check: check.__name__)
def test_reference_passes_with_one_line(check, capsys):
    assert check(getattr(reference, check.__name__.removeprefix("check_"))) is None
    assert capsys.readouterr().out == PASSED[check]


@pytest.mark.parametrize(("check", "student"), [
    (check_sample, wrong.sample_right_in_other_words),
    (check_sgd_update, wrong.sgd_right_in_other_words),
    (check_adagrad_update, wrong.adagrad_right_in_other_words),
    (check_training_step, wrong.training_right_in_other_words),
    (check_train_truncated, wrong.truncated_right_in_other_words),
    (check_loss_per_character, wrong.loss_right_in_other_words),
], ids=lambda value: getattr(value, "__name__", ""))
def test_right_answers_in_other_words_pass(check, student, capsys):
    check(student)
    assert capsys.readouterr().out == PASSED[check]


# (check, student, diagnosis, kind)
MISTAKES = [
    (check_sample, wrong.sample_argmax, "argmax_not_drawn", "layout"),
    (check_sample, wrong.sample_temperature_after_softmax, "temperature_after_softmax", "layout"),
    (check_sample, wrong.sample_temperature_after_softmax_unnormalised,
     "temperature_after_softmax", "exception"),
    (check_sample, wrong.sample_temperature_times, "temperature_multiplies", "layout"),
    (check_sample, wrong.sample_no_carry, "state_not_carried", "layout"),
    (check_sample, wrong.sample_stale_input, "previous_input_fed", "layout"),
    (check_sample, wrong.sample_multi_hot, "input_not_reset", "layout"),
    (check_sample, wrong.sample_end_not_stopping, "end_token_not_stopping", "layout"),
    (check_sample, wrong.sample_end_dropped, "end_token_left_out", "layout"),
    (check_sample, wrong.sample_zeros_first, "start_input_zeros", "layout"),
    (check_sample, wrong.sample_one_more, "max_length_off_by_one", "layout"),
    (check_sample, wrong.sample_own_generator, "generator_not_used", "layout"),
    (check_sample, wrong.sample_extra_draw, "extra_draws", "values"),
    (check_sgd_update, wrong.sgd_plus, "sign", "values"),
    (check_sgd_update, wrong.sgd_no_learning_rate, "learning_rate_ignored", "values"),
    (check_sgd_update, wrong.sgd_divided_by_the_rate, "learning_rate_divides", "values"),
    (check_sgd_update, wrong.sgd_in_place, "updated_in_place", "input_modified"),
    (check_sgd_update, wrong.sgd_wrong_names, "gradient_names", "exception"),
    (check_sgd_update, wrong.sgd_weights_only, "some_parameters_not_updated", "values"),
    (check_adagrad_update, wrong.adagrad_min_char_rnn, "epsilon_inside_sqrt", "values"),
    (check_adagrad_update, wrong.adagrad_not_accumulated, "memory_not_accumulated", "values"),
    (check_adagrad_update, wrong.adagrad_plus, "sign", "values"),
    (check_adagrad_update, wrong.adagrad_memory_in_place, "updated_in_place", "input_modified"),
    (check_adagrad_update, wrong.adagrad_step_before_memory, "old_memory_used", "values"),
    (check_adagrad_update, wrong.adagrad_no_sqrt, "no_square_root", "values"),
    (check_adagrad_update, wrong.adagrad_abs, "absolute_values_accumulated", "values"),
    (check_adagrad_update, wrong.adagrad_old_memory_returned, "memory_not_returned", "values"),
    (check_training_step, wrong.training_no_mask, "padding_not_masked", "values"),
    (check_training_step, wrong.training_no_clip, "not_clipped", "values"),
    (check_training_step, wrong.training_clip_recurrent, "output_layer_not_clipped", "values"),
    (check_training_step, wrong.training_from_zeros, "state_not_used", "values"),
    (check_training_step, wrong.training_first_state, "a_last_wrong_step", "values"),
    (check_training_step, wrong.training_sgd, "sgd_instead_of_adagrad", "values"),
    (check_training_step, wrong.training_mean_loss, "loss_per_step", "values"),
    (check_training_step, wrong.training_recurrent_only, "output_layer_not_updated", "values"),
    (check_train_truncated, wrong.truncated_reset, "state_not_carried", "layout"),
    (check_train_truncated, wrong.truncated_zero_state, "state_not_carried", "layout"),
    (check_train_truncated, wrong.truncated_floor, "last_window_dropped", "layout"),
    (check_train_truncated, wrong.truncated_overlap, "overlapping_windows", "layout"),
    (check_train_truncated, wrong.truncated_same_parameters, "parameters_not_carried", "layout"),
    (check_train_truncated, wrong.truncated_same_memory, "memory_not_carried", "layout"),
    (check_train_truncated, wrong.truncated_from_the_end, "windows_from_the_end", "layout"),
    (check_train_truncated, wrong.truncated_whole_stream, "one_update_for_the_stream", "layout"),
    (check_loss_per_character, wrong.loss_per_word, "averaged_over_words", "values"),
    (check_loss_per_character, wrong.loss_with_padding, "padding_counted", "values"),
    (check_loss_per_character, wrong.loss_without_end_tokens, "end_tokens_not_counted",
     "values"),
    (check_loss_per_character, wrong.loss_log10, "log10", "values"),
    (check_loss_per_character, wrong.loss_base_2, "perplexity_base_2", "values"),
    (check_loss_per_character, wrong.loss_word_perplexity, "perplexity_of_the_word_loss",
     "values"),
    (check_loss_per_character, wrong.loss_mean_of_words, "mean_of_word_means", "values"),
]


@pytest.mark.parametrize(("check", "student", "key", "kind"), MISTAKES,
                         ids=[row[1].__name__ for row in MISTAKES])
def test_mistake_is_recognised(check, student, key, kind):
    failure = failure_of(check, student)
    function = check.__name__.removeprefix("check_")
    assert (failure.function, failure.diagnosis, failure.kind) == (function, key, kind)
    assert failure.lines[0].startswith(f"{function}: FAILED - ")
    assert failure.lines[1].startswith("Case ")
    assert failure.lines[-1].startswith("Likely mistake: ")


def test_every_diagnosis_is_reached_by_a_student_like_mistake():
    reached = {(check, key) for check, _, key, _ in MISTAKES}
    known = {(check, mistake.key) for check, _, mistake in check_helpers.all_mistakes(EXERCISES)}
    known |= {(check_sample, "generator_not_used"), (check_sample, "extra_draws")}
    assert known <= reached, known - reached


def all_mistakes():
    return check_helpers.all_mistakes(EXERCISES)


@pytest.mark.parametrize(("check", "index", "mistake"), all_mistakes(),
                         ids=[f"{c.__name__}-{m.key}-{i}" for c, i, m in all_mistakes()])
def test_each_variant_is_diagnosed_as_itself(check, index, mistake):
    exercise = EXERCISES[check]
    assert any(not same(call_quietly(getattr(reference, exercise.name), case.arguments),
                        call_quietly(mistake.variant, case.arguments))
               for case in exercise.make_cases())
    check_helpers.assert_diagnosed_as_itself(check, mistake)


# ---- the cases test what their labels say --------------------------------------------------


def test_the_sample_cases_stop_where_their_labels_say():
    for case in lm.SAMPLE.make_cases():
        indices = call_quietly(reference.sample, case.arguments)
        max_length = case.arguments["max_length"]
        if "end token drawn" in case.label:
            assert indices[-1] == 0 and len(indices) < max_length
        if "stops at max_length" in case.label:
            assert len(indices) == max_length and 0 not in indices
        assert len(indices) <= max_length


def test_the_training_cases_clip_and_start_from_a_state():
    for case in lm.TRAINING_STEP.make_cases():
        arguments = case.arguments
        a, y_pred, caches = reference.rnn_forward(arguments["x"], arguments["a0"],
                                                  arguments["parameters"])
        _, dz = reference.softmax_cross_entropy(y_pred, arguments["y"])
        output = reference.output_layer_backward(dz, a, arguments["parameters"])
        recurrent = reference.rnn_backward(output["da"], caches)
        norm = np.sqrt(sum(np.sum(recurrent[n] ** 2) for n in ("dWax", "dWaa", "dba"))
                       + np.sum(output["dWya"] ** 2) + np.sum(output["dby"] ** 2))
        assert norm > arguments["max_norm"], case.label
        assert np.abs(arguments["a0"]).min() > 0


def test_the_truncated_cases_have_the_windows_their_labels_say():
    labels = [case.label for case in lm.TRAIN_TRUNCATED.make_cases()]
    for case in lm.TRAIN_TRUNCATED.make_cases():
        T, k = case.arguments["x"].shape[2], case.arguments["k"]
        losses = call_quietly(reference.train_truncated, case.arguments)[0]
        assert len(losses) == -(-T // k), case.label
    assert any("shorter" in text for text in labels) and any("k=1" in text for text in labels)


def test_the_loss_cases_have_padding():
    padded = [np.sum(case.arguments["y"]) < case.arguments["y"].shape[1]
              * case.arguments["y"].shape[2] for case in lm.LOSS_PER_CHARACTER.make_cases()]
    assert padded.count(True) == 2


# ---- isolation ------------------------------------------------------------------------------


def test_training_step_is_checked_with_the_reference_helpers(capsys):
    """A student's training_step calling a WRONG adagrad_update of their notebook still passes:
    during the check its helpers are the reference's."""
    namespace = {"np": np, "rnn_forward": reference.rnn_forward,
                 "softmax_cross_entropy": reference.softmax_cross_entropy,
                 "output_layer_backward": reference.output_layer_backward,
                 "rnn_backward": reference.rnn_backward, "clip_by_norm": reference.clip_by_norm,
                 "adagrad_update": wrong.adagrad_plus}
    source = reference_source("training_step")
    exec(source, namespace)  # noqa: S102 - the reference's own text, as a notebook cell
    check_training_step(namespace["training_step"])
    assert capsys.readouterr().out == PASSED[check_training_step]
    assert namespace["adagrad_update"] is wrong.adagrad_plus  # the notebook is untouched


def test_train_truncated_is_checked_with_the_reference_training_step(capsys):
    namespace = {"np": np, "training_step": wrong.training_no_clip}
    exec(reference_source("train_truncated"), namespace)  # noqa: S102
    check_train_truncated(namespace["train_truncated"])
    assert capsys.readouterr().out == PASSED[check_train_truncated]


def test_an_answer_that_calls_the_reference_fails():
    failure = failure_of(check_sample, lambda *arguments: reference.sample(*arguments))
    assert failure.diagnosis == "reference_used"


def reference_source(name):
    """The text of a graded function as the lesson defines it (without the decorator)."""
    import inspect

    from rnn_utils import reference as module
    source = inspect.getsource(module)
    start = source.index(f"def {name}(")
    end = source.find("\n# From solutions/", start)
    return source[start:end if end > 0 else None]
