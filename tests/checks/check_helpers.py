"""Helpers shared by the tests of the checks (tests/checks/, on sys.path as their folder)."""

import re

import pytest

from rnn_utils.checks import CheckFailure


def failure_of(check, function):
    """The CheckFailure that ``check(function)`` raises (the test fails if it raises none)."""
    with pytest.raises(CheckFailure) as caught:
        check(function)
    return caught.value


def gradient_check_error(failure):
    """The relative error the "Gradient check" line reports, or None without that line."""
    for line in failure.lines:
        found = re.match(r"Gradient check: relative error of your (\w+) against central "
                         r"differences (\S+) \(a correct gradient gives < 1e-7\)\.$", line)
        if found:
            assert found.group(1) == failure.output
            return float(found.group(2))
    return None


def all_mistakes(exercises):
    """(check, index, Mistake) for every known mistake of ``exercises`` (check -> Exercise)."""
    return [(check, index, mistake) for check, exercise in exercises.items()
            for index, mistake in enumerate(exercise.mistakes)]


def assert_diagnosed_as_itself(check, mistake):
    """Run through the whole check, a variant must fail (so it differs from the reference) and
    be recognised as its own mistake: no earlier mistake shadows it."""
    failure = failure_of(check, mistake.variant)
    assert failure.diagnosis == mistake.key
    assert f"Likely mistake: {mistake.explanation}" in failure.lines
