"""End to end: `posecoach review` logs the review in the history folder it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from posecoach.history.store import History
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

CLIP = SAMPLES / "kneeling-hip-flexor_good_side.mp4"


def test_a_review_is_logged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not CLIP.is_file():
        pytest.skip(f"{CLIP.name} is not generated; run python -m posecoach.synth sample_videos")
    out, data = tmp_path / "out", tmp_path / "data"
    code = main(["review", str(CLIP), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite",
                 "--no-progress", "--data-dir", str(data)])
    assert code == ExitCode.OK
    assert "warning" not in capsys.readouterr().err
    assert (out / "result.json").is_file()
    with History.open(data) as history:
        (session,) = history.sessions()
    assert session.kind == "review" and session.exercise == "kneeling-hip-flexor" and session.source == str(CLIP)
    assert set(session.sides) == {"left", "right"} and session.ended_at is not None
