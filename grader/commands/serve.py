"""`grade serve init DATA_DIR` and `grade serve [run] DATA_DIR`: the instructor's grading server."""

from __future__ import annotations

from pathlib import Path


def init_cmd(app, data_dir: Path, roster: Path) -> None:
    """Create the data folder and the students' tokens; say where the tokens are."""
    from grader.serve.tokens import init_data_dir

    tokens = init_data_dir(data_dir, roster)
    app.out.print(f"created {data_dir}; hand each student their token from {tokens} (mode 600; only hashes are "
                  "stored in the database)", highlight=False)


def run_cmd(app, data_dir: Path, host: str, port: int, jobs: int, rate: int, unsafe: bool,
            cluster: str | None = None) -> None:
    """Serve until Ctrl-C (which ends it quietly); cluster: grade on that Dask scheduler's workers."""
    import click

    from grader.serve.server import serve

    try:
        serve(data_dir, host, port, jobs, rate, echo=lambda line: click.echo(line), unsafe_no_isolation=unsafe,
              cluster=cluster)
    except KeyboardInterrupt:
        pass
