"""Named models: the shipped ones from the package, the ones built on request from the user's models folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from posecoach.errors import ModelError
from posecoach.pose import models
from tests.conftest import REPO


def test_a_model_that_is_not_shipped_is_found_in_the_users_models_folder(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(tmp_path / "data"))
    assert models.user_models_dir() == tmp_path / "data" / "models"
    built = tmp_path / "data" / "models" / "pose_landmarker_heavy.task"
    built.parent.mkdir(parents=True)
    shutil.copy(models.resolve("lite"), built)  # any valid bundle stands in for the heavy one
    assert models.resolve("heavy") == built


def test_a_missing_heavy_model_says_where_to_put_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if (REPO / "models" / "pose_landmarker_heavy.task").is_file():
        pytest.skip("the heavy model is built in this checkout")
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(ModelError) as raised:
        models.resolve("heavy")
    message = str(raised.value)
    assert "python models/build_models.py heavy" in message
    assert str(tmp_path / "data" / "models") in message and "--model PATH" in message
