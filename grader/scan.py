"""The judge's look at a submission's source: names no solution needs.

Everything inside the student's process can be tampered with (the forbidden-call guards, the
reply pipe), so the judge also reads the submitted files and notes uses of what only an
attack needs: torch's private entry points (torch._C, torch.ops, torch._VF, the mode stacks),
the originals behind wrappers (__wrapped__, __closure__, __globals__, ...), ctypes, raw file
descriptors (os.write, /proc/self/fd), new processes (os.fork, posix_spawn, subprocess),
signals, the interpreter's own tables (sys.modules, gc.get_objects, frames) and the grader's
modules. The note is for the instructor; the score is still what the tests give.

The source is parsed (ast): a name in a comment or a docstring is not a use. A file that does
not parse is not noted here (its import fails and the tests say so).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# dotted names (and everything below them) -> why no solution needs them
NAMES: dict[str, str] = {
    "torch._C": "torch's private C entry points",
    "torch.ops": "calls library operators directly",
    "torch._ops": "calls library operators directly",
    "torch._VF": "torch's private RNN and functional entry points",
    "torch.overrides": "torch-function modes (the forbidden-call guard)",
    "torch.utils._python_dispatch": "dispatch modes (the forbidden-call guard)",
    "torch._dispatch": "dispatch internals",
    "torch.library": "registers or replaces library operators",
    "ctypes": "calls C functions directly",
    "_ctypes": "calls C functions directly",
    "cffi": "calls C functions directly",
    "os.write": "writes to raw file descriptors",
    "os.writev": "writes to raw file descriptors",
    "os.pwrite": "writes to raw file descriptors",
    "os.dup": "duplicates file descriptors",
    "os.dup2": "duplicates file descriptors",
    "os.fdopen": "opens raw file descriptors",
    "os.fork": "starts processes",
    "os.forkpty": "starts processes",
    "os.posix_spawn": "starts processes",
    "os.posix_spawnp": "starts processes",
    "os.system": "starts processes",
    "os.popen": "starts processes",
    "os.kill": "signals processes",
    "os.killpg": "signals processes",
    "os.setsid": "detaches from the grader's process group",
    "subprocess": "starts processes",
    "multiprocessing": "starts processes",
    "pty": "starts processes",
    "signal": "signals processes",
    "socket": "opens sockets",
    "_thread": "starts threads",
    "threading": "starts threads",
    "sys.modules": "tampers with imported modules",
    "sys._getframe": "reads other frames",
    "sys.settrace": "traces the interpreter",
    "sys.setprofile": "traces the interpreter",
    "gc.get_objects": "reaches every object of the process",
    "gc.get_referrers": "reaches every object of the process",
    "gc.get_referents": "reaches every object of the process",
    "importlib": "imports modules by computed names",
    "builtins": "replaces built-in functions",
    "grader": "the grader's own modules",
}
NAMES.update({f"os.{n}": "starts processes" for n in ("execv", "execve", "execvp", "execl", "execlp", "spawnv",
                                                         "spawnl", "spawnve", "spawnvp")})

# attributes whose use anywhere reaches what a guard hides
ATTRIBUTES: dict[str, str] = {
    "__wrapped__": "unwraps a guarded function",
    "__closure__": "reads a function's hidden state",
    "cell_contents": "reads a function's hidden state",
    "__globals__": "reads a function's module state",
    "__code__": "reads or replaces a function's code",
    "__builtins__": "replaces built-in functions",
    "__subclasses__": "walks the class hierarchy",
    "f_globals": "reads other frames",
    "f_locals": "reads other frames",
    "f_back": "reads other frames",
    "tb_frame": "reads other frames",
}

CALLS = {"__import__": "imports modules by computed names", "exec": "runs code built at run time",
         "eval": "runs code built at run time", "compile": "builds code at run time"}
PATHS = ("/proc", "/dev/fd", "/dev/shm", "/sys/")


@dataclass(frozen=True)
class Finding:
    """One suspicious use: file name, line, the name used and why no solution needs it."""

    file: str
    line: int
    name: str
    why: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.name} ({self.why})"


def _known(dotted: str) -> tuple[str, str] | None:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in NAMES:
            return head, NAMES[head]
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, file: str):
        self.file, self.found, self.aliases = file, [], {}

    def note(self, node, name: str, why: str) -> None:
        self.found.append(Finding(self.file, getattr(node, "lineno", 0), name, why))

    def dotted(self, node) -> str | None:
        """The dotted name an expression spells, with import aliases resolved."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def check(self, node, dotted: str | None) -> None:
        hit = _known(dotted) if dotted else None
        if hit is not None:
            self.note(node, *hit)

    def visit_Import(self, node):
        for a in node.names:
            self.aliases[(a.asname or a.name).split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            self.check(node, a.name)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        self.check(node, module)
        for a in node.names:
            full = f"{module}.{a.name}" if module else a.name
            self.aliases[a.asname or a.name] = full
            if _known(module) is None:
                self.check(node, full)

    def visit_Attribute(self, node):
        if node.attr in ATTRIBUTES:
            self.note(node, node.attr, ATTRIBUTES[node.attr])
        if not isinstance(node.value, (ast.Name, ast.Attribute)) or _known(self.dotted(node.value) or "") is None:
            self.check(node, self.dotted(node))
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in CALLS or node.id == "__builtins__":
            self.note(node, node.id, CALLS.get(node.id) or ATTRIBUTES["__builtins__"])

    def visit_Call(self, node):
        name = self.dotted(node.func)
        if name in ("getattr", "setattr", "delattr", "hasattr") and len(node.args) >= 2:
            attr = node.args[1]
            if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                base = self.dotted(node.args[0])
                if attr.value in ATTRIBUTES:
                    self.note(node, attr.value, ATTRIBUTES[attr.value])
                elif base:
                    self.check(node, f"{base}.{attr.value}")
        if name == "open" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, int):
            self.note(node, "open(<file descriptor>)", "writes to raw file descriptors")
        self.generic_visit(node)

    def visit_Expr(self, node):
        if isinstance(node.value, ast.Constant):
            return  # a docstring or a bare string: not a use
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and node.value.startswith(PATHS):
            self.note(node, repr(node.value[:40]), "reads the process's or the machine's internals")


def scan_source(text: str, file: str) -> list[Finding]:
    """The suspicious uses in one file's source (each name once per line)."""
    try:
        tree = ast.parse(text, filename=file)
    except (SyntaxError, ValueError):
        return []
    visitor = _Visitor(file)
    visitor.visit(tree)
    return list(dict.fromkeys(visitor.found))


def scan_submission(folder: Path, modules) -> list[Finding]:
    """The suspicious uses in `folder`/<module>.py for each module name (missing files skipped)."""
    found: list[Finding] = []
    for module in modules:
        path = Path(folder) / f"{module}.py"
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found += scan_source(text, path.name)
    return found
