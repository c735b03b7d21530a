"""What posecoach concludes on the real-footage tracks, beside what their labels say: the README's table.

Reviews every track of tests/data/real as `posecoach review` would (landmark files: no pose model runs, a few
seconds), compares the result with the track's expectations as `posecoach check` does, and prints a Markdown
table, one row per track, then how many clips meet their labels.

    python bench/real_footage.py [--tracks tests/data/real]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from posecoach.app import context
from posecoach.app.review import review
from posecoach.verify.compare import compare, good_form_seconds, reported_faults
from posecoach.verify.expectations import load_expectations

REPO = Path(__file__).resolve().parent.parent


def _range(span: dict[str, float], unit: str = "") -> str:
    low, high = span.get("min"), span.get("max")
    if low is not None and high is not None:
        return f"{low:g}-{high:g}{unit}" if low != high else f"{low:g}{unit}"
    return f"≥ {low:g}{unit}" if low is not None else f"≤ {high:g}{unit}"


def label_text(expect: dict[str, Any]) -> str:
    """The label's expectations in a few words."""
    parts = []
    if expect.get("faults") == []:
        parts.append("no fault")
    if expect.get("faults_include"):
        parts.append(", ".join(expect["faults_include"]) + " reported")
    if expect.get("faults_exclude"):
        parts.append("never " + ", ".join(expect["faults_exclude"]))
    for start, end in expect.get("quiet", []):
        parts.append(f"no fault {start:g}-{end:g} s")
    for start, end in expect.get("idle", []):
        parts.append(f"no hold {start:g}-{end:g} s")
    if "good_form" in expect:
        parts.append(f"good form {_range(expect['good_form'], ' s')}")
    if "reps" in expect:
        parts.append(f"reps {_range(expect['reps'])}")
    return "; ".join(parts)


def conclusion_text(result: dict[str, Any]) -> str:
    """What the coach concluded: its faults, good-form time and reps."""
    faults = reported_faults(result)
    parts = [", ".join(f"{f['check']} {f['start']:.1f}-{f['end']:.1f} s" for f in faults) or "no fault"]
    parts.append(f"good form {good_form_seconds(result):.1f} s")
    if result["reps"]:
        parts.append(f"reps {sum(r['count'] for r in result['reps'].values())}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=Path, default=REPO / "tests" / "data" / "real")
    args = parser.parse_args(argv)
    labels = {c["track"]: c for c in tomllib.loads((args.tracks / "labels.toml").read_text())["clip"]}
    expectations = load_expectations(args.tracks / "expectations.toml")
    library, model = context.library(), context.model("full")
    print("| track | exercise | view | the label says | posecoach concludes | |")
    print("|---|---|---|---|---|---|")
    passed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name in sorted(labels):
            label, track = labels[name], args.tracks / name
            # The same review a user would run on the file, without writing the report.
            result = review(track, label["exercise"], library=library, model=model, out_dir=Path(scratch) / name,
                            progress=False, report=False).result
            ok = all(f.ok for f in compare(expectations[track.resolve()], result))
            passed += ok
            print(f"| `{name}` | {label['exercise']} | {label['view'].split(';')[0]} | {label_text(label['expect'])} "
                  f"| {conclusion_text(result)} | {'pass' if ok else '**miss**'} |")
    print(f"\n{passed} of {len(labels)} real-footage clips meet their labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
