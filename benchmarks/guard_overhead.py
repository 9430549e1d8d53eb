"""Print what the forbidden-call guard costs per call of a solution (in one process, as the
worker runs it: guards installed, begin()/end() around each call).

    python benchmarks/guard_overhead.py [--repeat 200]

Figures: median wall time per call of solutions.convolution.conv2d / max_pool2d and of an
Adam / Momentum step from solutions.optimizers, without a guard, with the exercise's forbidden
names active (operator modes entered), and the overhead in per cent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _time(fn, repeat: int, forbidden=None) -> float:
    from grader.worker import guards

    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        if forbidden is not None:
            guards.begin(forbidden)
        try:
            fn()
        finally:
            if forbidden is not None:
                guards.end()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _cases():
    import torch

    sys.path.insert(0, str(ROOT / "solutions"))
    import convolution
    import optimizers

    x, w = torch.randn(4, 3, 32, 32), torch.randn(8, 3, 3, 3)

    def step(cls, **kw):
        params = [torch.nn.Parameter(torch.randn(64, 64)) for _ in range(4)]
        opt = cls(params, lr=1e-2, **kw)
        for p in params:
            p.grad = torch.randn_like(p)
        return lambda: opt.step()

    return [("convolution.conv2d", lambda: convolution.conv2d(x, w, padding=1)),
            ("convolution.max_pool2d", lambda: convolution.max_pool2d(x, 2)),
            ("optimizers.Adam step", step(optimizers.Adam)),
            ("optimizers.Momentum step", step(optimizers.Momentum))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    import torch

    from grader.manifest import load_course
    from grader.worker import guards

    torch.set_num_threads(1)
    course = load_course(ROOT)
    names = [f for t in course.topics for f in t.forbidden]
    guards.install(names)
    forbidden = {e.task_id: e.forbidden for t in course.topics for e in t.exercises}
    forbidden["optimizers.Adam step"] = forbidden["optimizers.Adam"]
    forbidden["optimizers.Momentum step"] = forbidden["optimizers.Momentum"]
    for label, fn in _cases():
        fn()
        plain = _time(fn, args.repeat)
        guarded = _time(fn, args.repeat, forbidden[label])
        print(f"{label}: {plain * 1e6:.0f} us unguarded, {guarded * 1e6:.0f} us guarded "
              f"({(guarded / plain - 1) * 100:+.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
