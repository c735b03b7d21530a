"""`report.html`: one self-contained page a person reads after a review (verdict, hold bars, angle plots,
faults with thumbnails of their worst frames, the exercise's steps and safety notes)."""

from posecoach.outputs.report.build import REPORT_NAME, build_report, write_report

__all__ = ["REPORT_NAME", "build_report", "write_report"]
