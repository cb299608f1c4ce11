"""Tests of checks/: see tests/conftest.py for the layout."""

from pathlib import Path

from support.rooms import mark_kernel_modules

KERNEL_MODULES = set()  # files whose tests start kernels, sandboxes or environments


def pytest_collection_modifyitems(items):
    mark_kernel_modules(items, Path(__file__).parent, KERNEL_MODULES)
