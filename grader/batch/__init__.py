"""`grade batch`: grade a whole class in parallel.

inputs and unzip (find the students in a folder or a zip), state (content hashes, resume),
judge (the child process that grades students one by one), pool (the judge processes and the
wall-clock guard), procs (process trees), status (a student's batch status), store (one
student's output files), gradebook (CSV), classreport and charts (the class report's view and
its charts), progress (the terminal bar), run (the whole batch).
"""
