"""The grading server's HTTP API (FastAPI; OpenAPI docs at /docs).

POST /api/submissions            upload files + `topics` -> 202 {"id", "status": "queued"}
GET  /api/submissions/{id}       {"id", "status", "result": results.json, ...} (owner or instructor, else 404)
GET  /api/submissions/{id}/feedback.html
GET  /api/submissions            the caller's own submissions (the instructor: all)
GET  /api/gradebook.csv, /report the gradebook and class report of the latest submissions (instructor)

Tokens come as `Authorization: Bearer TOKEN` (or, for the report in a browser, `?token=` once,
kept in a cookie).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from grader.serve.store import Store
from grader.serve.tokens import INSTRUCTOR, token_hash
from grader.serve.uploads import MAX_FILE, MAX_TOTAL, Rejected, check_files

COOKIE = "grade_token"


class Settings:
    """rate: at most `rate` submissions per student per `window` seconds (429 beyond)."""

    def __init__(self, rate: int = 10, window: float = 60.0):
        self.rate, self.window = rate, window


def _deadlines(course_root, topics) -> dict[str, dt.datetime]:
    out = {}
    for t in topics:
        raw = tomllib.loads((course_root / "course" / f"{t.name}.toml").read_text(encoding="utf-8")).get("deadline")
        if isinstance(raw, dt.datetime):
            out[t.name] = raw if raw.tzinfo else raw.replace(tzinfo=dt.timezone.utc)
        elif isinstance(raw, dt.date):
            out[t.name] = dt.datetime.combine(raw, dt.time(23, 59, 59), dt.timezone.utc)
    return out


class _Auth:
    """Who is calling: a FastAPI dependency per role, and the submissions a caller may see."""

    def __init__(self, store: Store):
        self.store = store

    def caller(self, request: Request) -> tuple[str, str]:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = token or request.query_params.get("token", "") or request.cookies.get(COOKIE, "")
        who = self.store.who(token_hash(token)) if token else None
        if who is None:
            raise HTTPException(401, "missing or unknown token", headers={"WWW-Authenticate": "Bearer"})
        return who

    def instructor(self, request: Request) -> tuple[str, str]:
        who = self.caller(request)
        if who[1] != INSTRUCTOR:
            raise HTTPException(403, "the instructor's token is needed here")
        return who

    def visible(self, sid: str, who) -> object:
        sub = self.store.get(sid)
        if sub is None or (who[1] != INSTRUCTOR and sub.student != who[0]):
            raise HTTPException(404, "no such submission")
        return sub


def create_app(store: Store, topics, settings: Settings | None = None, log=print) -> FastAPI:
    """The app: uploads (POST /api/submissions), a caller's submissions and results, and the
    instructor's gradebook and class report."""
    from grader.paths import course_root

    app = FastAPI(title="dlviz-grader server", description="Submit course work and get it graded.")

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request, exc):  # a malformed body is the client's mistake: 400, one line
        return JSONResponse({"detail": "malformed request: send multipart files and a `topics` field"}, 400)

    auth = _Auth(store)
    _upload_route(app, store, auth, topics, _deadlines(course_root(), topics), settings or Settings(), log)
    _submission_routes(app, store, auth)
    _instructor_routes(app, store, auth, topics)
    return app


def _upload_route(app: FastAPI, store: Store, auth: _Auth, topics, deadlines, settings: Settings, log) -> None:
    names = [t.name for t in topics]

    @app.post("/api/submissions", status_code=202)
    async def submit(request: Request, files: list[UploadFile] = File(...), topics: str = Form(""),
                     who=Depends(auth.caller)):
        """Upload a work folder's files; they are graded in the order received."""
        if who[1] == INSTRUCTOR:
            raise HTTPException(403, "submit with a student's token")
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_TOTAL + (64 << 10):
            raise HTTPException(413, f"the upload is {length} bytes; the limit is {MAX_TOTAL} bytes")
        wanted = [t for t in topics.replace(",", " ").split() if t]
        unknown = [t for t in wanted if t not in names]
        if unknown:
            raise HTTPException(400, f"unknown topic {unknown[0]!r}; the topics are: {', '.join(names)}")
        try:
            got = check_files([(f.filename or "", await f.read(MAX_FILE + 1)) for f in files])
        except Rejected as exc:
            raise HTTPException(exc.status, exc.reason) from None
        chosen = wanted or [t for t in names if f"{t}.py" in got or f"{t}.ipynb" in got]
        if not chosen:
            raise HTTPException(400, "the upload holds no topic module (<topic>.py)")
        if store.recent_count(who[0], settings.window) >= settings.rate:
            raise HTTPException(429, f"at most {settings.rate} submissions per {settings.window:g} s; try again soon")
        now = dt.datetime.now(dt.timezone.utc)
        late = any(t in deadlines and now > deadlines[t] for t in chosen)
        sid = store.submit(who[0], [t for t in names if t in chosen], got, late)
        log(f"queued {sid} of {who[0]} ({', '.join(chosen)}; {len(got)} files, "
            f"{sum(map(len, got.values()))} bytes){' LATE' if late else ''}")
        return {"id": sid, "status": "queued", "late": late}


def _submission_routes(app: FastAPI, store: Store, auth: _Auth) -> None:
    @app.get("/api/submissions/{sid}")
    def status(sid: str, who=Depends(auth.caller)):
        """A submission's status and, once graded, its results.json and full result."""
        sub = auth.visible(sid, who)
        body = sub.summary()
        folder = store.result_dir(sid)
        if sub.status in ("done", "failed") and (folder / "results.json").is_file():
            body["result"] = json.loads((folder / "results.json").read_text(encoding="utf-8"))
            body["detail"] = json.loads((folder / "detail.json").read_text(encoding="utf-8"))
        return body

    @app.get("/api/submissions/{sid}/feedback.html", response_class=HTMLResponse)
    def feedback(sid: str, who=Depends(auth.caller)):
        auth.visible(sid, who)
        path = store.result_dir(sid) / "feedback.html"
        if not path.is_file():
            raise HTTPException(404, "not graded yet")
        return HTMLResponse(path.read_text(encoding="utf-8"))

    @app.get("/api/submissions")
    def history(who=Depends(auth.caller)):
        """The caller's own submissions, oldest first (the instructor's token: everyone's)."""
        subs = store.list(None if who[1] == INSTRUCTOR else who[0])
        return [s.summary() for s in subs]


def _instructor_routes(app: FastAPI, store: Store, auth: _Auth, topics) -> None:
    @app.get("/api/gradebook.csv", response_class=PlainTextResponse)
    def gradebook(who=Depends(auth.instructor)):
        from grader.serve.views import gradebook_csv

        return Response(gradebook_csv(store, topics), media_type="text/csv; charset=utf-8")

    @app.get("/report", response_class=HTMLResponse)
    def report(request: Request, who=Depends(auth.instructor)):
        from grader.serve.views import class_report_html

        page = HTMLResponse(class_report_html(store, topics))
        if request.query_params.get("token"):
            page.set_cookie(COOKIE, request.query_params["token"], httponly=True, samesite="strict")
        return page

    @app.get("/students/{student}/feedback.html", response_class=HTMLResponse)  # the report links here
    def student_feedback(student: str, who=Depends(auth.instructor)):
        done = [s for s in store.list(student) if s.status == "done"]
        if not done:
            raise HTTPException(404, "no graded submission")
        return HTMLResponse((store.result_dir(done[-1].id) / "feedback.html").read_text(encoding="utf-8"))
