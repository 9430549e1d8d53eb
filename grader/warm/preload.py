"""What the warm judge imports and starts once, before it forks any run.

Everything a cold `grade submit` of the whole course would import in the judge, found by walking
the grader's judge-side packages (so a moved module is still preloaded), the libraries the hidden
suites use, and a ready zygote (which preloads the worker side: grader.worker.zygote).
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import threading

LIBRARIES = ("numpy", "torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch._dynamo",
             "matplotlib", "matplotlib.pyplot", "pandas", "PIL.Image", "scipy.stats", "pytest",
             "_pytest.main", "_pytest.python", "_pytest.runner", "click", "rich.console", "rich.table",
             "jinja2", "tomllib")
# judge-side code only: the worker side lives in the zygote; servers, batches and notebooks
# never run in a warm judge
SKIPPED = ("grader.worker", "grader.warm", "grader.serve", "grader.batch", "grader.release",
           "grader.notebooks.nbgrader_export")


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - an optional library; the run imports what it needs
        print(f"preload: {name}: {type(exc).__name__}: {exc}", file=sys.stderr)


def grader_modules() -> list[str]:
    import grader

    names = []
    for info in pkgutil.walk_packages(grader.__path__, "grader."):
        if not info.name.startswith(SKIPPED) and not info.name.endswith("__main__"):
            names.append(info.name)
    return names


def preload() -> None:
    """Import, start the zygote and read the course; leave no thread running (it forks next)."""
    import matplotlib

    matplotlib.use("Agg")
    from grader.spawner import spawner

    spawner().start(plots=True)  # its start-up overlaps the imports below
    for name in LIBRARIES:
        _import(name)
    import torch

    torch.set_num_threads(1)  # as the cold judge (grader.harness.plugin)
    for name in grader_modules():
        _import(name)
    from grader.manifest import load_course

    load_course()
    spawner().connection().close()  # waits until the zygote is ready
    gc.collect()
    gc.freeze()  # the forks' collections skip everything imported here (and leave its pages shared)
    if threading.active_count() != 1:
        print(f"preload: {threading.active_count() - 1} thread(s) still running before fork", file=sys.stderr)
