"""`grade quiz export`: Moodle GIFT read back by an independent parser (pygiftparser), Canvas
QTI 1.2 zip whose XML is well formed and lists every question with its type and points, and
a printable HTML sheet that renders in headless Chromium."""

from __future__ import annotations

import io
import zipfile
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.quiz.export.qti import CANVAS_TYPES
from grader.quiz.model import questions
from tests.grader.pages import screenshot
from tests.grader.quiz_helpers import quiz_topics

QUESTIONS = [q for t in quiz_topics() for q in questions(t)]
GIFT_TYPES = {"choice": "SelectSet", "multi": "MultipleChoicesSet", "number": "NumericAnswerSet", "text": "ShortSet"}
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def export(tmp_path, fmt: str, *args: str):
    out = tmp_path / f"quiz.{fmt}"
    res = CliRunner().invoke(main, ["quiz", "export", "--format", fmt, str(out), *args])
    assert res.exit_code == 0, res.output
    assert f"wrote {len(QUESTIONS)} questions" in res.output
    return out


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_gift_parses_with_an_independent_parser(tmp_path, lang):
    parser = pytest.importorskip("pygiftparser.parser", reason="pip install --no-deps pygiftparser (scripts/setup.sh)")
    path = export(tmp_path, "gift", "--lang", lang)
    with open(path, encoding="utf-8") as fh:
        parsed = parser.parseFile(fh)
    assert len(parsed) == len(QUESTIONS)
    for q, p in zip(QUESTIONS, parsed):
        assert p.valid, p.source
        assert p.title == f"{q.topic}.{q.id} ({q.points:g} pt)"
        assert type(p.answers).__name__ == GIFT_TYPES[q.type], (q.id, p.source)
        assert q.text(lang).split()[0].replace("=", "") in p.text.replace("\\", "").replace("=", "")


def test_gift_multi_weights_give_each_right_option_its_share(tmp_path):
    text = export(tmp_path, "gift").read_text(encoding="utf-8")
    multi = next(q for q in QUESTIONS if q.type == "multi")
    block = text.split(f"::{multi.topic}.{multi.id} ")[1].split("}")[0]
    share = 100 / len(multi.answer)
    assert block.count(f"~%{share:.5f}".rstrip("0").rstrip(".") + "%") == len(multi.answer)


def test_qti_zip_is_well_formed_and_lists_every_question(tmp_path):
    path = export(tmp_path, "qti")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert "imsmanifest.xml" in names
        docs = {n: ET.parse(io.BytesIO(zf.read(n))) for n in names if n.endswith(".xml")}  # raises if malformed
    manifest = docs.pop("imsmanifest.xml").getroot()
    hrefs = {f.get("href") for f in manifest.iter() if f.tag.endswith("file")}
    assert hrefs <= set(names)
    items = [it for name, doc in docs.items() if not name.endswith("assessment_meta.xml")
             for it in doc.getroot().iter(f"{QTI}item")]
    assert len(items) == len(QUESTIONS)
    by_title = {it.get("title"): it for it in items}
    for q in QUESTIONS:
        it = by_title[f"{q.topic}.{q.id}"]
        meta = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in it.iter(f"{QTI}qtimetadatafield")}
        assert meta["question_type"] == CANVAS_TYPES[q.type]
        assert float(meta["points_possible"]) == q.points
    assert len([n for n in docs if n.endswith("assessment_meta.xml")]) == len(quiz_topics())


@pytest.mark.parametrize("key", [False, True])
def test_html_sheet_renders_in_chromium(tmp_path, key):
    args = ["--key"] if key else []
    page = export(tmp_path, "html", *args, "--lang", "ko")
    html = page.read_text(encoding="utf-8")
    assert all(q.question_ko.split()[0] in html for q in QUESTIONS)
    assert ("<b>정답:</b>" in html) == key
    assert (QUESTIONS[0].explanation_ko in html) == key
    screenshot(page, tmp_path)


def test_export_to_a_folder_is_one_line_error(tmp_path):
    res = CliRunner().invoke(main, ["quiz", "export", "--format", "gift", str(tmp_path)])
    assert res.exit_code == 1 and "is a folder" in res.output
