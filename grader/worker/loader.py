"""Import the submission's topic modules from its folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from grader.worker import failures


class LoadError(Exception):
    """A module that cannot be used; `reply` is the failure reply for the judge."""

    def __init__(self, reply: dict):
        super().__init__(reply["message"])
        self.reply = reply


class Loader:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.modules: dict[str, object] = {}
        self.failed: dict[str, dict] = {}
        sys.path.insert(0, str(self.root))

    def module(self, name: str):
        """The student's module `name`, imported once; LoadError when it cannot be."""
        if name in self.modules:
            return self.modules[name]
        if name in self.failed:
            raise LoadError(self.failed[name])
        path = self.root / f"{name}.py"
        if not path.is_file():
            self.failed[name] = {"kind": "missing", "message": f"{name}.py is missing from the submission folder"}
            raise LoadError(self.failed[name])
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            spec.loader.exec_module(mod)
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            sys.modules.pop(name, None)
            self.failed[name] = failures.import_failure(exc, name, path, self.root)
            raise LoadError(self.failed[name]) from None
        self.modules[name] = mod
        return mod

    def attr(self, module: str, name: str):
        mod = self.module(module)
        try:
            return getattr(mod, name)
        except AttributeError:
            raise LoadError({"kind": "missing", "message": f"{module}.py has no {name} (check the name and that it is defined at the top level)"}) from None
        except BaseException as exc:  # noqa: BLE001 - a module __getattr__ may raise
            raise LoadError(failures.describe(exc, f"{module}.{name}", self.root)) from None
