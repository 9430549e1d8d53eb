"""Views of a SubmissionResult, rendering only (nothing here grades): table (the terminal),
gradescope (results.json) with artifacts (the diff images beside it), summary (`--json`),
html (the feedback page, and the jinja2 renderer the class report and quiz sheet use),
numbers (scores and percents as people read them)."""
