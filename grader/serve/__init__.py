"""`grade serve`: the grading server (SERVER.md). Students' `grade submit` from a release
bundle uploads their files; the server queues them in SQLite, grades them with the same
sandboxed judges as `grade batch`, and serves results, the gradebook and the class report.

store.py: the database, the queue with leases and the files by content hash; tokens.py:
roster and tokens; uploads.py: what an upload may hold; app.py: the HTTP API (FastAPI);
grading.py: the judges that take jobs from the queue; views.py: gradebook and report from
each student's latest results; server.py: `grade serve` itself; client.py: `grade login`,
remote `grade submit`, `grade history`.
"""
