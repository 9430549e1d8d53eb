"""`grade serve DATA_DIR`: one server per DATA_DIR (a lock file), jobs left running by a killed
server queued again, the graders started, then the HTTP API on uvicorn until Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from grader.errors import GradeError
from grader.serve.store import Store


class Log:
    """One line per event, to the console and DATA_DIR/server.log."""

    def __init__(self, data_dir: Path, echo=print):
        self.path = Path(data_dir) / "server.log"
        self.echo = echo

    def __call__(self, line: str) -> None:
        stamped = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(stamped + "\n")
        self.echo(stamped)


def _lock(data_dir: Path):
    fh = open(Path(data_dir) / "server.lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise GradeError(f"another `grade serve` is already running on {data_dir}") from None
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


def serve(data_dir: Path, host: str = "127.0.0.1", port: int = 8000, jobs: int = 1, rate: int = 10,
          echo=print, unsafe_no_isolation: bool = False, cluster: str | None = None) -> None:
    """Run the server until Ctrl-C; cluster: grade on that Dask scheduler's workers (docs/scaling.md)."""
    import uvicorn

    from grader.manifest import load_course
    from grader.serve.app import Settings, create_app
    from grader.serve.grading import Graders

    from grader.batch.run import _check_sandbox

    require = _check_sandbox(unsafe_no_isolation)  # as `grade batch`: no unconfined student code by default
    store = Store(Path(data_dir))
    if not store.exists():
        raise GradeError(f"{data_dir} is not a grading server folder; create it with "
                         f"`grade serve init {data_dir} --roster roster.csv`")
    lock = _lock(store.dir)
    (store.dir / "logs").mkdir(exist_ok=True)
    log = Log(store.dir, echo)
    topics = load_course().topics
    again = store.requeue_orphans()
    if again:
        log(f"{again} submission(s) left running by the last server were queued again")
    if cluster:
        from grader.batch.cluster import connect

        connect(cluster).close()  # one line now if the scheduler or its workers cannot be reached
    graders = Graders(store, topics, jobs, log, require_isolation=require, cluster=cluster)
    graders.start()
    app = create_app(store, topics, Settings(rate=rate), log)
    where = f"graders on the Dask cluster at {cluster}" if cluster else f"{jobs} grader(s)"
    log(f"grading server on http://{host}:{port} (API docs: http://{host}:{port}/docs), {where}, "
        f"data in {store.dir}")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        graders.close()
        lock.close()
