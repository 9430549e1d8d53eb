"""Pixel comparison of two rendered figures: RMS, a text mask, a three-panel diff image, and
the assert.

Both PNGs come from the same environment at grading time (the reference is rendered from
solutions/ then), so fonts and freetype cannot move the RMS. What the catalog leaves free must
not count: colours it does not name (ink mode is colour-blind), layout and size (the capture
fixes them), and text positions (legend loc, title loc, suptitle place, annotation text and so
its arrow): by default the text boxes of both figures (the descriptions' "text_boxes") are
masked out. Calibration numbers: docs/plot-checks.md.
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
BLANK_THRESHOLD = 250     # ... and blank when every channel is at least this; in between: faint
COLOR_DIFF = 60           # both ink, max channel difference above this: "colour differs"
TEXT_PAD = 2              # px added around every text box and arrow stroke (antialiasing)
MAX_MASKED = 0.3          # share of the picture the text mask of both figures may cover

_MISSING = (220, 30, 30)
_EXTRA = (40, 80, 230)
_CHANGED = (255, 150, 0)
_IGNORED = (200, 200, 200)
_HATCH = (150, 150, 150)


def _rgb(png: bytes) -> np.ndarray:
    """(H, W, 3) int16 pixels, alpha composited over white."""
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(white, im).convert("RGB"), dtype=np.int16)


def text_mask(figures, shape, pad: float = TEXT_PAD) -> np.ndarray:
    """(H, W) bool, True where some figure description of `figures` draws text: the union of
    their "text_boxes" (boxes padded by `pad` px; an arrow: its outline stroked `pad` px wider
    each side, filled where closed). Descriptions that are None or have no boxes add nothing."""
    h, w = shape[:2]
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    for fig in figures:
        for item in (fig or {}).get("text_boxes") or []:
            _draw_item(draw, item, pad)
    return np.asarray(canvas) > 0


def captures_mask(got_capture: dict, expected_capture: dict, pad: float = TEXT_PAD) -> np.ndarray:
    """text_mask of both captures' figures, the size of the expected PNG. When that would hide
    more than MAX_MASKED of the picture (text blown up over the plot, which no correct figure
    does: at most 10% measured), only the reference's text is masked."""
    width, height = Image.open(io.BytesIO(expected_capture["png"])).size
    exp_fig = expected_capture.get("figure")
    both = text_mask([got_capture.get("figure"), exp_fig], (height, width), pad)
    return both if both.mean() <= MAX_MASKED else text_mask([exp_fig], (height, width), pad)


def _draw_item(draw, item: dict, pad: float) -> None:
    if item.get("path"):
        width = max(1, int(np.ceil((item.get("width") or 1) + 2 * pad)))
        for line in item["path"]:
            points = [tuple(pt) for pt in line if None not in pt]
            if len(points) > 2 and points[0] == points[-1]:
                draw.polygon(points, fill=255)
            if len(points) > 1:
                draw.line(points, fill=255, width=width, joint="curve")
            for x, y in points[:1] + points[-1:]:  # round caps: PIL's line ends are flat
                draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2],
                             fill=255)
        return
    x0, y0, x1, y1 = item["box"]
    if None not in (x0, y0, x1, y1):
        draw.rectangle([np.floor(x0 - pad), np.floor(y0 - pad), np.ceil(x1 + pad),
                        np.ceil(y1 + pad)], fill=255)


def rms(png_a: bytes, png_b: bytes, mask: np.ndarray | None = None) -> float:
    """Root mean square difference over all RGB values (0-255); 255 when sizes differ.
    mask: (H, W) bool, pixels left out (their difference counts 0; the mean stays over all
    pixels, so a value means the same share of the picture with or without a mask)."""
    a, b = _rgb(png_a), _rgb(png_b)
    if a.shape != b.shape:
        return MAX_RMS
    sq = ((a - b).astype(np.float64) ** 2).mean(axis=2)
    if mask is not None:
        sq[mask] = 0.0
    return float(np.sqrt(np.mean(sq)))


