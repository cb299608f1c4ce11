"""Tests of grading/: see tests/conftest.py for the layout."""

from pathlib import Path

from support.rooms import mark_kernel_tests

# tests that start kernels, sandboxes or environments: a file, or "file.py::test_name_start"
KERNEL_TESTS = {
    "test_agreement.py",
    "test_dependencies.py::test_every_verdict",
    "test_example_class.py",
    "test_hostile.py",
    "test_judge.py::test_a_cheat",
    "test_sandbox.py",
    "test_single.py",
    "test_colab_saved.py",
    "test_totality.py",
    "test_units.py::test_grading_again",
    "test_units.py::test_the_watchdog",
    "test_units.py::test_every_lesson_of_the_course",
}


def pytest_collection_modifyitems(items):
    mark_kernel_tests(items, Path(__file__).parent, KERNEL_TESTS)
