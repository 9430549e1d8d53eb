"""Moodle GIFT (UTF-8): one category per topic, one question per [[quiz]] table.

choice -> multiple choice (=right ~wrong); multi -> multiple answers with weights (each right
option 100/k %, each wrong option -100/(n-k) %, which Moodle floors at 0); number -> numerical
with an absolute tolerance (tolerance x |answer|); text -> short answer (every accepted
string). The explanation is the general feedback (####).
"""

from __future__ import annotations

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """Backslash GIFT's special characters; newlines become \\n (one question per block)."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r", "").replace("\n", "\\n")


def _plain(x: float, digits: int = 10) -> str:
    """A number without exponent (GIFT readers expect plain decimals): 0.2, 896, 1e-9 -> 0.000000001."""
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") or "0"


def _percent(x: float) -> str:
    return _plain(x, 5)


def _answers(q, lang: str) -> list[str]:
    texts = [escape(t) for t in q.option_texts(lang)]
    if q.type == "choice":
        return [("=" if k == q.answer else "~") + t for k, t in zip(q.keys, texts)]
    if q.type == "multi":
        right, n = len(q.answer), len(q.keys)
        wrong = n - right
        return [f"~%{_percent(100 / right)}%{t}" if k in q.answer else f"~%{_percent(-100 / wrong)}%{t}"
                for k, t in zip(q.keys, texts)]
    if q.type == "number":
        margin = abs(q.answer) * q.tolerance if q.answer else 1e-9
        return [f"#{_plain(q.answer)}:{_plain(margin, 12)}"]
    return ["=" + escape(a) for a in q.answer]


def question(q, lang: str) -> str:
    title = escape(f"{q.topic}.{q.id} ({q.points:g} pt)")
    body = escape(q.text(lang))
    lines = [f"::{title}::{body} {{"]
    lines += ["\t" + a for a in _answers(q, lang)]
    lines.append(f"\t####{escape(q.explain(lang))}")
    lines.append("}")
    return "\n".join(lines)


def to_gift(quizzes, lang: str = "en") -> str:
    blocks = []
    for topic, qs in quizzes:
        title = topic.title_ko if lang == "ko" and topic.title_ko else topic.title
        blocks.append(f"// {topic.name}: {title}\n$CATEGORY: $course$/dlviz/{topic.name}")
        blocks += [question(q, lang) for q in qs]
    return "\n\n".join(blocks) + "\n"
