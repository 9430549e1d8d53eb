"""Print the image-check calibration tables of docs/plot-checks.md.

    python scripts/plot_calibration.py            # both tables
    python scripts/plot_calibration.py engine     # tests/grader/plot_cases.py only
    python scripts/plot_calibration.py topics     # the topic fixtures only
    python scripts/plot_calibration.py line_scatter facets   # those topics' fixtures only

Everything is captured exactly as the grader does (capture_call: rcdefaults, 6.4 x 4.8 in,
80 dpi, layout reset) and compared with the reference captured the same way.

engine: for each reference plot in tests/grader/plot_cases.py and each table shape, every
correct alternative, free choice, text-only mistake and picture mistake: ink RMS as drawn (no
normalisation, no text mask) / ink RMS as the image check measures it (free properties
normalised, text masked: the default) / rgb RMS normalised and masked.

topics: for each plotting topic with an IMAGE_CALLS dict in its hidden suite, every fixture in
tests/grader/fixtures/<topic>/ on the call of each image test: ink RMS as drawn, ink RMS as the
image check measures it (normalised except the suite's IMAGE_FIXED, masked), and the verdict of
the default check (rgb RMS too where the
suite's IMAGE_MODES compares colour). Alternatives show every exercise; mistakes only the exercises whose picture
or problems differ from the reference's.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.checks.plots.images import DEFAULT_TOLERANCE, captures_mask, distance  # noqa: E402
from grader.figure.capture import capture_call  # noqa: E402

TABLES = {"5x2": ("gender",), "5x3": ("test preparation course",),
          "5x6": ("parental level of education",)}
TOPICS = ("mpl_basics", "bar_plots", "line_scatter", "text_color", "facets")


def measures(fn, ref, args, kwargs, free) -> dict:
    """ink RMS as drawn; ink and rgb RMS as the image check measures (normalised, masked)."""
    got, exp = capture_call(fn, args, kwargs), capture_call(ref, args, kwargs)
    got_n, exp_n = (capture_call(fn, args, kwargs, normalise=free),
                    capture_call(ref, args, kwargs, normalise=free))
    mask = captures_mask(got_n, exp_n)
    return {"ink": distance(got["png"], exp["png"], "ink"),
            "ink_masked": distance(got_n["png"], exp_n["png"], "ink", mask),
            "rgb_masked": distance(got_n["png"], exp_n["png"], "rgb", mask),
            "differs": got["png"] != exp["png"] or bool(got["problems"])}


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
    from tests.grader.plot_cases import CASES, free_for, students_table

    print(f"default tolerances: {DEFAULT_TOLERANCE}")
    print(f"{'case':9} {'kind':13} {'function':34} " + " ".join(f"{t:>19}" for t in TABLES))
    tables = {name: students_table(*cols) for name, cols in TABLES.items()}
    for case, (ref, groups) in CASES.items():
        for kind, fns in groups.items():
            for fn in fns:
                cells = []
                for t in tables:
                    m = measures(fn, ref, (tables[t],), {}, free_for(case))
                    cells.append(f"{m['ink']:5.1f} /{m['ink_masked']:5.1f} /{m['rgb_masked']:5.1f}")
                print(f"{case:9} {kind:13} {fn.__name__:34} " + " ".join(f"{c:>19}" for c in cells))
    print("cells: ink RMS as drawn / ink RMS normalised, text masked (the default) / rgb RMS "
          "normalised, text masked")


def _topic_rows(topic: str) -> None:
    suite = _load(ROOT / "tests" / "hidden" / f"test_{topic}.py", f"_suite_{topic}")
    solution = _load(ROOT / "solutions" / f"{topic}.py", f"_solution_{topic}")
    from grader.figure.normalise import FREE

    calls = {name: make() for name, make in suite.IMAGE_CALLS.items()}
    fixed = getattr(suite, "IMAGE_FIXED", {})
    modes = getattr(suite, "IMAGE_MODES", {})  # exercise -> "rgb" where colour is compared
    for path in sorted((ROOT / "tests" / "grader" / "fixtures" / topic).glob("*.py")):
        module = _load_fixture(topic, path)
        alternative = path.stem.startswith("alt_")
        for name, c in calls.items():
            free = tuple(f for f in FREE if f not in fixed.get(name, ()))
            try:
                m = measures(getattr(module, name), getattr(solution, name), c.args, c.kwargs, free)
            except Exception as exc:  # noqa: BLE001 - a fixture may raise (it is graded so)
                print(f"{topic:11} {path.stem:40} {name:24} raised {type(exc).__name__}")
                continue
            if not alternative and not m["differs"]:
                continue
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
    print("ink: ink RMS as drawn; masked: free properties normalised and text masked, as the "
          "image check measures; rgb: the same in colour where the suite compares colour "
          "(IMAGE_MODES); verdict: the suite's check")


if __name__ == "__main__":
    args = sys.argv[1:]
    named = tuple(a for a in args if a in TOPICS)  # topic names: only their rows
    which = [a for a in args if a in ("engine", "topics")] or (["topics"] if named else
                                                               ["engine", "topics"])
    for i, part in enumerate(which):
        if i:
            print()
        engine() if part == "engine" else topics(named)