def _darkest(rgb: np.ndarray) -> np.ndarray:
    """(H, W): each pixel's lowest channel (slices, not .min(axis=2): 5x faster on 3 channels)."""
    return np.minimum(np.minimum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])


def ink_mask(rgb: np.ndarray) -> np.ndarray:
    """(H, W) bool, True where a pixel carries ink (not near-white): the picture without its colours."""
    return _darkest(rgb) < INK_THRESHOLD


def blank_mask(rgb: np.ndarray) -> np.ndarray:
    """True where a pixel is (near) background white: no ink, not even an antialiased fringe."""
    return _darkest(rgb) >= BLANK_THRESHOLD


def _ink_differs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ink in a only, ink in b only): ink in one image, blank in the other. A faint pixel (an
    antialiased edge, lighter or darker with the line's colour) differs from neither."""
    dark_a, dark_b = _darkest(a), _darkest(b)
    ink_a, ink_b = dark_a < INK_THRESHOLD, dark_b < INK_THRESHOLD
    return ink_a & (dark_b >= BLANK_THRESHOLD), ink_b & (dark_a >= BLANK_THRESHOLD)


def ink_rms(png_a: bytes, png_b: bytes, mask: np.ndarray | None = None) -> float:
    """255 * sqrt(share of pixels that are ink in one image and blank in the other): the RMS of
    the two ink masks, colour-blind, so colours the catalog leaves free cost nothing (faint
    antialiased edges, whose inkness depends on the colour, never count). 255 when sizes
    differ. mask: (H, W) bool, pixels left out; the share stays over all pixels (5 = ~0.04% of
    the picture, ~75 px of 512 x 384, with or without a mask)."""
    a, b = _rgb(png_a), _rgb(png_b)
    if a.shape != b.shape:
        return MAX_RMS
    only_a, only_b = _ink_differs(a, b)
    differs = only_a | only_b
    if mask is not None:
        differs &= ~mask
    return float(MAX_RMS * np.sqrt(np.mean(differs)))


def distance(png_a: bytes, png_b: bytes, mode: str = "ink",
             mask: np.ndarray | None = None) -> float:
    """rms (mode "rgb": colours count) or ink_rms (mode "ink": only where ink is), outside mask."""
    if mode not in DEFAULT_TOLERANCE:
        raise ValueError(f"mode must be 'ink' or 'rgb', not {mode!r}")
    return rms(png_a, png_b, mask) if mode == "rgb" else ink_rms(png_a, png_b, mask)


def _pad(a: np.ndarray, shape) -> np.ndarray:
    out = np.full((shape[0], shape[1], 3), 255, dtype=np.int16)
    out[: a.shape[0], : a.shape[1]] = a
    return out


def _fit(mask: np.ndarray | None, shape) -> np.ndarray:
    out = np.zeros(shape[:2], dtype=bool)
    if mask is not None:
        h, w = min(mask.shape[0], shape[0]), min(mask.shape[1], shape[1])
        out[:h, :w] = mask[:h, :w]
    return out


def _overlay(exp: np.ndarray, got: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Faded agreement; red = ink missing, blue = ink extra, orange = colour differs; masked
    pixels (text, not compared) greyed with a diagonal hatch."""
    ink_e, ink_g = ink_mask(exp), ink_mask(got)
    missing, extra = _ink_differs(exp, got)
    out = (255 - (255 - exp) * 0.3).astype(np.uint8)
    compared = ~_fit(mask, exp.shape)
    out[missing & compared] = _MISSING
    out[extra & compared] = _EXTRA
    diff = np.abs(exp - got)
    changed = ink_e & ink_g & (np.maximum(np.maximum(diff[..., 0], diff[..., 1]), diff[..., 2]) > COLOR_DIFF)
    out[changed & compared] = _CHANGED
    ignored = ~compared
    out[ignored] = (out[ignored] * 0.55 + np.array(_IGNORED) * 0.45).astype(np.uint8)
    hatch = np.add.outer(np.arange(ignored.shape[0]), np.arange(ignored.shape[1])) % 6 == 0
    out[ignored & hatch] = _HATCH
    return out


def diff_image(expected_png: bytes, got_png: bytes, mask: np.ndarray | None = None) -> bytes:
    """A PNG of three panels: expected | yours | overlay (see _overlay for the colours);
    mask: the pixels left out of the comparison, shown hatched grey in the overlay."""
    exp, got = _rgb(expected_png), _rgb(got_png)
    shape = (max(exp.shape[0], got.shape[0]), max(exp.shape[1], got.shape[1]))
    exp, got = _pad(exp, shape), _pad(got, shape)
    h, w = shape
    gap, header = 8, 18
    canvas = Image.new("RGB", (3 * w + 2 * gap, h + header), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    legend = "overlay: red missing, blue extra, orange colour"
    if mask is not None and mask.any():
        legend += ", hatched: text, not compared"
    panels = [("expected", exp.astype(np.uint8)), ("yours", got.astype(np.uint8)),
              (legend, _overlay(exp, got, mask))]
    for i, (title, arr) in enumerate(panels):
        x = i * (w + gap)
        canvas.paste(Image.fromarray(arr, "RGB"), (x, header))
        draw.text((x + 4, 3), title, fill=(0, 0, 0))
    buf = io.BytesIO()
    canvas.save(buf, format="PNG", compress_level=1)  # feedback only: speed over size
    return buf.getvalue()


def _measure(got_capture: dict, expected_capture: dict, mode: str, mask_text: bool):
    """(message about a missing image or None, distance or None, mask or None)."""
    got_png, exp_png = got_capture.get("png"), expected_capture.get("png")
    if exp_png is None:
        return "the reference produced no image (a bug in the course, not your code)", None, None
    if got_png is None:
        why = "; ".join(got_capture.get("problems") or []) or "no figure returned"
        return f"no image to compare ({why})", None, None
    mask = captures_mask(got_capture, expected_capture) if mask_text else None
    return None, distance(got_png, exp_png, mode, mask), mask


def _message(name, missing, value, mode, tolerance, masked) -> str | None:
    if missing:
        return f"{name}: {missing}"
    if value <= tolerance:
        return None
    where = ", text not compared" if masked else ""
    return (f"{name}: the picture differs from the expected one ({mode} RMS {value:.1f} > "
            f"{tolerance:g}{where}); see the diff image: red = ink missing, blue = ink extra, "
            "orange = other colour")


def compare_images(got_capture: dict, expected_capture: dict, *, mode: str = "ink",
                   tolerance: float | None = None, name: str = "figure",
                   mask_text: bool = True) -> str | None:
    """The failure message, or None when the images are within tolerance. mask_text: leave the
    text of both figures (their descriptions' text_boxes) out of the distance."""
    tolerance = DEFAULT_TOLERANCE[mode] if tolerance is None else tolerance
    missing, value, _ = _measure(got_capture, expected_capture, mode, mask_text)
    return _message(name, missing, value, mode, tolerance, mask_text)


def assert_image_close(got_capture: dict, expected_capture: dict, *, mode: str = "ink",
                       tolerance: float | None = None, artifacts=None, name: str = "figure",
                       mask_text: bool = True) -> None:
    """Fail when the images differ by more than tolerance (mode "ink": where ink is, colours
    free; "rgb": colours too), text left out unless mask_text=False. The diff image is
    recorded as feedback either way."""
    tolerance = DEFAULT_TOLERANCE[mode] if tolerance is None else tolerance
    missing, value, mask = _measure(got_capture, expected_capture, mode, mask_text)
    message = _message(name, missing, value, mode, tolerance, mask_text)
    if artifacts is not None and value is not None:
        verdict = "too different" if message else "close enough"
        where = " outside text" if mask_text else ""
        caption = (f"{name}: expected | yours | overlay ({mode} RMS{where} {value:.2f}, "
                   f"tolerance {tolerance:g}: {verdict})")
        artifacts.add(name, diff_image(expected_capture["png"], got_capture["png"], mask),
                      caption)
    if message:
        pytest.fail(message, pytrace=False)
