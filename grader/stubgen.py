"""Generate exercises/<topic>.py from solutions/<topic>.py.

Every block between `# BEGIN SOLUTION` and `# END SOLUTION` becomes
`raise NotImplementedError("<topic>.<name>: ...")`, indented like the block, where <name>
is the top-level function or class it sits in (the task id of the exercise).

    python -m grader.stubgen          # rewrite exercises/
    python -m grader.stubgen --check  # exit 1 when exercises/ is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from grader.errors import GradeError

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
TOP_LEVEL = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)")


def make_stub(source: str, topic: str) -> str:
    """The stub text for one solution module."""
    out, owner, inside = [], None, False
    for number, line in enumerate(source.splitlines(), 1):
        match = TOP_LEVEL.match(line)
        if match:
            owner = match.group(1)
        stripped = line.strip()
        if stripped == BEGIN:
            if inside or owner is None:
                raise GradeError(f"solutions/{topic}.py:{number}: {BEGIN} outside a function or nested")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{topic}.{owner}: fill in this part")')
        elif stripped == END:
            if not inside:
                raise GradeError(f"solutions/{topic}.py:{number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise GradeError(f"solutions/{topic}.py: {BEGIN} is never closed")
    return "\n".join(out) + "\n"


def expected_stubs(root: Path) -> dict[Path, str]:
    """exercises/<topic>.py -> text, for every solutions/<topic>.py."""
    return {
        root / "exercises" / src.name: make_stub(src.read_text(encoding="utf-8"), src.stem)
        for src in sorted((root / "solutions").glob("*.py"))
        if not src.name.startswith("_")
    }


def stale(root: Path) -> list[Path]:
    """The stub files that are missing or differ from what the generator makes."""
    return [p for p, text in expected_stubs(root).items() if not p.is_file() or p.read_text(encoding="utf-8") != text]


def write(root: Path) -> list[Path]:
    changed = stale(root)
    for path, text in expected_stubs(root).items():
        if path in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed


def main(argv=None) -> int:
    from grader.paths import course_root

    parser = argparse.ArgumentParser(prog="python -m grader.stubgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale stubs; exit 1 if any")
    args = parser.parse_args(argv)
    root = course_root()
    try:
        changed = stale(root) if args.check else write(root)
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in changed:
        print(("stale: " if args.check else "wrote: ") + str(path.relative_to(root)))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
