"""The figure, worker side: capture, description and normalisation of a student's plot.

`capture.capture_call(fn, args, kwargs)` runs a plotting function in the worker under a fixed
style on Agg and returns {"figure", "png", "problems"}; `describe.describe_figure(fig)` turns a
Figure into plain data (JSON-able) for the judge; `normalise` brings the properties an exercise
leaves free to one canonical form before the picture is drawn. The judge compares two such
captures with grader.checks.plots. The schema is documented in docs/plot-checks.md.
"""

from grader.figure.describe import describe_figure

__all__ = ["describe_figure"]
