#!/usr/bin/env bash
# Set up everything the course, the grader and its tests need, on a fresh machine.
# torch is pinned (pyproject.toml) to the CPU build that pip finds on this kind of machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# dev: test tools; server: FastAPI + uvicorn for `grade serve`; nbgrader: the interop tests (about 74 MB);
# dask: `grade batch --cluster`
python -m pip install --disable-pip-version-check -q -e '.[dev,server,nbgrader,dask]'
# An independent GIFT parser checks the Moodle quiz export in the tests. Its dependency pins
# (MarkdownSuperscript wants Markdown<3.1, which needs the removed pkg_resources) are stale,
# so it is installed without them and beside a current Markdown.
python -m pip install --disable-pip-version-check -q --no-deps pygiftparser==1.1 MarkdownSuperscript yattag
python -m pip install --disable-pip-version-check -q 'markdown>=3.5'
# Headless Chromium renders the HTML feedback pages in the tests (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "note: chromium could not be installed; the page-rendering tests will fail" >&2
    else
        echo "note: install Debian's chromium package to run the page-rendering tests" >&2
    fi
fi
# The sandbox tests also grade as an ordinary user (tests/grader/test_sandbox_*.py): as root,
# create `gradeuser` and a venv that user can read, built from the system python (a pyenv
# python under /root is not readable by other users). Dependencies only: the tests run the
# worktree's own code through PYTHONPATH.
if [ "$(id -u)" = 0 ] && command -v useradd >/dev/null 2>&1; then
    id gradeuser >/dev/null 2>&1 || useradd -m -s /bin/bash gradeuser
    VENV="${GRADE_USER_VENV:-/opt/dlviz-grader/venv}"
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch, pytest, matplotlib, pandas" 2>/dev/null; then
        mkdir -p "$(dirname "$VENV")"
        /usr/bin/python3 -m venv "$VENV"
        "$VENV/bin/python" -m pip install --disable-pip-version-check -q "torch==2.13.0" \
            "numpy>=1.26" "matplotlib>=3.8" "pandas>=2.1" "pytest>=8" "click>=8.1" "rich>=13" \
            "jinja2>=3.1" "pillow>=10" "scipy>=1.11" "questionary>=2.0" "tomli-w>=1.0" "httpx>=0.27"
        chmod -R a+rX "$(dirname "$VENV")"
    fi
fi
python -m grader.stubgen --check
python -m grader.notebooks --check
echo "set-up done: try 'grade --help'"
