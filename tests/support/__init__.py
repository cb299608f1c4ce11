"""Helpers the test rooms share (tests/ is on sys.path: pytest puts the folder of the rootdir's
conftest.py there). Builders of submissions and environments live here, never in a test module."""
