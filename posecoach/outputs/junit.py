"""JUnit XML for CI systems: one test case per clip, its failed fields as the failure message."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from posecoach.outputs.atomic import write_text

if TYPE_CHECKING:
    from posecoach.app.check import CheckRun


def junit_xml(run: CheckRun) -> str:
    failures = sum(1 for r in run.reports if not r.passed and r.error is None)
    errors = sum(1 for r in run.reports if r.error is not None)
    suite = ET.Element(
        "testsuite",
        name="posecoach check",
        tests=str(len(run.reports)),
        failures=str(failures),
        errors=str(errors),
        time=f"{sum(r.seconds for r in run.reports):.3f}",
    )
    for report in run.reports:
        case = ET.SubElement(
            suite, "testcase", classname=f"posecoach.{report.exercise}", name=Path(report.clip).name,
            time=f"{report.seconds:.3f}",
        )
        if report.error is not None:
            ET.SubElement(case, "error", message=report.error).text = report.error
            continue
        failed = [f for f in report.findings if not f.ok]
        if failed:
            text = "\n".join(f"{f.field}: expected {f.expected}, got {f.got}" for f in failed)
            ET.SubElement(case, "failure", message=failed[0].field).text = text
        ET.SubElement(case, "system-out").text = "\n".join(
            f"{f.field}: expected {f.expected}, got {f.got} ({'ok' if f.ok else 'FAIL'})" for f in report.findings
        )
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def write_junit(path: Path, run: CheckRun) -> None:
    write_text(path, junit_xml(run))
