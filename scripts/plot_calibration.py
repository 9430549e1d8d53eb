"""Print the image-check calibration table of docs/plot-checks.md.

    python scripts/plot_calibration.py

For each reference plot in tests/grader/plot_cases.py and each table shape, the RMS (rgb) and
ink RMS of every correct alternative, free choice and known mistake against the reference,
both captured exactly as the grader does (capture_call: rcdefaults, 6.4 x 4.8 in, 80 dpi).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.checks.images import DEFAULT_TOLERANCE, ink_rms, rms  # noqa: E402
from grader.plots.capture import capture_call  # noqa: E402
from tests.grader.plot_cases import CASES, students_table  # noqa: E402

TABLES = {"5x2": ("gender",), "5x3": ("test preparation course",),
          "5x6": ("parental level of education",)}


def main() -> None:
    print(f"default tolerances: {DEFAULT_TOLERANCE}")
    print(f"{'case':9} {'kind':12} {'function':34} " + " ".join(f"{t:>13}" for t in TABLES))
    tables = {name: students_table(*cols) for name, cols in TABLES.items()}
    refs = {(case, t): capture_call(ref, (tables[t],), {})
            for case, (ref, _) in CASES.items() for t in tables}
    for case, (_, groups) in CASES.items():
        for kind, fns in groups.items():
            for fn in fns:
                cells = []
                for t in tables:
                    got, exp = capture_call(fn, (tables[t],), {}), refs[case, t]
                    cells.append(f"{rms(got['png'], exp['png']):5.1f} /{ink_rms(got['png'], exp['png']):5.1f}")
                print(f"{case:9} {kind:12} {fn.__name__:34} " + " ".join(f"{c:>13}" for c in cells))
    print("cells: rgb RMS / ink RMS")


if __name__ == "__main__":
    main()
