"""Tests of package/: see tests/conftest.py for the layout."""

from pathlib import Path

from support.rooms import mark_kernel_tests

# tests that start kernels, sandboxes or environments: a file, or "file.py::test_name_start"
KERNEL_TESTS = {"test_hints.py", "test_wheel.py", "test_colab_environment.py",
                "test_student_in_lab.py"}


def pytest_collection_modifyitems(items):
    mark_kernel_tests(items, Path(__file__).parent, KERNEL_TESTS)
