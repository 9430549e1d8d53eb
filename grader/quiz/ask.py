"""`grade quiz TOPIC`: ask the questions in the terminal (questionary prompts: arrow keys or
the option letters), saving every answer as it is given, so a second run resumes; then show
the score and every explanation."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from grader.errors import GradeError
from grader.quiz.answers import answers_path, read_answers, write_answers
from grader.quiz.grading import grade_quiz
from grader.quiz.model import Question

WORDS = {
    "en": {"q": "Question", "keys": "letters or arrow keys, enter to confirm", "pts": "point(s)", "answer": "Your answer", "multi": "space to pick, enter to confirm",
           "number": "a number", "text": "a short answer", "score": "Score", "saved": "answers saved in",
           "resume": "answered already, skipped (use --redo to answer again)", "expected": "expected",
           "yours": "yours", "bad_number": "please type a number", "empty": "please type an answer"},
    "ko": {"q": "문제", "keys": "글자 키나 화살표 키, 엔터로 확정", "pts": "점", "answer": "답", "multi": "스페이스로 고르고 엔터로 확정",
           "number": "숫자", "text": "짧은 답", "score": "점수", "saved": "답을 저장한 파일:",
           "resume": "이미 답한 문제는 건너뜁니다 (다시 풀려면 --redo)", "expected": "정답",
           "yours": "내 답", "bad_number": "숫자를 입력하세요", "empty": "답을 입력하세요"},
}


def _short(text: str, width: int) -> str:
    """One line of at most `width` cells (the panel above shows the whole option)."""
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 1)) + "…"


def _prompt(q: Question, lang: str, width: int):
    """The questionary prompt for one question (not yet asked); option lines fit `width`."""
    import questionary

    w = WORDS[lang]
    texts = [_short(t, width - 8) for t in q.option_texts(lang)]
    if q.type == "choice":  # questionary shows the shortcut key ("a) ") itself
        choices = [questionary.Choice(t, value=k, shortcut_key=k) for k, t in zip(q.keys, texts)]
        return questionary.select(w["answer"], choices=choices, use_shortcuts=True, use_jk_keys=False,
                                  instruction=f"({w['keys']})")
    if q.type == "multi":
        choices = [questionary.Choice(f"{k}) {t}", value=k) for k, t in zip(q.keys, texts)]
        return questionary.checkbox(w["answer"], choices=choices, instruction=f"({w['multi']})")
    if q.type == "number":
        def is_number(s: str):
            try:
                float(s)
                return True
            except ValueError:
                return w["bad_number"]
        return questionary.text(f"{w['answer']} ({w['number']}):", validate=is_number)
    return questionary.text(f"{w['answer']} ({w['text']}):", validate=lambda s: bool(s.strip()) or w["empty"])


def _value(q: Question, raw):
    if q.type == "number":
        number = float(raw)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if q.type == "text":
        return raw.strip()
    return raw


def _show_question(console: Console, q: Question, n: int, total: int, lang: str) -> None:
    w = WORDS[lang]
    title = f"{w['q']} {n}/{total} · {q.points:g} {w['pts']}"
    body = escape(q.text(lang))
    if q.keys:
        body += "\n" + "\n".join(f"  [bold]{k})[/] {escape(t)}" for k, t in zip(q.keys, q.option_texts(lang)))
    console.print(Panel(body, title=title, title_align="left", expand=True))


def ask_quiz(topic, workdir: Path, lang: str, console: Console, redo: bool = False) -> dict:
    """Ask every unanswered question of `topic` (all of them with `redo`); returns the answers."""
    from grader.quiz.model import questions

    qs = questions(topic)
    if not qs:
        raise GradeError(f"topic {topic.name} has no quiz")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise GradeError(f"`grade quiz {topic.name}` asks in a terminal; to grade a file use "
                         f"`grade quiz {topic.name} --answers FILE`")
    path = answers_path(workdir, topic.name)
    answers = {} if redo else read_answers(path, qs)
    if answers:
        console.print(f"[dim]{len(answers)} {WORDS[lang]['resume']}[/]")
    for n, q in enumerate(qs, 1):
        if q.id in answers:
            continue
        _show_question(console, q, n, len(qs), lang)
        raw = _prompt(q, lang, console.width).unsafe_ask()  # Ctrl-C raises KeyboardInterrupt: answers so far are saved
        answers[q.id] = _value(q, raw)
        write_answers(path, answers, qs)
    console.print(f"{WORDS[lang]['saved']} {path}", highlight=False)
    return answers


def show_result(console: Console, topic, answers: dict, lang: str) -> None:
    """The score, then each question with its status, the expected answer and the explanation."""
    from grader.quiz.model import questions

    w = WORDS[lang]
    qs = questions(topic)
    result = grade_quiz(topic.name, qs, answers, lang)
    marks = {"correct": "[green]✓[/]", "partial": "[yellow]~[/]", "wrong": "[red]✗[/]", "unanswered": "[red]–[/]"}
    for n, (q, r) in enumerate(zip(qs, result.questions), 1):
        console.print(f"\n{marks[r.status]} [bold]{w['q']} {n}[/] ({r.score:g}/{r.max_score:g}) {escape(q.text(lang))}",
                      highlight=False)
        if r.status != "correct":
            console.print(f"  {w['expected']}: {escape(q.answer_text(lang))}", highlight=False)
        console.print(f"  [dim]{escape(q.explain(lang))}[/]", highlight=False)
    console.print(f"\n[bold]{w['score']}: {result.score:g} / {result.max_score:g}[/]", highlight=False)
