"""Print the image-check calibration tables of docs/plot-checks.md.

    python scripts/plot_calibration.py            # both tables
    python scripts/plot_calibration.py engine     # tests/grader/plot_cases.py only
    python scripts/plot_calibration.py topics     # the topic fixtures only
    python scripts/plot_calibration.py line_scatter facets   # those topics' fixtures only

Everything is captured exactly as the grader does (capture_call: rcdefaults, 6.4 x 4.8 in,
80 dpi, layout reset) and compared with the reference captured the same way.

engine: for each reference plot in tests/grader/plot_cases.py and each table shape, every
correct alternative, free choice, text-only mistake and picture mistake: ink RMS without the text
mask / ink RMS with it (the default) / rgb RMS with it.

topics: for each plotting topic with an IMAGE_CALLS dict in its hidden suite, every fixture in
tests/grader/fixtures/<topic>/ on the call of each image test: ink RMS without / with the text
mask, the rgb RMS with it where the suite's IMAGE_MODES compares colour, and the verdict of the
suite's check (masked, DEFAULT_TOLERANCE of its mode). Alternatives show every
exercise; mistakes only the exercises whose picture or problems differ from the reference's.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.checks.images import DEFAULT_TOLERANCE, captures_mask, distance  # noqa: E402
from grader.plots.capture import capture_call  # noqa: E402

TABLES = {"5x2": ("gender",), "5x3": ("test preparation course",),
          "5x6": ("parental level of education",)}
TOPICS = ("mpl_basics", "bar_plots", "line_scatter", "text_color", "facets")


def measures(got: dict, exp: dict) -> dict:
    """ink / masked ink / masked rgb RMS of two captures."""
    mask = captures_mask(got, exp)
    return {"ink": distance(got["png"], exp["png"], "ink"),
            "ink_masked": distance(got["png"], exp["png"], "ink", mask),
            "rgb_masked": distance(got["png"], exp["png"], "rgb", mask)}


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load_fixture(topic: str, path: Path):
    """The fixture as it is graded: solutions/<topic>.py with its definitions put in place."""
    from tests.grader.helpers import with_override

    module = types.ModuleType(f"_fixture_{topic}_{path.stem}")
    exec(compile(with_override(topic, path), str(path), "exec"), module.__dict__)
    return module


def engine() -> None:
    from tests.grader.plot_cases import CASES, students_table

    print(f"default tolerances: {DEFAULT_TOLERANCE}")
    print(f"{'case':9} {'kind':13} {'function':34} " + " ".join(f"{t:>19}" for t in TABLES))
    tables = {name: students_table(*cols) for name, cols in TABLES.items()}
    for case, (ref, groups) in CASES.items():
        refs = {t: capture_call(ref, (tables[t],), {}) for t in tables}
        for kind, fns in groups.items():
            for fn in fns:
                cells = []
                for t in tables:
                    m = measures(capture_call(fn, (tables[t],), {}), refs[t])
                    cells.append(f"{m['ink']:5.1f} /{m['ink_masked']:5.1f} /{m['rgb_masked']:5.1f}")
                print(f"{case:9} {kind:13} {fn.__name__:34} " + " ".join(f"{c:>19}" for c in cells))
    print("cells: ink RMS / ink RMS, text masked (the default) / rgb RMS, text masked")


def _differs(got: dict, exp: dict) -> bool:
    return got["png"] != exp["png"] or bool(got["problems"])


def _topic_rows(topic: str) -> None:
    suite = _load(ROOT / "tests" / "hidden" / f"test_{topic}.py", f"_suite_{topic}")
    solution = _load(ROOT / "solutions" / f"{topic}.py", f"_solution_{topic}")
    calls = {name: make() for name, make in suite.IMAGE_CALLS.items()}
    refs = {name: capture_call(getattr(solution, name), c.args, c.kwargs)
            for name, c in calls.items()}
    modes = getattr(suite, "IMAGE_MODES", {})  # exercise -> "rgb" where colour is compared
    for path in sorted((ROOT / "tests" / "grader" / "fixtures" / topic).glob("*.py")):
        module = _load_fixture(topic, path)
        alternative = path.stem.startswith("alt_")
        for name, c in calls.items():
            try:
                got = capture_call(getattr(module, name), c.args, c.kwargs)
            except Exception as exc:  # noqa: BLE001 - a fixture may raise (it is graded so)
                print(f"{topic:11} {path.stem:40} {name:24} raised {type(exc).__name__}")
                continue
            if not alternative and not _differs(got, refs[name]):
                continue
            m = measures(got, refs[name])
            mode = modes.get(name, "ink")
            graded = m["ink_masked"] if mode == "ink" else m["rgb_masked"]
            verdict = "pass" if graded <= DEFAULT_TOLERANCE[mode] else "FAIL"
            rgb = f"{m['rgb_masked']:6.1f}" if mode == "rgb" else "     -"
            print(f"{topic:11} {path.stem:40} {name:24} {m['ink']:6.1f} {m['ink_masked']:6.1f}"
                  f" {rgb}  {verdict}")


def topics(names=()) -> None:
    print(f"default ink tolerance: {DEFAULT_TOLERANCE['ink']:g}")
    print(f"{'topic':11} {'fixture':40} {'exercise':24} {'ink':>6} {'masked':>6} {'rgb':>6}"
          "  verdict")
    for topic in names or TOPICS:
        if (ROOT / "tests" / "hidden" / f"test_{topic}.py").is_file():
            _topic_rows(topic)
    print("ink: ink RMS without the text mask; masked: with it (the default); rgb: rgb RMS "
          "with it, where the suite compares colour (IMAGE_MODES); verdict: the suite's check")


if __name__ == "__main__":
    args = sys.argv[1:]
    named = tuple(a for a in args if a in TOPICS)  # topic names: only their rows
    which = [a for a in args if a in ("engine", "topics")] or (["topics"] if named else
                                                               ["engine", "topics"])
    for i, part in enumerate(which):
        if i:
            print()
        engine() if part == "engine" else topics(named)
