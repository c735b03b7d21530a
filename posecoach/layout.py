"""Where the overlay puts its texts on a picture of any shape, as plain boxes in pixels.

Sizes come from the picture's shorter side, so a portrait phone video gets the proportions of a landscape
webcam. The person's box (from the landmarks) is kept clear: the cue goes into the free band above or
below the body in at most two lines, the timer ring into a free corner, and a text that does not fit
shrinks, wraps or is shortened rather than running off the picture. Everything here is pure arithmetic on
sizes (OpenCV only measures text), so tests can check the boxes without looking at pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

FONT = 2  # cv2.FONT_HERSHEY_DUPLEX, named here so that importing this module does not import OpenCV
#: The shorter side of the picture the sizes were designed on.
DESIGN_SHORT_SIDE = 480.0
#: The cue shrinks down to this share of its full size before it is shortened.
CUE_MIN_SHARE = 0.5
CUE_MAX_LINES = 2
ELLIPSIS = "..."

Band = Literal["above", "below"]
Corner = Literal["top-right", "top-left", "bottom-right", "bottom-left"]
CORNERS: tuple[Corner, ...] = ("top-right", "top-left", "bottom-right", "bottom-left")


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in pixels: x0, y0 inclusive, x1, y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def intersects(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def overlap(self, other: Box) -> int:
        """The area both boxes cover, in pixels."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0, w) * max(0, h)

    def union(self, other: Box | None) -> Box:
        if other is None:
            return self
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def clipped(self, size: tuple[int, int]) -> Box:
        return Box(max(0, self.x0), max(0, self.y0), min(size[0], self.x1), min(size[1], self.y1))

    def inside(self, size: tuple[int, int]) -> bool:
        """Whether the box lies within a picture of `size` (width, height)."""
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= size[0] and self.y1 <= size[1]


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text as drawn: `origin` is the baseline's left end (what cv2.putText takes); `box`
    holds the glyphs, descenders included."""

    role: str
    text: str
    origin: tuple[int, int]
    scale: float
    thickness: int
    box: Box


@dataclass(frozen=True, slots=True)
class Ring:
    """The hold-timer ring: its centre, radius, the disc behind it (`box`) and the seconds text."""

    corner: Corner
    centre: tuple[int, int]
    radius: int
    box: Box
    text: Text


@dataclass(frozen=True, slots=True)
class Cue:
    """The cue's strip across the picture and its one or two lines."""

    band: Band
    box: Box
    lines: tuple[Text, ...]
    #: True only when no band above or below the person had room (the person fills the picture).
    covers_person: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """Where every text of one frame goes."""

    size: tuple[int, int]
    unit: float
    #: The person's landmarks' box with the skeleton's width around it; None when nobody is seen.
    person: Box | None
    #: Everything drawn on the body (the person, the key angle's arc, the torso line): what the cue and the
    #: ring keep clear of.
    figure: Box | None
    bar: Box
    bar_texts: tuple[Text, ...]
    ring: Ring | None = None
    cue: Cue | None = None
    labels: tuple[Text, ...] = ()

    def text_boxes(self) -> dict[str, Box]:
        """Every text's box by role ("title", "side", "reps", "ring", "cue", "angle", "lean")."""
        boxes = {t.role: t.box for t in self.bar_texts}
        if self.ring is not None:
            boxes["ring"] = self.ring.box
        if self.cue is not None:
            boxes["cue"] = self.cue.box
        boxes.update({t.role: t.box for t in self.labels})
        return boxes

    def panels(self) -> list[Box]:
        """The boxes drawn over the picture as panels: the bar, the ring's disc, the cue's strip."""
        return [self.bar] + ([self.ring.box] if self.ring else []) + ([self.cue.box] if self.cue else [])


def unit_of(size: tuple[int, int]) -> float:
    """The overlay's size unit for a picture: 1 on a 480-pixel short side."""
    return max(min(size) / DESIGN_SHORT_SIDE, 0.5)


