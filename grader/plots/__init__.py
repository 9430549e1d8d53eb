"""Plot capture and description.

`describe.describe_figure(fig)` turns a Figure into plain data (JSON-able) that the judge compares
with the reference's; `capture.capture_call(fn, args, kwargs)` runs a student's plotting function
in the worker under a fixed style and returns {"figure", "png", "problems"}.
The schema is documented in docs/plot-checks.md.
"""

from grader.plots.describe import describe_figure

__all__ = ["describe_figure"]
