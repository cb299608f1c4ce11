"""Tests of checks/: see tests/conftest.py for the layout.

Every diagnosis a check gives in these tests must be in its exercise's catalogue
(rnn_utils.checks.framework.diagnoses), the source of the stable mistake codes of
docs/mistakes.md: a new diagnosis that is not catalogued fails the test that provokes it."""

from pathlib import Path

import pytest
from support.rooms import mark_kernel_tests

from rnn_course.grading.judge import exercises
from rnn_utils.checks import framework

# tests that start kernels, sandboxes or environments: a file, or "file.py::test_name_start"
KERNEL_TESTS = set()
CATALOGUE = {name: framework.diagnoses(exercise) for name, exercise in exercises().items()}


def pytest_collection_modifyitems(items):
    mark_kernel_tests(items, Path(__file__).parent, KERNEL_TESTS)


@pytest.fixture(autouse=True)
def every_diagnosis_is_catalogued(monkeypatch):
    given = []
    original = framework.CheckFailure.__init__

    def recording(self, function, problem, details=(), **keywords):
        original(self, function, problem, details, **keywords)
        if self.diagnosis:
            given.append((function, self.diagnosis))

    monkeypatch.setattr(framework.CheckFailure, "__init__", recording)
    yield given
    unknown = [pair for pair in given if pair[1] not in CATALOGUE.get(pair[0], {})]
    assert not unknown, f"diagnoses missing from framework.diagnoses(): {unknown}"
