"""The command line: parse arguments, call one app function, print its result, exit with a named code.

Heavy imports (LiteRT, OpenCV) happen inside the commands so that `posecoach --help` answers at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from posecoach import __version__
from posecoach.errors import ExitCode, PosecoachError

if TYPE_CHECKING:
    from posecoach.app.context import Library
    from posecoach.app.live import LiveResult

MODEL_HELP = ("Pose model: lite (faster, less reliable), full (default), heavy, "
              "or the path of a PoseLandmarker .task file.")
DATA_DIR_HELP = "Folder of the history database (default: POSECOACH_DATA_DIR or the user data folder)."


def _echo_lines(lines: Sequence[str]) -> None:
    for line in lines:
        click.echo(line)


def _library(specs: Sequence[Path] = ()) -> Library:
    """The exercise library with the user's --specs; says on stderr which shipped exercise a spec replaces."""
    from posecoach.app import context

    library = context.library(specs)
    for note in library.notes():
        click.echo(f"posecoach: note: {note}", err=True)
    return library


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="posecoach")
def cli() -> None:
    """posecoach: a webcam form coach for hip flexor stretches and core exercises."""


@cli.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--exercise", "-e", required=True, help="Exercise id, e.g. kneeling-hip-flexor.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Output folder (default: beside the video).")
@click.option("--model", default="full", show_default=True, help=MODEL_HELP)
@click.option("--specs", multiple=True, type=click.Path(path_type=Path), help="Extra spec files or folders.")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@click.option("--data-dir", type=click.Path(path_type=Path), help=DATA_DIR_HELP)
@click.option("--save-landmarks", type=click.Path(path_type=Path), metavar="FILE.pose.npz",
              help="Also write the clip's landmarks to this file (numbers only, no picture).")
def review(video: Path, exercise: str, out_dir: Path | None, model: str, specs: tuple[Path, ...], no_progress: bool,
           data_dir: Path | None, save_landmarks: Path | None) -> None:
    """Review a recorded VIDEO, or a landmark file (.pose.npz): write an annotated video (none for a landmark
    file), result.json and report.html, and log it in the history."""
    from posecoach.app import context
    from posecoach.app.review import review as run_review
    from posecoach.history.review_log import open_history

    library = _library(specs)
    library.exercise(exercise)  # an unknown exercise fails before the model loads
    history = open_history(data_dir)
    try:
        result = run_review(video, exercise, library=library, model=context.model(model), out_dir=out_dir,
                            progress=not no_progress, history=history, save_landmarks=save_landmarks)
    finally:
        if history is not None:
            history.close()
    _echo_lines(result.summary_lines())


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("posecoach-demo"), show_default=True,
              help="Output folder.")
@click.option("--model", default="full", show_default=True, help=MODEL_HELP)
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
def demo(out_dir: Path, model: str, no_progress: bool) -> None:
    """Review the bundled sample clip of the kneeling hip flexor stretch (no camera needed; not logged)."""
    from posecoach.app import context
    from posecoach.app.demo import demo as run_demo

    result = run_demo(library=context.library(), model=context.model(model), out_dir=out_dir,
                      progress=not no_progress)
    _echo_lines(result.summary_lines())


@cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--expect", type=click.Path(path_type=Path), help="Expectations file (default: expectations.toml beside the clips).")
@click.option("--junit", type=click.Path(path_type=Path), help="Write JUnit XML here.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write a JSON report here.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Clips checked in parallel (default: all cores).")
@click.option("--model", default="full", show_default=True, help=MODEL_HELP)
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path),
              help="Landmark cache folder (default: POSECOACH_CACHE_DIR or the user cache).")
@click.option("--no-cache", is_flag=True, help="Always run pose estimation.")
@click.option("--specs", multiple=True, type=click.Path(path_type=Path), help="Extra spec files or folders.")
def check_command(paths: tuple[Path, ...], expect: Path | None, junit: Path | None, json_path: Path | None,
                  jobs: int | None, model: str, cache_dir: Path | None, no_cache: bool, specs: tuple[Path, ...]) -> None:
    """Check CLIPS (files or folders; default: the bundled samples) against their expectations."""
    from posecoach.app.check import check, write_json
    from posecoach.outputs.junit import write_junit
    from posecoach.pose.cache import default_cache_dir
    from posecoach.resources import SAMPLE_VIDEOS, data_dir

    _library(specs)  # the user's specs must load before any clip runs
    folders = list(paths) or [data_dir(SAMPLE_VIDEOS)]
    cache = None if no_cache else (cache_dir or default_cache_dir())
    outputs = {option: path for option, path in (("--junit", junit), ("--json", json_path)) if path is not None}
    run = check(folders, expect=expect, model_choice=model, jobs=jobs, cache_dir=cache, specs=specs, outputs=outputs)
    _echo_lines(run.table_lines())
    if junit:
        write_junit(junit, run)
    if json_path:
        write_json(json_path, run)
    if not run.passed:
        raise click.exceptions.Exit(int(ExitCode.CHECK_FAILED))


