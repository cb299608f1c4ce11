"""Compatibility: the preprocessors' old home, kept because instructors' nbgrader_config.py files
written before the move (rnn-course 0.1 and earlier) name ``rnn_course.nbgrader_preprocessors``.
They live in rnn_course/platforms/nbgrader/preprocessors.py; new configs name that module."""

from rnn_course.platforms.nbgrader.preprocessors import (
    RefuseReleasedSolutions,
    RemoveAnswerCells,
    RepairSubmission,
)

__all__ = ["RefuseReleasedSolutions", "RemoveAnswerCells", "RepairSubmission"]
