"""Quizzes: questions on each topic's ideas (course/<topic>.toml `[[quiz]]`), graded from a
student's answers file (answers/<topic>.toml), asked in the terminal, exported to LMS formats.

model.py: questions and their validation; grading.py: the scoring rules; answers.py: reading
and writing answers files; ask.py: the terminal session; export/: GIFT, QTI 1.2, HTML;
scores.py: a quiz as the exercise `quiz` of a graded submission.
"""
