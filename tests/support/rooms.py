"""What the rooms' conftest.py files share."""

import pytest


def mark_kernel_tests(items, folder, names):
    """Mark with ``kernels`` the tests of ``folder`` that ``names`` lists: a file name (all its
    tests) or "file.py::test_name_start" (the tests whose name starts so). They start Jupyter
    kernels, sandboxes or environments, and ``make test-fast`` leaves them out."""
    for item in items:
        if item.path.parent != folder:
            continue
        if any(name == item.path.name or (
                name.startswith(item.path.name + "::")
                and item.name.startswith(name.split("::", 1)[1])) for name in names):
            item.add_marker(pytest.mark.kernels)
