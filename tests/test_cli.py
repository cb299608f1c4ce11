"""The command line is a table of commands, the grading options are declared once, and every
error of the tooling reaches the instructor as one line and exit status 2."""

import argparse
import dataclasses

import pytest
from support.course import ROOT

from rnn_course import cli
from rnn_course.errors import RnnCourseError
from rnn_course.options import GradingOptions, add_grading_options

GRADING_COMMANDS = ("grade", "classroom", "gradescope")


def parse(*argv):
    return cli.parser().parse_args(list(argv))


def test_every_command_of_the_table_parses_and_has_its_handler():
    names = [command.name for command in cli.COMMANDS]
    assert len(names) == len(set(names))
    assert set(names) >= {"build", "grade", "nbgrader", "gradescope", "classroom",
                          "classroom-workflow", "hub-link"}
    help_text = cli.parser().format_help()
    for command in cli.COMMANDS:
        assert command.name in help_text
    assert parse("hub-link", "--hub", "https://h", "--repository", "https://r").handler \
        is cli._hub_link


@pytest.mark.parametrize("spelling", ["--course", "--root"])
@pytest.mark.parametrize("argv", [
    ["build"], ["nbgrader", "dir"], ["grade", "class", "--out", "o"],
    ["gradescope", "--out", "a.zip"], ["classroom", "--github-output", "f"]])
def test_the_course_root_has_one_name_and_the_old_spelling_still_works(argv, spelling):
    args = parse(*argv, spelling, "/some/course")
    assert args.course == "/some/course" and not hasattr(args, "root")


@pytest.mark.parametrize("command", GRADING_COMMANDS)
def test_every_grading_command_offers_the_options_with_the_same_defaults(command):
    required = {"grade": ["class", "--out", "o"], "classroom": ["--github-output", "f"],
                "gradescope": ["--out", "a.zip"]}[command]
    args = parse(command, *required)
    defaults = GradingOptions()
    for field in dataclasses.fields(GradingOptions):
        if command == "gradescope" and field.name == "jobs":
            assert not hasattr(args, "jobs")  # a Gradescope container decides its cores
            continue
        assert getattr(args, field.name) == getattr(defaults, field.name), field.name


def test_a_flag_is_its_keyword():
    args = parse("grade", "class", "--out", "o", "--notebook-timeout", "5", "--memory", "1G",
                 "--jobs", "3", "--timeout", "7", "--sandbox", "none")
    assert GradingOptions.from_args(args) == GradingOptions(
        jobs=3, timeout=7.0, notebook_timeout=5.0, memory=2**30, sandbox="none")


@pytest.mark.parametrize("bad", [{"jobs": 0}, {"timeout": -1.0}, {"notebook_timeout": -1.0},
                                 {"memory": -5}, {"sandbox": "docker"}])
def test_options_made_in_python_are_checked_as_on_the_command_line(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        GradingOptions(**bad)


def test_the_options_come_from_one_declaration():
    parser = argparse.ArgumentParser()
    add_grading_options(parser)
    flags = {action.dest for action in parser._actions if action.dest != "help"}
    assert flags == {field.name for field in dataclasses.fields(GradingOptions)}


def test_a_tool_error_is_one_line_and_exit_status_2(tmp_path, capsys, monkeypatch):
    def broken(args):
        raise RnnCourseError("the course is on fire")

    monkeypatch.setattr(cli, "COMMANDS", (cli.Command("fire", "x", lambda p: None, broken),))
    assert cli.main(["fire"]) == 2
    assert capsys.readouterr().err == "rnn-course: the course is on fire\n"


def test_every_error_the_rooms_raise_is_a_tool_error(tmp_path, capsys):
    from rnn_course.authoring.lesson import LessonError
    from rnn_course.grading.batch import GradeError
    from rnn_course.grading.course import CourseError
    from rnn_course.grading.sandbox import EngineError
    from rnn_course.platforms.classroom import WorkflowError
    from rnn_course.platforms.hub import LinkError
    from rnn_course.platforms.nbgrader.course import NbgraderCourseError

    for error in (LessonError, GradeError, CourseError, EngineError, WorkflowError, LinkError,
                  NbgraderCourseError):
        assert issubclass(error, RnnCourseError), error
    assert cli.main(["build", "--course", str(ROOT), "99_no_such_lesson"]) == 2
    assert cli.main(["hub-link", "--hub", "ftp://x", "--repository", "https://r"]) == 2
    assert cli.main(["nbgrader", str(tmp_path / "c"), "--root", str(tmp_path)]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(line.startswith("rnn-course: ") for line in errors)
