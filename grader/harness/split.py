"""Grade several topics in two forked judges at once: `grade submit` and `grade check` of more
than one topic use both CPUs of a student's machine.

Which fork grades which topics is fixed by the course alone (`groups`), never by timing or by
the number of CPUs, so a submission gets the same score on every run and machine. Each fork
grades its topics exactly as `runner.grade` does, with its own connection to the zygote (its
workers die with it), and sends its SubmissionResult back as JSON; the parent merges them in
course order. Ctrl-C is passed on to the forks, whose results then say "incomplete" as one
session's would.
"""

from __future__ import annotations

import base64
import json
import os
import select
import signal
import sys

from grader.batch.procs import send_signal
from grader.results import SubmissionResult, catastrophic

GROUPS = 2
PLOT_WEIGHT = 4  # a plot exercise renders figures in two workers: about four code exercises
INTERRUPT_GRACE = 30.0  # seconds an interrupted fork has to report what it graded


def weight(topic) -> int:
    return len(topic.exercises) * (PLOT_WEIGHT if topic.kind == "plot" else 1)


def groups(topics, n: int = GROUPS) -> list[list[str]]:
    """Topic names in n groups of about equal weight (heaviest first into the lightest
    group, ties in course order); each group in course order, empty groups dropped."""
    bins: list[list] = [[] for _ in range(n)]
    load = [0] * n
    for topic in sorted(topics, key=weight, reverse=True):  # sorted() is stable: course order on ties
        i = load.index(min(load))
        bins[i].append(topic.name)
        load[i] += weight(topic)
    order = {t.name: k for k, t in enumerate(topics)}
    return [sorted(b, key=order.__getitem__) for b in bins if b]


def grade_split(grade_one, topics) -> SubmissionResult:
    """grade_one(names) for each group of `topics`, each in a fork, merged in course order."""
    parts = groups(topics)
    if len(parts) < 2:
        return grade_one([t.name for t in topics])
    _prepare(topics)
    forks = []
    try:
        for names in parts:
            forks.append(_fork(grade_one, names))
    except BaseException:
        for pid, fd in forks:  # e.g. Ctrl-C between two forks
            send_signal(pid, signal.SIGKILL)
            os.close(fd)
            os.waitpid(pid, 0)
        raise
    replies = _collect(forks)
    results = [_decode(replies.get(pid), [t for t in topics if t.name in names])
               for (pid, _), names in zip(forks, parts)]
    return merge(results, [t.name for t in topics])


def _prepare(topics) -> None:
    """What each session would start and import, once, before forking (a warm judge has done
    all of it already): the zygote, pytest, and torch for code topics."""
    from grader.harness.plugin import start_judge  # imports pytest

    start_judge({t.kind for t in topics}, background=False)


def _fork(grade_one, names: list[str]) -> tuple[int, int]:
    """(pid, read end of the pipe its JSON result comes through)."""
    from grader.spawner import spawner

    zygote = spawner().connection()
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(grade_one, names, zygote, write, parent)  # never returns
    zygote.close()
    os.close(write)
    return pid, read


def _child(grade_one, names, zygote, write: int, parent: int) -> None:
    code = 1
    try:
        from grader.spawner import spawner
        from grader.worker.namespaces import die_with

        os.setpgid(0, 0)  # a terminal's Ctrl-C reaches the parent, which passes it on once
        if not die_with(parent):
            os._exit(1)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # never the parent's (maybe locked) streams
        spawner().adopt(zygote)
        try:
            result = grade_one(names)
        except Exception as exc:  # noqa: BLE001 - reported as this group's catastrophic failure
            result = catastrophic(f"the grader failed: {type(exc).__name__}: {exc}")
        with os.fdopen(write, "w") as out:
            json.dump(_encode(result), out)
        code = 0
    finally:
        os._exit(code)


def _collect(forks: list[tuple[int, int]]) -> dict[int, bytes]:
    """Every fork's output by pid, once it has exited. On Ctrl-C each fork is interrupted
    once and has INTERRUPT_GRACE seconds to report; KeyboardInterrupt is raised again when
    one of them gives no result, so a cut-short run never looks complete."""
    import time

    chunks: dict[int, list[bytes]] = {fd: [] for _, fd in forks}
    running, deadline = set(chunks), None
    while running:
        try:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], left)
        except KeyboardInterrupt:
            if deadline is None:
                deadline = time.monotonic() + INTERRUPT_GRACE
                for pid, fd in forks:
                    if fd in running:
                        send_signal(pid, signal.SIGINT)
            continue
        if not ready:  # the grace period is over
            break
        for fd in ready:
            data = os.read(fd, 1 << 20)
            if data:
                chunks[fd].append(data)
            else:
                running.discard(fd)
    for pid, fd in forks:
        if fd in running:
            send_signal(pid, signal.SIGKILL)
        os.close(fd)
        os.waitpid(pid, 0)
    out = {pid: b"".join(chunks[fd]) for pid, fd in forks}
    if deadline is not None and not all(out.values()):
        raise KeyboardInterrupt
    return out


def _encode(result: SubmissionResult) -> dict:
    data = result.to_dict()
    data["artifacts"] = [{**a, "data": base64.b64encode(art.data).decode()}
                         for a, art in zip(data["artifacts"], result.artifacts)]
    return data


def _decode(raw: bytes | None, topics) -> SubmissionResult:
    points = sum(t.points for t in topics)
    names = ", ".join(t.name for t in topics)
    try:
        data = json.loads(raw or b"")
    except ValueError:
        return catastrophic(f"the grader's process for {names} stopped without a result", points)
    for art in data["artifacts"]:
        art["data"] = base64.b64decode(art["data"])
    return SubmissionResult.from_dict(data)


STATUS_ORDER = ("ok", "incomplete", "catastrophic")  # the merged status is the worst part's


def merge(results: list[SubmissionResult], order: list[str]) -> SubmissionResult:
    """One result of several groups' results: exercises in course order, totals summed."""
    rank = {name: k for k, name in enumerate(order)}
    exercises = sorted((e for r in results for e in r.exercises), key=lambda e: rank.get(e.topic, len(rank)))
    status = max((r.status for r in results), key=STATUS_ORDER.index)
    return SubmissionResult(
        score=sum(r.score for r in results), max_score=sum(r.max_score for r in results),
        exercises=exercises, execution_time=max(r.execution_time for r in results),
        artifacts=sorted((a for r in results for a in r.artifacts), key=lambda a: rank.get(a.topic, len(rank))),
        status=status,
        error="; ".join(r.error for r in results if r.error),
        suspicious=[], isolation=next((r.isolation for r in results if r.isolation), []))
