"""The grading server seen from a student: `grade login`, `grade history`, and `grade submit`
when it uploads instead of grading here."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError


def remote_submit(app, path: Path, topic_names, out: Path, server, quiet: bool):
    """Upload to the grading server, follow the submission, save its results like a local run;
    returns (result, results path, feedback path)."""
    from grader.commands.submit import validate_folder
    from grader.manifest import load_course
    from grader.serve.client import Client, follow, load_login, save_outcome, upload

    validate_folder(path, topic_names)
    chosen = [t for t in load_course().select(topic_names)
              if (path / f"{t.name}.py").is_file() or (path / f"{t.name}.ipynb").is_file()]
    client = Client(load_login(server))
    sid = upload(client, path, chosen)
    if quiet:
        doc = follow(client, sid)
    else:
        with app.err.status(f"submitted {sid[:8]} to {client.login.server}: queued") as status:
            doc = follow(client, sid, lambda s: status.update(f"submitted {sid[:8]} to {client.login.server}: {s}"))
    return save_outcome(client, doc, out)


def login_cmd(app, url: str, token: str) -> None:
    """`grade login`: check the URL and token against the server, then save them."""
    from grader.serve.client import Client, Login, save_login

    if not url.startswith(("http://", "https://")):
        raise GradeError(f"{url} is not a web address; give it as http://HOST:PORT")
    Client(Login(url.rstrip("/"), token)).submissions()  # fails here on a wrong URL or token
    path = save_login(url, token)
    app.out.print(f"logged in to {url}; saved in {path}", highlight=False)


def history_cmd(app, server) -> None:
    """`grade history`: one row per submission to the server, in the order the server lists them."""
    import datetime as dt

    from rich.table import Table

    from grader.serve.client import Client, load_login

    subs = Client(load_login(server)).submissions()
    table = Table(title="Your submissions", title_justify="left")
    for col in ("id", "when", "topics", "status", "score"):
        table.add_column(col)
    for s in subs:
        when = dt.datetime.fromtimestamp(s["created"]).strftime("%Y-%m-%d %H:%M")
        score = f"{s['score']:g} / {s['max_score']:g}" if s["score"] is not None else ""
        table.add_row(s["id"][:8], when, ", ".join(s["topics"]), s["status"] + (" (late)" if s["late"] else ""), score)
    app.out.print(table if subs else "no submissions yet")
