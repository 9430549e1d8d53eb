"""Pixel comparison of two rendered figures: RMS, a three-panel diff image, and the assert.

Both PNGs come from the same environment at grading time (the reference is rendered from
solutions/ then), so fonts and freetype cannot move the RMS; the tolerance only has to absorb
what the catalog leaves free. Calibration numbers: docs/plot-checks.md.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

# RMS above which the images differ, per mode; calibration in docs/plot-checks.md.
DEFAULT_TOLERANCE = {"ink": 5.0, "rgb": 5.0}
MAX_RMS = 255.0
INK_THRESHOLD = 235       # a pixel is ink when some channel is below this (background is white)
COLOR_DIFF = 60           # both ink, max channel difference above this: "colour differs"

_MISSING = (220, 30, 30)
_EXTRA = (40, 80, 230)
_CHANGED = (255, 150, 0)


def _rgb(png: bytes) -> np.ndarray:
    """(H, W, 3) int16 pixels, alpha composited over white."""
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, im).convert("RGB"), dtype=np.int16)


def rms(png_a: bytes, png_b: bytes) -> float:
    """Root mean square difference over all RGB values (0-255); 255 when sizes differ."""
    a, b = _rgb(png_a), _rgb(png_b)
    if a.shape != b.shape:
        return MAX_RMS
    return float(np.sqrt(np.mean((a - b).astype(np.float64) ** 2)))


def ink_mask(rgb: np.ndarray) -> np.ndarray:
    """255 where a pixel carries ink (not near-white), else 0: the picture without its colours."""
    return np.where(rgb.min(axis=2) < INK_THRESHOLD, 255.0, 0.0)


def ink_rms(png_a: bytes, png_b: bytes) -> float:
    """RMS of the two ink masks: 255 * sqrt(share of pixels inked in one image only); colour-blind,
    so colours the catalog leaves free cost nothing. 255 when sizes differ."""
    a, b = _rgb(png_a), _rgb(png_b)
    if a.shape != b.shape:
        return MAX_RMS
    return float(np.sqrt(np.mean((ink_mask(a) - ink_mask(b)) ** 2)))


def distance(png_a: bytes, png_b: bytes, mode: str = "ink") -> float:
    """rms (mode "rgb": colours count) or ink_rms (mode "ink": only where ink is)."""
    if mode not in DEFAULT_TOLERANCE:
        raise ValueError(f"mode must be 'ink' or 'rgb', not {mode!r}")
    return rms(png_a, png_b) if mode == "rgb" else ink_rms(png_a, png_b)


def _pad(a: np.ndarray, shape) -> np.ndarray:
    out = np.full((shape[0], shape[1], 3), 255, dtype=np.int16)
    out[: a.shape[0], : a.shape[1]] = a
    return out


def _overlay(exp: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Faded agreement; red = ink missing, blue = ink extra, orange = colour differs."""
    ink_e, ink_g = ink_mask(exp) > 0, ink_mask(got) > 0
    out = (255 - (255 - exp) * 0.3).astype(np.uint8)
    out[ink_e & ~ink_g] = _MISSING
    out[ink_g & ~ink_e] = _EXTRA
    changed = ink_e & ink_g & (np.abs(exp - got).max(axis=2) > COLOR_DIFF)
    out[changed] = _CHANGED
    return out


def diff_image(expected_png: bytes, got_png: bytes) -> bytes:
    """A PNG of three panels: expected | yours | overlay (see _overlay for the colours)."""
    exp, got = _rgb(expected_png), _rgb(got_png)
    shape = (max(exp.shape[0], got.shape[0]), max(exp.shape[1], got.shape[1]))
    exp, got = _pad(exp, shape), _pad(got, shape)
    h, w = shape
    gap, header = 8, 18
    canvas = Image.new("RGB", (3 * w + 2 * gap, h + header), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    panels = [("expected", exp.astype(np.uint8)), ("yours", got.astype(np.uint8)),
              ("overlay: red missing, blue extra, orange colour", _overlay(exp, got))]
    for i, (title, arr) in enumerate(panels):
        x = i * (w + gap)
        canvas.paste(Image.fromarray(arr, "RGB"), (x, header))
        draw.text((x + 4, 3), title, fill=(0, 0, 0))
    buf = io.BytesIO()
    canvas.save(buf, format="PNG")
    return buf.getvalue()


def compare_images(got_capture: dict, expected_capture: dict, *, mode: str = "ink",
                   tolerance: float | None = None, name: str = "figure") -> str | None:
    """The failure message, or None when the images are within tolerance."""
    tolerance = DEFAULT_TOLERANCE[mode] if tolerance is None else tolerance
    got_png, exp_png = got_capture.get("png"), expected_capture.get("png")
    if exp_png is None:
        return f"{name}: the reference produced no image (a bug in the course, not your code)"
    if got_png is None:
        why = "; ".join(got_capture.get("problems") or []) or "no figure returned"
        return f"{name}: no image to compare ({why})"
    value = distance(got_png, exp_png, mode)
    if value > tolerance:
        return (f"{name}: the picture differs from the expected one (RMS {value:.1f} > "
                f"{tolerance:g}); see the diff image: red = ink missing, blue = ink extra, "
                "orange = other colour")
    return None


def assert_image_close(got_capture: dict, expected_capture: dict, *, mode: str = "ink",
                       tolerance: float | None = None, artifacts=None,
                       name: str = "figure") -> None:
    """Fail when the images differ by more than tolerance (mode "ink": where ink is, colours
    free; "rgb": colours too). The diff image is recorded as feedback either way."""
    tolerance = DEFAULT_TOLERANCE[mode] if tolerance is None else tolerance
    message = compare_images(got_capture, expected_capture, mode=mode, tolerance=tolerance,
                             name=name)
    got_png, exp_png = got_capture.get("png"), expected_capture.get("png")
    if artifacts is not None and got_png is not None and exp_png is not None:
        value = distance(got_png, exp_png, mode)
        verdict = "too different" if message else "close enough"
        caption = (f"{name}: expected | yours | overlay ({mode} RMS {value:.2f}, "
                   f"tolerance {tolerance:g}: {verdict})")
        artifacts.add(name, diff_image(exp_png, got_png), caption)
    if message:
        pytest.fail(message, pytrace=False)
