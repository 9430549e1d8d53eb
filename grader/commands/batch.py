"""`grade batch SUBMISSIONS`: grade a class and print the counts and where the reports are."""

from __future__ import annotations

import sys


def batch_cmd(app, submissions, topics, jobs, out, force, guard, unsafe, cluster) -> None:
    """Run the batch (the arguments are grader.batch.run.BatchOptions' fields); exit 130 when
    it was interrupted."""
    from grader.batch.progress import BatchProgress
    from grader.batch.run import BatchOptions, run_batch

    opts = BatchOptions(submissions, tuple(topics), jobs, out, force, guard, unsafe, cluster)
    summary = run_batch(opts, BatchProgress(app.err))
    counts = ", ".join(f"{n} {status}" for status, n in summary.statuses.most_common())
    app.out.print(f"{summary.students} students: {summary.graded} graded, {summary.skipped} unchanged"
                  + (f" ({counts})" if counts else ""), highlight=False)
    if summary.isolation:
        app.out.print(f"sandbox: {'; '.join(summary.isolation)}", highlight=False)
    app.out.print(f"gradebook: {summary.gradebook}\nclass report: {summary.class_report}", highlight=False)
    if summary.interrupted:
        app.err.print("interrupted: the students graded so far are saved; run the same command to finish")
        sys.exit(130)
