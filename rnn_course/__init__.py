"""rnn-course: the instructor's tooling of "Backpropagation through time, step by step".

Rooms (imports point down; tests/test_architecture.py guards it; docs/architecture.md is the map):

    cli             `rnn-course COMMAND`, a table of commands
    platforms/      nbgrader, Gradescope, GitHub Classroom, JupyterHub: adapters over grading
    authoring/      lesson sources -> notebooks and rnn_utils/reference.py; drift; CPUs
    grading/        the trusted grader: compose, run in sandboxes, judge, report
      kernel/       what runs inside the sandbox (imports nothing of rnn_course)
    options         GradingOptions: every grading option, declared once
    errors          RnnCourseError, the base of every error the tool reports

Learners never import this package; their notebooks import rnn_utils.
"""
