"""Canvas QTI 1.2: a zip with imsmanifest.xml and, per topic, <ident>/<ident>.xml (the
assessment) and <ident>/assessment_meta.xml. Question types: multiple_choice_question,
multiple_answers_question, numerical_question, short_answer_question. Built with ElementTree,
so every file is well-formed XML."""

from __future__ import annotations

import hashlib
import io
import zipfile
import xml.etree.ElementTree as ET

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPES = {"choice": "multiple_choice_question", "multi": "multiple_answers_question",
                "number": "numerical_question", "text": "short_answer_question"}


def ident(*parts: str) -> str:
    return "g" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:24]


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _sub(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, tag, {k.rstrip("_"): str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = str(text)
    return el


def _metadata(item, q, answer_ids) -> None:
    fields = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", CANVAS_TYPES[q.type]), ("points_possible", f"{q.points:g}"),
                         ("original_answer_ids", ",".join(answer_ids)),
                         ("assessment_question_identifierref", ident(q.topic, q.id, "ref"))):
        f = _sub(fields, "qtimetadatafield")
        _sub(f, "fieldlabel", label)
        _sub(f, "fieldentry", entry)


def _mattext(parent, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype="text/plain")


def _choices(presentation, q, lang, answer_ids, multiple: bool) -> None:
    lid = _sub(presentation, "response_lid", ident_="response1", rcardinality="Multiple" if multiple else "Single")
    render = _sub(lid, "render_choice")
    for aid, text in zip(answer_ids, q.option_texts(lang)):
        _mattext(_sub(render, "response_label", ident_=aid), text)


def _condition(proc, continue_="No"):
    cond = _sub(proc, "respcondition", continue_=continue_)
    return cond, _sub(cond, "conditionvar")


def _score(cond) -> None:
    _sub(cond, "setvar", "100", action="Set", varname="SCORE")


def _processing(item, q, answer_ids) -> None:
    proc = _sub(item, "resprocessing")
    _sub(_sub(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    by_key = dict(zip(q.keys, answer_ids))
    if q.type == "choice":
        cond, var = _condition(proc)
        _sub(var, "varequal", by_key[q.answer], respident="response1")
        _score(cond)
    elif q.type == "multi":
        cond, var = _condition(proc)
        both = _sub(var, "and")
        for key, aid in by_key.items():
            target = both if key in q.answer else _sub(both, "not")
            _sub(target, "varequal", aid, respident="response1")
        _score(cond)
    elif q.type == "number":
        margin = abs(q.answer) * q.tolerance if q.answer else 1e-9
        cond, var = _condition(proc)
        within = _sub(var, "and")
        _sub(within, "vargte", f"{q.answer - margin:g}", respident="response1")
        _sub(within, "varlte", f"{q.answer + margin:g}", respident="response1")
        _score(cond)
    else:
        cond, var = _condition(proc)
        for accepted in q.answer:
            _sub(var, "varequal", accepted, respident="response1")
        _score(cond)


def item(section, q, lang: str) -> None:
    answer_ids = [ident(q.topic, q.id, k) for k in q.keys] if q.keys else []
    it = _sub(section, "item", ident_=ident(q.topic, q.id), title=f"{q.topic}.{q.id}")
    _metadata(it, q, answer_ids)
    presentation = _sub(it, "presentation")
    _mattext(presentation, q.text(lang))
    if q.type in ("choice", "multi"):
        _choices(presentation, q, lang, answer_ids, multiple=q.type == "multi")
    else:
        fib = _sub(presentation, "response_str", ident_="response1", rcardinality="Single")
        _sub(fib, "render_fib", fibtype="Decimal" if q.type == "number" else "String")
    _processing(it, q, answer_ids)
    _mattext(_sub(_sub(it, "itemfeedback", ident_="general_fb"), "flow_mat"), q.explain(lang))


def assessment(topic, qs, lang: str) -> bytes:
    title = topic.title_ko if lang == "ko" and topic.title_ko else topic.title
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    test = _sub(root, "assessment", ident_=ident(topic.name), title=title)
    section = _sub(test, "section", ident_="root_section")
    for q in qs:
        item(section, q, lang)
    return _xml(root)


def meta(topic, qs, lang: str) -> bytes:
    title = topic.title_ko if lang == "ko" and topic.title_ko else topic.title
    root = ET.Element("quiz", {"identifier": ident(topic.name), "xmlns": "http://canvas.instructure.com/xsd/cccv1p0"})
    _sub(root, "title", title)
    _sub(root, "description", topic.summary)
    _sub(root, "quiz_type", "assignment")
    _sub(root, "points_possible", f"{sum(q.points for q in qs):g}")
    return _xml(root)


def manifest(quizzes) -> bytes:
    root = ET.Element("manifest", {"identifier": ident("manifest"), "xmlns": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"})
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    for topic, _ in quizzes:
        rid = ident(topic.name)
        res = _sub(resources, "resource", identifier=rid, type="imsqti_xmlv1p2")
        _sub(res, "file", href=f"{rid}/{rid}.xml")
        _sub(res, "dependency", identifierref=ident(topic.name, "meta"))
        meta_res = _sub(resources, "resource", identifier=ident(topic.name, "meta"),
                        type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                        href=f"{rid}/assessment_meta.xml")
        _sub(meta_res, "file", href=f"{rid}/assessment_meta.xml")
    return _xml(root)


def to_qti_zip(quizzes, lang: str = "en") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest(quizzes))
        for topic, qs in quizzes:
            rid = ident(topic.name)
            zf.writestr(f"{rid}/{rid}.xml", assessment(topic, qs, lang))
            zf.writestr(f"{rid}/assessment_meta.xml", meta(topic, qs, lang))
    return buf.getvalue()
