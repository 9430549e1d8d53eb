"""Views of a SubmissionResult: terminal table, Gradescope results.json, JSON summary, HTML.
Rendering only: nothing here grades."""
