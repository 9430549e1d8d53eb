"""The instructor's views of the server: each student's latest graded result per topic, as the
gradebook CSV and the class report page of `grade batch`."""

from __future__ import annotations

import json

from grader.batch.store import Record
from grader.results import SubmissionResult
from grader.serve.store import Store


def load_detail(store: Store, sid: str) -> SubmissionResult | None:
    path = store.result_dir(sid) / "detail.json"
    if not path.is_file():
        return None
    return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))


def latest_records(store: Store, topics) -> dict[str, Record | None]:
    """student -> a Record made of the exercises of the latest done submission of each topic."""
    names = {t.name for t in topics}
    records: dict[str, Record | None] = {s: None for s in store.students()}
    latest: dict[tuple[str, str], str] = {}
    late: dict[str, bool] = {}
    for sub in store.list():  # oldest first: later ones win
        if sub.status == "done":
            for topic in sub.topics:
                if topic in names:
                    latest[(sub.student, topic)] = sub.id
                    late[sub.id] = sub.late
    details: dict[str, SubmissionResult | None] = {}
    for student in records:
        exercises, any_late = [], False
        for topic in (t.name for t in topics):
            sid = latest.get((student, topic))
            if sid is None:
                continue
            if sid not in details:
                details[sid] = load_detail(store, sid)
            detail = details[sid]
            exercises += [ex for ex in (detail.exercises if detail else []) if ex.topic == topic]
            any_late |= late[sid]
        if exercises:
            result = SubmissionResult(round(sum(e.score for e in exercises), 6),
                                      round(sum(e.max_score for e in exercises), 6), exercises)
            records[student] = Record(student, "late" if any_late else "ok", "", result)
    return records


def gradebook_csv(store: Store, topics) -> str:
    from grader.batch.gradebook import gradebook_text

    records = latest_records(store, topics)
    return gradebook_text(sorted(records), records, topics)


def class_report_html(store: Store, topics) -> str:
    from grader.batch.classreport import class_view, render_class_report

    records = latest_records(store, topics)
    view = class_view(sorted(records), records, topics, title="Class report (latest submissions)")
    return render_class_report(view)
