"""Generating the sample clips: videos, truth files and the expectations table."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from posecoach.synth.catalogue import CLIPS, ClipSpec, select
from posecoach.synth.clip import plan, write_clip
from posecoach.synth.expectations import write_expectations


def generate_clip(spec: ClipSpec, out_dir: Path) -> list[Path]:
    """Render one catalogue clip into out_dir: [video, truth]."""
    video, truth, _ = write_clip(plan(spec), out_dir)
    return [video, truth]


def _job(args: tuple[ClipSpec, str]) -> list[str]:
    spec, out = args
    return [str(p) for p in generate_clip(spec, Path(out))]


def generate_samples(out_dir: Path, only: Sequence[str] | None = None, jobs: int | None = None) -> list[Path]:
    """Regenerate the sample clips (all, or those named in `only` by clip name or exercise id) and
    expectations.toml; returns the written paths. Output bytes depend only on the catalogue, not on `jobs`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = select(list(only) if only else None)
    workers = max(1, min(jobs or (os.cpu_count() or 1), len(specs)))
    written: list[Path] = []
    if workers == 1:
        for spec in specs:
            written += generate_clip(spec, out_dir)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for paths in pool.map(_job, [(s, str(out_dir)) for s in specs]):
                written += [Path(p) for p in paths]
    written.append(write_expectations(out_dir, [c.name for c in CLIPS]))
    return written