def thickness_for(scale: float) -> int:
    """Stroke width that keeps Hershey text crisp at `scale`."""
    return max(1, int(round(scale * 1.6)))


def measure(text: str, scale: float, thickness: int) -> tuple[int, int, int]:
    """(width, height above the baseline, depth below it) of `text` in pixels."""
    import cv2

    (w, h), base = cv2.getTextSize(text, FONT, scale, thickness)
    return int(w), int(h), int(base)


def _text(role: str, text: str, x: int, baseline: int, scale: float, thickness: int) -> Text:
    w, h, base = measure(text, scale, thickness)
    return Text(role, text, (x, baseline), scale, thickness, Box(x, baseline - h, x + w, baseline + base))


def shorten(text: str, width: int, scale: float, thickness: int) -> str:
    """`text`, cut at a word (or, for one long word, a letter) and ended with "..." to fit `width`."""
    if measure(text, scale, thickness)[0] <= width:
        return text
    words = text.split()
    for count in range(len(words) - 1, 0, -1):
        trial = " ".join(words[:count]).rstrip(",.:;") + ELLIPSIS
        if measure(trial, scale, thickness)[0] <= width:
            return trial
    for count in range(len(text) - 1, 0, -1):
        trial = text[:count].rstrip() + ELLIPSIS
        if measure(trial, scale, thickness)[0] <= width:
            return trial
    return ELLIPSIS


