"""Run tests/grader/sandbox_cli.py as this user (root in CI) or as the ordinary user
`gradeuser` (scripts/setup.sh creates it and its venv), always inside a PID namespace of its
own: whatever a hostile submission signals, only the experiment's processes can be hit."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.paths import course_root

USER = "gradeuser"
VENV_PYTHON = Path(os.environ.get("GRADE_USER_VENV", "/opt/dlviz-grader/venv")) / "bin" / "python"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
COPIED = ("grader", "course", "solutions", "tests", "exercises", "pyproject.toml")
_COPY: dict[str, Path] = {}


def _user_ready() -> str:
    """"" when the ordinary-user runs are possible here, else why not."""
    if os.geteuid() != 0:
        return "needs root to switch to the ordinary user"
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return f"no user {USER} (run scripts/setup.sh as root)"
    if not VENV_PYTHON.exists():
        return f"no venv at {VENV_PYTHON} (run scripts/setup.sh as root)"
    return ""


MODES = [pytest.param("root", id="as-root"),
         pytest.param("user", id="as-user", marks=pytest.mark.skipif(bool(_user_ready()), reason=_user_ready() or "-"))]


def _readable_repo() -> Path:
    """The course checkout if the user can read it, else a world-readable copy of it."""
    root = course_root()
    probe = subprocess.run(["runuser", "-u", USER, "--", "test", "-r", str(root / "grader" / "__init__.py")])
    if probe.returncode == 0:
        return root
    if "copy" not in _COPY:
        dest = Path(tempfile.mkdtemp(prefix="sandbox-repo-"))
        for name in COPIED:
            src = root / name
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.exists():
                shutil.copy(src, dest / name)
        subprocess.run(["chmod", "-R", "a+rX", str(dest)], check=True)
        os.chmod(dest, 0o755)
        _COPY["copy"] = dest
    return _COPY["copy"]


def workdir(mode: str) -> Path:
    """A fresh folder the experiment's user owns."""
    path = Path(tempfile.mkdtemp(prefix="sandbox-test-"))
    if mode == "user":
        entry = pwd.getpwnam(USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


def chown_tree(path: Path, mode: str) -> None:
    if mode == "user":
        subprocess.run(["chown", "-R", f"{USER}:{USER}", str(path)], check=True)


def run(mode: str, args: dict, timeout: float = 600) -> dict:
    """Run the experiment; its JSON findings."""
    if os.geteuid() == 0:
        wrap = ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc"]
    else:
        wrap = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc"]
    if mode == "user":
        repo = _readable_repo()
        env = ["env", "-i", f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}", f"HOME=/home/{USER}",
               f"PYTHONPATH={repo}", f"GRADE_COURSE_ROOT={repo}", f"TMPDIR={args['work']}", "LANG=C.UTF-8"]
        cmd = [*wrap, "runuser", "-u", USER, "--", *env, str(VENV_PYTHON)]
    else:
        repo = course_root()
        cmd = [*wrap, "env", f"PYTHONPATH={repo}", f"TMPDIR={args['work']}", sys.executable]
    proc = subprocess.run([*cmd, "-m", "tests.grader.sandbox_cli", json.dumps(args)], cwd=repo,
                          capture_output=True, text=True, timeout=timeout)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise AssertionError(f"the experiment failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])
