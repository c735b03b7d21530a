"""python -m posecoach.synth OUT_DIR [--only NAME...] [--jobs N]: regenerate the sample clips."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posecoach.synth", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="clip names (or exercise ids) to regenerate")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    args = parser.parse_args(argv)
    from posecoach.synth.samples import generate_samples  # heavy imports only when actually generating

    start = time.perf_counter()
    paths = generate_samples(args.out_dir, args.only, args.jobs)
    for p in paths:
        print(p)
    print(f"{len(paths)} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