def wrap(text: str, width: int, scale: float, thickness: int) -> list[str]:
    """Words of `text` in lines no wider than `width` pixels (a single long word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and measure(trial, scale, thickness)[0] <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def person_box(points: np.ndarray, seen: np.ndarray, size: tuple[int, int], pad: int) -> Box | None:
    """The box of the landmarks drawn (`points` (33, 2) pixels, `seen` (33,) bool), `pad` pixels wider on
    each side and clipped to the picture; None when too few landmarks are seen to tell."""
    chosen = points[seen & np.all(np.isfinite(points), axis=1)]
    if len(chosen) < 4:
        return None
    w, h = size
    x0, y0 = np.floor(chosen.min(axis=0)).astype(int) - pad
    x1, y1 = np.ceil(chosen.max(axis=0)).astype(int) + pad + 1
    return Box(max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1)))


def picture_crop(layout: Layout) -> Box:
    """The part of the picture worth a still of the moment: the person and what is drawn on them with a
    margin, at least a third of the picture each way, without the top bar and the cue's strip. The whole
    picture below the bar when nobody is seen."""
    w, h = layout.size
    top = layout.bar.y1
    bottom = h
    cue = layout.cue
    if cue is not None and not cue.covers_person:
        if cue.band == "below":
            bottom = cue.box.y0
        else:
            top = cue.box.y1
    figure = layout.figure
    if figure is None:
        return Box(0, top, w, bottom)
    pad_x = max(figure.width // 5, (w // 3 - figure.width) // 2, 0)
    pad_y = max(figure.height // 5, (h // 3 - figure.height) // 2, 0)
    return Box(max(0, figure.x0 - pad_x), max(top, figure.y0 - pad_y), min(w, figure.x1 + pad_x),
               min(bottom, figure.y1 + pad_y))


# --- the top bar ---------------------------------------------------------------------------------------
def top_bar(size: tuple[int, int], unit: float, title: str, status: Sequence[tuple[str, str]]) -> tuple[Box, tuple[Text, ...]]:
    """The bar across the top: `title` on the left and the `status` items (role, text), such as the side
    and the reps, on the right; on a picture too narrow for one row the status goes on a second row, and a
    title too long for the width is set smaller, then shortened."""
    w, _ = size
    scale = 0.6 * unit
    thickness = max(1, int(round(unit)))
    pad = int(round(10 * unit))
    gap = int(round(18 * unit))
    avail = max(1, w - 2 * pad)
    _, cap, depth = measure("Ag", scale, thickness)
    row = cap + depth + int(round(14 * unit))
    items = [(role, text) for role, text in status if text]
    widths = [measure(text, scale, thickness)[0] for _, text in items]
    status_w = sum(widths) + gap * max(0, len(items) - 1)
    title_w = measure(title, scale, thickness)[0]
    one_row = title_w + (gap + status_w if items else 0) <= avail
    title_scale = scale
    if not one_row and title_w > avail:
        title_scale = max(scale * 0.8, scale * avail / title_w)
        title = shorten(title, avail, title_scale, thickness)
    rows = 1 if one_row or not items else 2
    baseline = int(round(row * 0.5 + cap * 0.5))
    texts = [_text("title", title, pad, baseline, title_scale, thickness)]
    if items:
        status_baseline = baseline if rows == 1 else baseline + row
        if status_w > avail:  # only on a picture narrower than a few words
            factor = avail / status_w
            scale, widths = scale * factor, [int(x * factor) for x in widths]
            status_w = avail
        x = w - pad - status_w if rows == 1 else pad
        for (role, text), width in zip(items, widths):
            texts.append(_text(role, text, x, status_baseline, scale, thickness))
            x += width + gap
    return Box(0, 0, w, rows * row), tuple(texts)


# --- the cue -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CueBlock:
    lines: tuple[str, ...]
    scale: float
    thickness: int
    line_h: int
    height: int


def cue_blocks(text: str, width: int, unit: float) -> Iterable[CueBlock]:
    """The cue set at falling sizes, each in at most two lines (the last, smallest one shortened if need be)."""
    full = 0.95 * unit
    scale = full
    while True:
        thickness = max(1, int(round(2 * scale / 0.95)))
        lines = wrap(text, width, scale, thickness)
        smallest = scale * 0.93 < full * CUE_MIN_SHARE
        if len(lines) > CUE_MAX_LINES and smallest:
            rest = " ".join(lines[CUE_MAX_LINES - 1:])
            lines = lines[: CUE_MAX_LINES - 1] + [shorten(rest, width, scale, thickness)]
        if len(lines) <= CUE_MAX_LINES:
            _, cap, depth = measure("Ag", scale, thickness)
            line_h = cap + depth + int(round(8 * unit))
            yield CueBlock(tuple(lines), scale, thickness, line_h, line_h * len(lines) + int(round(12 * unit)))
        if smallest:
            return
        scale *= 0.93


def cue_width(size: tuple[int, int], unit: float) -> int:
    """How wide the cue's lines may be on a picture of `size`."""
    return max(1, size[0] - int(round(18 * unit)) - int(round(12 * unit)))


def cue_strip(
    size: tuple[int, int],
    unit: float,
    text: str,
    person: Box | None,
    top: int,
    previous: Band | None = None,
    blocks: Sequence[CueBlock] | None = None,
) -> Cue:
    """The cue in the free band below the person, or above it (under the bar, whose bottom is `top`).

    The band used last (`previous`) is kept while the cue fits there, so that it does not jump between
    frames; otherwise the band where it fits largest wins, below first. `blocks` are the cue's
    `cue_blocks` when already known (they depend only on the text, the width and the unit).
    """
    w, h = size
    indent = int(round(18 * unit))
    width = cue_width(size, unit)
    free: dict[Band, int] = {
        "below": h - (person.y1 if person else top),
        "above": (person.y0 if person else h) - top,
    }
    blocks = list(blocks if blocks is not None else cue_blocks(text, width, unit))
    order: list[Band] = ["below", "above"]
    if previous is not None:
        order.remove(previous)
        order.insert(0, previous)
    best: tuple[Band, CueBlock] | None = None
    if previous is not None:
        fitting = [b for b in blocks if b.height <= free[previous]]
        if fitting:
            best = (previous, fitting[0])
    if best is None:
        for block in blocks:  # largest first
            band = next((b for b in order if block.height <= free[b]), None)
            if band is not None:
                best = (band, block)
                break
    covers = best is None
    if best is None:
        best = (max(order, key=lambda b: free[b]), blocks[-1])
    band, block = best
    y0 = h - block.height if band == "below" else top
    box = Box(0, max(0, y0), w, min(h, y0 + block.height))
    _, cap, _ = measure("Ag", block.scale, block.thickness)
    lines = tuple(
        _text("cue", line, indent, y0 + int(round(8 * unit)) + cap + i * block.line_h, block.scale, block.thickness)
        for i, line in enumerate(block.lines)
    )
    return Cue(band, box, lines, covers)


