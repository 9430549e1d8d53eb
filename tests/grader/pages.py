"""Pages seen as a person sees them: headless Chromium screenshots for the tests."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--window-size=1200,1800")
DATA_PNG = re.compile(r'src="data:image/png;base64,([^"]+)"')


def screenshot(page: Path, tmp: Path) -> Image.Image:
    """Open `page` in headless Chromium, take a screenshot, fail on any console message."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (/usr/bin/chromium); install: apt-get update && apt-get install -y chromium")
    shot = tmp / f"{page.stem}.png"
    cmd = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'chromium-profile'}", f"--screenshot={shot}",
           page.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ":CONSOLE" not in proc.stderr, proc.stderr[-2000:]
    image = Image.open(shot)
    image.load()
    assert image.size[0] >= 800 and len(image.convert("L").getcolors(1 << 16) or ()) > 2, "blank screenshot"
    return image


def embedded_pngs(page: Path) -> list[Image.Image]:
    """Every data: image of the page, decoded by PIL (fails if one is not a real PNG)."""
    images = []
    for data in DATA_PNG.findall(page.read_text(encoding="utf-8")):
        image = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
        assert image.format == "PNG"
        image.load()
        images.append(image)
    return images
