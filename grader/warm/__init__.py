"""The warm judge: `grade submit` and `grade check` without paying the start-up each time.

A cold `grade submit TOPIC` spends nearly all its seconds starting (importing torch, pytest and
the grader in the judge, and torch and matplotlib again in the zygote that forks the sandboxed
workers); the grading itself takes well under a second for most topics (docs/performance.md).
So the first `grade submit` or `grade check` starts a per-user background process, the warm
judge (`daemon.py`), that has imported all that once and keeps its own zygote running. Each
later command is a small client (`client.py`) that hands its argv, working folder, environment
and terminal (stdin, stdout, stderr as file descriptors) to the warm judge, which forks a fresh
copy of itself to run exactly what the cold command would run (`judge.py`): a fork never sees
another run's state, so the same submission gets the same score warm or cold.

- Where: one Unix socket per user and per grader fingerprint (`place.py`: the grader's source,
  the course files, the interpreter, the environment variables that change grading) in a
  folder only that user can open; the warm judge accepts only connections from its own uid.
- Lifetime: it exits after GRADE_WARM_IDLE seconds (default 900) without a request; a changed
  grader or course gives a new fingerprint, so an old warm judge is never used again.
- Off switch: GRADE_WARM=0 (the tests set it; `grade batch` and the server never use it).
  If the warm judge cannot start, the command runs cold, as before.
- Ctrl-C in the client is passed on to the run (exit 130, nothing written, as cold); if the
  client dies, its run is killed.
"""
