"""python -m grader.notebooks [--check]: rewrite notebooks/ from exercises/ (or check it)."""

from __future__ import annotations

import argparse
import sys

from grader.notebooks.build import stale, write_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when notebooks/ is out of date")
    args = parser.parse_args()
    if args.check:
        old = stale()
        for path in old:
            print(f"stale: {path} (run `python -m grader.notebooks`)", file=sys.stderr)
        return 1 if old else 0
    for path in write_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
