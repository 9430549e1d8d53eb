"""Notebooks: one per topic, generated from the same single source as the .py stubs.

source.py: a topic module split into its setup code and one definition per exercise;
build.py: the student notebook (lesson, then per exercise the task, the stub and an inline
check) and the `notebooks/` folder kept in sync; assemble.py: a notebook (or a kernel's
executed cells) turned back into the topic module that the grader grades; inline.py: what
the check cells (and the nbgrader test cells) call inside a kernel; nbgrader_export.py:
the nbgrader course directory of `grade export nbgrader`.
"""
