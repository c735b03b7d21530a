"""The test suite never reads or writes the user's own folders (history, cache, configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

#: What points programs at a user's folders; the probe runs with none of them set but HOME.
USER_VARIABLES = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "MPLCONFIGDIR",
                  "POSECOACH_DATA_DIR", "POSECOACH_CACHE_DIR")

#: A test module that reaches every user folder the way the real suite can: from a module-scoped fixture,
#: which runs before any function-scoped one.
PROBE = '''
import pytest


@pytest.fixture(scope="module")
def used_every_folder():
    from datetime import datetime

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from platformdirs import user_config_dir

    from posecoach.history.store import History
    from posecoach.pose.cache import default_cache_dir

    with History.open() as history:
        history.start_session(kind="review", exercise="plank", source="probe.mp4", started_at=datetime.now())
    default_cache_dir().mkdir(parents=True, exist_ok=True)
    (default_cache_dir() / "probe").write_text("x")
    config = __import__("pathlib").Path(user_config_dir("posecoach"))
    config.mkdir(parents=True, exist_ok=True)
    plt.figure().savefig(config / "probe.png")
    return True


def test_probe(used_every_folder):
    assert used_every_folder
'''


def test_a_module_fixture_cannot_reach_the_users_folders(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    env = {name: value for name, value in os.environ.items() if name not in USER_VARIABLES}
    env["HOME"] = str(home)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(probe)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