# --- the ring ------------------------------------------------------------------------------------------
def ring_place(
    size: tuple[int, int],
    unit: float,
    text: str,
    keep_clear: Sequence[Box],
    person: Box | None,
    top: int,
    bottom: int,
    previous: Corner | None = None,
) -> Ring:
    """The timer ring in the first free corner between `top` and `bottom` (the bar's and the cue's edges):
    the corner used last first, then top right, top left, bottom right, bottom left. A corner is free when
    the ring's disc touches neither the person nor any box in `keep_clear`; with none free, the corner
    where it hides least of the person."""
    w, _ = size
    radius = int(round(38 * unit))
    outer = radius + int(round(6 * unit))
    side_gap, gap = int(round(14 * unit)), int(round(12 * unit))
    order = list(CORNERS)
    if previous is not None:
        order.remove(previous)
        order.insert(0, previous)

    def disc(corner: Corner) -> tuple[tuple[int, int], Box]:
        cx = w - side_gap - radius if corner.endswith("right") else side_gap + radius
        cy = top + gap + outer if corner.startswith("top") else bottom - gap - outer
        return (cx, cy), Box(cx - outer, cy - outer, cx + outer + 1, cy + outer + 1)

    def hidden(corner: Corner) -> int:
        box = disc(corner)[1]
        return box.overlap(person) if person is not None else 0

    usable = [c for c in order if disc(c)[1].y0 >= top and disc(c)[1].y1 <= bottom
              and not any(disc(c)[1].intersects(k) for k in keep_clear)] or order
    corner = next((c for c in usable if hidden(c) == 0), None) or min(usable, key=hidden)
    centre, box = disc(corner)
    scale = 0.75 * unit
    thickness = max(1, int(unit * 1.5))
    tw, th, _ = measure(text, scale, thickness)
    label = _text("ring", text, centre[0] - tw // 2, centre[1] + th // 2, scale, thickness)
    return Ring(corner, centre, radius, box, label)


# --- labels beside the body ----------------------------------------------------------------------------
def label_place(
    role: str,
    text: str,
    anchors: Sequence[tuple[float, float]],
    size: tuple[int, int],
    scale: float,
    keep_clear: Sequence[Box],
) -> Text:
    """A label centred on the first of `anchors` (preferred places, in pixels) where it fits inside the
    picture without touching any box in `keep_clear`; else on the first anchor, pulled into the picture."""
    thickness = thickness_for(scale)
    tw, th, base = measure(text, scale, thickness)
    w, h = size
    pad = 3

    def at(anchor: tuple[float, float]) -> Text:
        x = int(min(max(anchor[0] - tw / 2, pad), w - tw - pad))
        y = int(min(max(anchor[1] + th / 2, th + pad), h - base - pad))
        return _text(role, text, x, y, scale, thickness)

    def padded(t: Text) -> Box:
        return Box(t.box.x0 - pad, t.box.y0 - pad, t.box.x1 + pad, t.box.y1 + pad)

    placed = [at(a) for a in anchors]
    fits: Callable[[Text], bool] = lambda t: not any(padded(t).intersects(k) for k in keep_clear)  # noqa: E731
    return next((t for t in placed if fits(t)), placed[0])
