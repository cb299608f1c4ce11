"""A student's function that never returns, is interrupted, or prints while it fails: the check
answers in a few lines naming the function and the case, at home and in the grader alike."""

import json
import threading
import time

import mistakes  # beside this file (tests/checks/)
import mistakes_backward
import numpy as np
import pytest
from check_helpers import failure_of

from rnn_course.grading.judge import exercises, judge_outputs, make_task, serve_call
from rnn_course.grading.kernel import harness
from rnn_utils import limits
from rnn_utils.checks import check_rnn_backward, check_rnn_cell_forward

CASE_1 = "Case 1 of 6: n_x=3, n_a=5, n_y=2, m=4"


@pytest.fixture
def one_second(monkeypatch):
    """Every case gets one second (the real bound, five, would slow the tests down)."""
    monkeypatch.setattr(limits, "MIN_CASE_SECONDS", 1)


def endless(xt, a_prev, parameters):
    t = 0
    while t < 10:
        a_prev = np.tanh(a_prev)  # t is never increased
    return a_prev


def endless_and_defended(xt, a_prev, parameters):
    while True:
        try:
            time.sleep(0.01)
        except Exception:  # noqa: BLE001 -- a student's blanket except must not hide the bound
            pass


def chatty_and_wrong(xt, a_prev, parameters):
    print("xt has shape", xt.shape)
    a_next, yt_pred, cache = mistakes.cell_missing_ba(xt, a_prev, parameters)
    print("a_next[0, 0] =", round(float(a_next[0, 0]), 3))
    return a_next, yt_pred, cache


def interrupted(xt, a_prev, parameters):
    raise KeyboardInterrupt  # what Kernel > Interrupt raises in the running code


@pytest.mark.parametrize("student", [endless, endless_and_defended])
def test_an_endless_loop_is_stopped_and_named(one_second, student):
    started = time.perf_counter()
    failure = failure_of(check_rnn_cell_forward, student)
    assert time.perf_counter() - started < 3
    assert (failure.kind, failure.diagnosis, failure.case) == ("timeout", "endless_loop",
                                                               "n_x=3, n_a=5, n_y=2, m=4")
    assert failure.lines[:2] == [
        "rnn_cell_forward: FAILED - your function did not return within 1 s (the reference "
        "takes a fraction of a second)", CASE_1]
    assert failure.lines[2].startswith("Likely mistake: a loop that never ends")
    assert failure._render_traceback_() == failure.lines  # IPython shows no traceback


def test_the_time_limit_scales_with_the_reference():
    assert limits.case_seconds(0.0001) == limits.MIN_CASE_SECONDS == 5
    assert limits.case_seconds(0.2) == 20  # a slow laptop, a long case: more time


def test_an_interrupt_names_the_function_and_the_case():
    failure = failure_of(check_rnn_cell_forward, interrupted)
    assert failure.kind == "interrupted" and failure.diagnosis is None
    assert failure._render_traceback_() == [
        "rnn_cell_forward: FAILED - interrupted (Kernel > Interrupt) while your function ran",
        CASE_1]


def test_a_failure_shows_what_the_function_printed_on_its_case():
    failure = failure_of(check_rnn_cell_forward, chatty_and_wrong)
    assert failure.diagnosis == "missing_ba"
    printed = failure.lines[failure.lines.index("What your function printed on this case:"):]
    assert printed[1] == "    xt has shape (3, 4)"
    assert printed[2].startswith("    a_next[0, 0] = ") and len(printed) == 3
    assert str(failure).endswith(printed[-1])  # in the message IPython and pytest show


def test_what_was_printed_is_cut_to_its_end():
    def flooding(xt, a_prev, parameters):
        for i in range(10_000):
            print(f"line {i}")
        return mistakes.cell_missing_ba(xt, a_prev, parameters)

    lines = failure_of(check_rnn_cell_forward, flooding).lines
    shown = lines[lines.index("What your function printed on this case:") + 1:]
    assert shown[0].startswith("    [... ") and shown[-1] == "    line 9999"
    kept = "\n".join(line.removeprefix("    ") for line in shown[1:])
    assert len(kept) <= limits.PRINTED_CHARACTERS


def test_a_failure_without_prints_shows_no_print_section():
    failure = failure_of(check_rnn_cell_forward, mistakes.cell_missing_ba)
    assert not any("printed" in line for line in failure.lines)


def test_outside_the_main_thread_the_check_still_runs_unbounded():
    # A signal can only be handled in the main thread: there the check runs as before.
    failures = []
    thread = threading.Thread(target=lambda: failures.append(
        failure_of(check_rnn_backward, mistakes_backward.backward_step_gradient_forgotten)))
    thread.start()
    thread.join()
    assert failures and failures[0].diagnosis == "step_gradient_forgotten"


# ---- the same in the grader -------------------------------------------------------------------


def judged_outside(task, function):
    """The grader's verdict on ``function``, run as the grading kernel runs it (the harness's
    run_cases, helpers served by the judge), without a kernel."""
    def exchange(message):
        return json.loads(json.dumps(serve_call(task, message["name"], message["args"])))

    results = harness.run_cases(function, json.loads(json.dumps(task.encoded)),
                                list(task.helpers), exchange)
    return judge_outputs(task, json.loads(json.dumps({"results": results})))


def test_the_grader_stops_an_endless_loop_with_the_home_verdict(one_second):
    task = make_task(exercises()["rnn_cell_forward"], salt=3)
    started = time.perf_counter()
    outside = judged_outside(task, endless)
    assert time.perf_counter() - started < 3  # one case ran over, not all twelve
    inside = failure_of(check_rnn_cell_forward, endless)
    assert (outside.diagnosis, outside.lines) == (inside.diagnosis, inside.lines)
