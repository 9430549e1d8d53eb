"""`grade release OUT`: the student bundle (stubs, public tests, course data, quiz questions and
the `grade` client, nothing more), its leak check, and the Gradescope autograder zip.

bundle.py: what goes into the bundle; leaks.py: the check that nothing secret did;
autograder.py: the Gradescope zip and the run_autograder entry point.
"""
