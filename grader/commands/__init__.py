"""One module per verb of the `grade` CLI: plain functions the thin Click layer calls."""