@cli.group()
def exercises() -> None:
    """List, show and validate exercise specs."""


@exercises.command("list")
def exercises_list() -> None:
    """List the exercises posecoach can coach."""
    from posecoach.app import context
    from posecoach.app.exercises import list_lines

    _echo_lines(list_lines(context.library()))


@exercises.command("show")
@click.argument("exercise_id")
def exercises_show(exercise_id: str) -> None:
    """Show an exercise's steps, checks and targets."""
    from posecoach.app import context
    from posecoach.app.exercises import show_lines

    _echo_lines(show_lines(context.library(), exercise_id))


@exercises.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def exercises_validate(paths: tuple[Path, ...]) -> None:
    """Validate spec files or folders (default: the shipped specs)."""
    from posecoach.app.exercises import validate
    from posecoach.errors import SpecError
    from posecoach.rules.registry import builtin_rules

    loaded, problems = validate(list(paths), builtin_rules())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SpecError(f"{len(problems)} problem(s) in the specs; fix them and validate again")
    click.echo(f"ok: {len(loaded)} exercise(s) valid: {', '.join(loaded)}")


@cli.command("history")
@click.option("--weeks", type=click.IntRange(min=1, max=520), default=8, show_default=True, help="Weeks to show.")
@click.option("--json", "as_json", is_flag=True, help="Print a versioned JSON document instead of text.")
@click.option("--chart", "chart_path", type=click.Path(path_type=Path), help="Also draw the chart into this PNG file.")
@click.option("--data-dir", type=click.Path(path_type=Path), help=DATA_DIR_HELP)
def history_command(weeks: int, as_json: bool, chart_path: Path | None, data_dir: Path | None) -> None:
    """Sessions per week against the guide's 3-4, the streak, hold time per side and side imbalance."""
    import json
    from datetime import date

    from posecoach.history.report import json_document, text_lines
    from posecoach.history.store import History
    from posecoach.history.summary import summarize

    with History.open(data_dir) as history:
        summary = summarize(history.sessions(), today=date.today(), weeks=weeks)
        database = str(history.path)
    if chart_path is not None:
        from posecoach.history.chart import write_chart

        write_chart(chart_path, summary)
    if as_json:
        click.echo(json.dumps(json_document(summary, database=database), indent=1))
        return
    _echo_lines(text_lines(summary))
    if chart_path is not None:
        click.echo(f"chart: {chart_path}")


@cli.command("remind")
@click.option("--ics", "ics_path", required=True, type=click.Path(path_type=Path), help="The .ics file to write.")
@click.option("--days", default="mon,wed,fri", show_default=True, help="Days of the week, comma-separated.")
@click.option("--time", "at", default="07:30", show_default=True, help="Time of day, 24-hour HH:MM (local time).")
@click.option("--minutes", type=click.IntRange(min=1, max=1440), default=15, show_default=True,
              help="Length of a session.")
def remind_command(ics_path: Path, days: str, at: str, minutes: int) -> None:
    """Write a calendar file with the weekly stretching routine and a reminder (import it into any calendar)."""
    from datetime import date, datetime, timezone

    from posecoach.reminders.routine import routine, summary_lines, write_ics

    plan = routine(days, at, minutes)
    today = date.today()
    write_ics(ics_path, plan, today=today, stamp=datetime.now(timezone.utc))
    _echo_lines(summary_lines(ics_path, plan, today))


CAMERA_HELP = ("Camera index (0, 1, ...), a phone's stream URL (http://..., rtsp://...), or the path of a video "
               "played as if it were a camera.")


