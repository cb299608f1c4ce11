"""The tests mirror the code: authoring/, grading/, platforms/ (rnn_course's rooms), checks/
(rnn_utils.checks and their diagnoses), package/ (rnn_utils and the installed course), and
test_architecture.py for the import rules. Each room's conftest.py marks the tests that start
Jupyter kernels, sandboxes or new environments (``kernels``): ``make test-fast`` leaves them out.

This folder is on sys.path (pytest puts a rootdir conftest's folder there), so the shared
helpers import as ``support.*``.
"""
