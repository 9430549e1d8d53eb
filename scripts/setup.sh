#!/usr/bin/env bash
# Set up everything the course, the grader and its tests need, on a fresh machine.
# torch is pinned (pyproject.toml) to the CPU build that pip finds on this kind of machine.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --disable-pip-version-check -q -e '.[dev,dask]'
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
python -m grader.stubgen --check
echo "set-up done: try 'grade --help'"
