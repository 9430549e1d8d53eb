"""Numbers as the reports show them (terminal table, HTML pages, gradebook CSV)."""

from __future__ import annotations


def fmt(x: float) -> str:
    """A score for people: 3, 2.5, 1.33."""
    return f"{x:g}" if float(x) == int(x) else f"{x:.2f}"


def percent(score: float, max_score: float) -> float:
    """score / max_score in percent, one decimal; 0 when there is nothing to score."""
    return round(100.0 * score / max_score, 1) if max_score else 0.0
