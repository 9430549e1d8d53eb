"""The pytest side of grading: a plugin that gives tests a `student` proxy and collects
per-exercise points, and a runner that grades one submission in-process."""