def _live_options(command):  # type: ignore[no-untyped-def]
    """The options `coach` and `routine` share."""
    for option in reversed([
        click.option("--camera", default="0", show_default=True, help=CAMERA_HELP),
        click.option("--model", default="full", show_default=True, help=MODEL_HELP),
        click.option("--mirror/--no-mirror", default=True, show_default=True,
                     help="Show the picture mirrored, like a selfie view."),
        click.option("--fullscreen", is_flag=True, help="Fill the screen."),
        click.option("--voice/--no-voice", default=True, show_default=True,
                     help="Speak the cues, the last ten seconds, the switch of sides and the end."),
        click.option("--tones/--no-tones", default=True, show_default=True,
                     help="Mark the start of a hold, every 10 s and a finished side with tones."),
        click.option("--data-dir", type=click.Path(path_type=Path), help=DATA_DIR_HELP),
        click.option("--specs", multiple=True, type=click.Path(path_type=Path), help="Extra spec files or folders."),
    ]):
        command = option(command)
    return command


HOLD = click.FloatRange(min=5, max=600)


@cli.command("coach")
@click.argument("exercise_id")
@_live_options
@click.option("--side", type=click.Choice(["left", "right"]), help="The side to start with.")
@click.option("--hold", type=HOLD, metavar="SECONDS", help="Hold for this long a side (default: the exercise's own).")
def coach_command(exercise_id: str, camera: str, model: str, mirror: bool, fullscreen: bool, voice: bool, tones: bool,
                  data_dir: Path | None, specs: tuple[Path, ...], side: str | None, hold: float | None) -> None:
    """Coach EXERCISE_ID live from a camera: space pause, s skip side, p it hurts, q quit."""
    from posecoach.app import context
    from posecoach.app.live import LiveOptions, coach_live
    from posecoach.capture import open_camera

    library = context.library(specs)
    exercise = library.exercise(exercise_id)  # an unknown exercise fails before the camera opens
    if hold is not None and not exercise.held:
        raise click.BadParameter(f"{exercise_id} counts repetitions ({exercise.target_reps}); "
                                 "only a held exercise takes a hold time", param_hint="'--hold'")
    result = coach_live(exercise_id, open_camera(camera), library=library, model=context.model(model),
                        side=side,  # type: ignore[arg-type]
                        options=LiveOptions(mirror=mirror, fullscreen=fullscreen, data_dir=data_dir, voice=voice,
                                            tones=tones), hold=hold)
    _live_ending(result)


@cli.command("routine")
@click.argument("name", default="default")
@_live_options
@click.option("--hold", type=HOLD, metavar="SECONDS",
              help="Hold every held exercise this long a side (default: the routine's build-up, else each exercise's own).")
def routine_command(name: str, camera: str, model: str, mirror: bool, fullscreen: bool, voice: bool, tones: bool,
                    data_dir: Path | None, specs: tuple[Path, ...], hold: float | None) -> None:
    """Follow a routine NAME live (default: the guide's session): warm-up, stretches, core, cool-down."""
    from posecoach.app import context
    from posecoach.app.live import LiveOptions
    from posecoach.app.routine import load, routine_live
    from posecoach.capture import open_camera

    library = context.library(specs)
    load(name, library)  # an unknown or broken routine fails before the camera opens
    result = routine_live(name, open_camera(camera), library=library, model=context.model(model),
                          options=LiveOptions(mirror=mirror, fullscreen=fullscreen, data_dir=data_dir, voice=voice,
                                              tones=tones), hold=hold)
    _live_ending(result)


def _live_ending(result: LiveResult) -> None:
    """What was done and where it was saved, then the error that cut the session off, if one did (the
    camera stopped: exit 6; Ctrl+C: 130)."""
    _echo_lines(result.summary_lines())
    for warning in result.warnings():
        click.echo(f"posecoach: warning: {warning}", err=True)
    if result.failure is not None:
        raise result.failure


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (errors a user can fix print one line, never a traceback)."""
    try:
        # Without standalone mode click hands back the code of an `Exit` instead of raising it.
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="posecoach", standalone_mode=False)
    except PosecoachError as error:
        click.echo(f"posecoach: error: {error}", err=True)
        return int(error.exit_code)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        # Point at the help of the command that was given (`posecoach review --help`), where the fix is.
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "posecoach"
        click.echo(f"posecoach: error: {error.format_message()} (see {where} --help)", err=True)
        return int(ExitCode.USAGE)
    except click.exceptions.Abort:
        click.echo("posecoach: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("posecoach: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, unless debugging
        if os.environ.get("POSECOACH_DEBUG"):
            raise
        click.echo(f"posecoach: internal error: {type(error).__name__}: {error} "
                   "(set POSECOACH_DEBUG=1 for details and please report it)", err=True)
        return 70
    return code if isinstance(code, int) else int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(main())
