"""dlviz-grader: auto-graded exercises for a deep-learning basics and matplotlib course.

The judge (this package, imported by the CLI and the pytest harness) never runs student
code itself; student code runs in `grader.worker`, a separate sandboxed process.
"""

__version__ = "0.1.0"
