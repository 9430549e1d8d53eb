"""A printable HTML quiz sheet: every topic's questions with their options; with `key`, the
answers and explanations too (jinja2 template reports/templates/quiz_sheet.html)."""

from __future__ import annotations


def sheet_view(quizzes, lang: str, key: bool) -> dict:
    topics = []
    for topic, qs in quizzes:
        title = topic.title_ko if lang == "ko" and topic.title_ko else topic.title
        topics.append({"name": topic.name, "title": title, "questions": [
            {"id": q.id, "type": q.type, "points": f"{q.points:g}", "text": q.text(lang),
             "options": list(zip(q.keys, q.option_texts(lang))),
             "answer": q.answer_text(lang), "explanation": q.explain(lang)} for q in qs]})
    heading = {"en": "Quiz", "ko": "퀴즈"}[lang] + (" — answer key" if key and lang == "en" else " — 정답" if key else "")
    return {"title": heading, "lang": lang, "key": key, "topics": topics}


def to_html(quizzes, lang: str = "en", key: bool = False) -> str:
    from grader.reports.html import render

    return render("quiz_sheet.html", sheet_view(quizzes, lang, key))
