"""The live window (pygame): the camera picture with the overlay, the big cue, keys, and message screens.

The picture is scaled to the window first (aspect kept) and the overlay drawn on the scaled picture, so the
skeleton, the angle, the timer ring and the side are drawn at the window's own resolution; the one cue is
then set, in two rows at most, in the band the overlay kept free of the person, in a large font sized from
the picture's shorter side, readable from a couple of metres.

Headless runs (tests) use SDL_VIDEODRIVER=dummy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

import numpy as np

from posecoach.errors import DeviceError
from posecoach.overlay import Overlay
from posecoach.pipeline import Step
from posecoach.records import X, Phase

#: Key name -> what it asks for.
ACTIONS = {
    "space": "pause",
    "s": "skip",
    "p": "pain",
    "q": "quit",
    "escape": "quit",
    "e": "easier",
    "return": "continue",
}
KEY_HINT = "space pause   s skip side   p it hurts   q quit"
DEFAULT_SIZE = (960, 720)
#: System faces tried for the text, in order, and their size relative to pygame's own font.
FONT_FACES = "dejavusans,liberationsans,arial,helvetica,freesans"
SYSTEM_FONT_SCALE = 0.7
#: Rendered texts a window keeps.
TEXTS_KEPT = 64

RGB = tuple[int, int, int]
WHITE: RGB = (255, 255, 255)
PANEL: RGB = (24, 24, 24)
AMBER: RGB = (255, 200, 0)
RED: RGB = (230, 60, 60)
GREEN: RGB = (90, 200, 90)


@dataclass(frozen=True, slots=True)
class Screen:
    """A message shown over the (dimmed) picture: a title, paragraphs, and a footer."""

    title: str
    lines: tuple[str, ...] = ()
    footer: str = ""
    colour: RGB = AMBER


def mirrored(step: Step) -> Step:
    """The step as a selfie view: picture flipped left to right, landmarks' x with it (sides keep their names)."""
    obs = step.observation
    image = obs.image[:, ::-1] if obs.image is not None else None
    pose = obs.pose
    if pose is not None:
        flipped = pose.image.copy()
        flipped[:, X] = 1.0 - flipped[:, X]
        pose = replace(pose, image=flipped)
    return replace(step, observation=replace(obs, image=image, pose=pose))


def fit(image_size: tuple[int, int], window_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the picture scaled into the window, aspect kept, centred."""
    w, h = image_size
    W, H = window_size
    scale = min(W / w, H / h)
    dw, dh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    return (W - dw) // 2, (H - dh) // 2, dw, dh


def cue_colour(phase: Phase) -> RGB:
    if phase is Phase.DONE:
        return GREEN
    return RED if phase is Phase.ACTIVE else AMBER


class Window:
    """A resizable pygame window; open with `with`. `poll()` returns the actions of the keys pressed."""

    def __init__(self, title: str, *, size: tuple[int, int] = DEFAULT_SIZE, fullscreen: bool = False,
                 mirror: bool = True) -> None:
        self.title = title
        self._size = size
        self._fullscreen = fullscreen
        self.mirror = mirror
        self._pg: Any = None
        self._fonts: dict[tuple[int, bool], Any] = {}
        # Rendered texts by (text, size, bold, colour): the cue and the key hint change seldom.
        self._texts: dict[tuple[str, int, bool, RGB], Any] = {}
        self._face: str | None = None

    def __enter__(self) -> Window:
        from posecoach.outputs.pygame_import import pygame as load_pygame

        pygame = load_pygame()
        try:
            pygame.display.init()
            pygame.font.init()
            flags = pygame.FULLSCREEN if self._fullscreen else pygame.RESIZABLE
            pygame.display.set_mode((0, 0) if self._fullscreen else self._size, flags)
            pygame.display.set_caption(self.title)
        except pygame.error as error:
            pygame.display.quit()
            raise DeviceError(f"cannot open a window ({error}); run from a desktop session "
                              "(or set SDL_VIDEODRIVER=dummy for a headless run)") from None
        self._pg = pygame
        self._face = pygame.font.match_font(FONT_FACES, bold=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._pg is not None:
            self._texts.clear()
            self._fonts.clear()
            self._pg.display.quit()
            self._pg = None

    # --- reading -----------------------------------------------------------------------------------
    @property
    def surface(self) -> Any:
        return self._pg.display.get_surface()

    @property
    def size(self) -> tuple[int, int]:
        return tuple(self.surface.get_size())  # type: ignore[return-value]

    def poll(self) -> list[str]:
        """Actions asked since the last poll ("pause", "skip", "pain", "quit", "easier", "continue", "other")."""
        pg = self._pg
        actions = []
        for event in pg.event.get():
            if event.type == pg.QUIT:
                actions.append("quit")
            elif event.type == pg.KEYDOWN:
                actions.append(ACTIONS.get(pg.key.name(event.key), "other"))
        return actions

    def wait_for_key(self, timeout: float | None = None) -> str:
        """Block until a key is pressed (or the window closed); returns its action, or "" on timeout."""
        import time

        pg = self._pg
        end = None if timeout is None else time.monotonic() + timeout
        while end is None or time.monotonic() < end:
            for action in self.poll():
                return action
            pg.time.wait(20)
        return ""

    # --- drawing -----------------------------------------------------------------------------------
    def rendered(self, text: str, size: int, colour: RGB, bold: bool = False) -> Any:
        """`text` rendered in `font(size, bold)`, kept for the next frames (a few dozen texts at most)."""
        key = (text, size, bold, colour)
        surface = self._texts.get(key)
        if surface is None:
            if len(self._texts) >= TEXTS_KEPT:
                self._texts.clear()
            surface = self._texts[key] = self.font(size, bold=bold).render(text, True, colour)
        return surface

    def font(self, size: int, bold: bool = False) -> Any:
        """A bold sans at about the size of pygame's own font at `size`: a system face when there is one
        (pygame's own is kerned loosely at large sizes), else pygame's."""
        key = (size, bold)
        if key not in self._fonts:
            if self._face:
                font = self._pg.font.Font(self._face, max(8, int(round(size * SYSTEM_FONT_SCALE))))
            else:
                font = self._pg.font.Font(None, size)
                font.set_bold(bold and size < 36)
            self._fonts[key] = font
        return self._fonts[key]

    def show_step(self, step: Step, overlay: Overlay, *, note: str | None = None) -> None:
        """The picture with the overlay, the cue in large type, the keys, and `note` (an offer) if any."""
        view = mirrored(step) if self.mirror else step
        image = view.observation.image
        if image is None:
            raise ValueError("the live window needs observations that keep their images")
        rect = fit((image.shape[1], image.shape[0]), self.size)
        picture = self._scaled(image, rect)
        # The overlay draws everything but the cue and keeps the cue's place clear of the person; the cue
        # is then set there in the window's own font.
        layout = overlay.draw(picture, view, cue=False)
        self._blit(picture, rect)
        unit = min(rect[2], rect[3]) / 480.0
        bottom = rect[1] + rect[3]
        if step.state.cue and layout.cue is not None:
            cue = layout.cue.box
            strip = (rect[0] + cue.x0, rect[1] + cue.y0, cue.width, cue.height)
            self._cue(step.state.cue, cue_colour(step.state.phase), strip, unit)
            if layout.cue.band == "below":
                bottom = strip[1]
        if note:
            bottom = self._banner(note, AMBER, rect, bottom, unit * 0.75)
        self._hint(rect, bottom, unit)
        self._pg.display.flip()

    def show_screen(self, screen: Screen, image: np.ndarray | None = None) -> None:
        """A message over the dimmed picture (or a dark background)."""
        pg = self._pg
        surface = self.surface
        surface.fill(PANEL)
        W, H = self.size
        if image is not None:
            picture = image[:, ::-1] if self.mirror else image
            rect = fit((picture.shape[1], picture.shape[0]), (W, H))
            scaled = self._scaled(picture, rect)
            scaled //= 4  # dimmed
            self._blit(scaled, rect)
        unit = min(W, H) / 480.0
        margin = int(30 * unit)
        width = W - 2 * margin
        y = margin
        for text, size, colour in [(screen.title, int(44 * unit), screen.colour)] + [
            (line, int(28 * unit), WHITE) for line in screen.lines
        ]:
            font = self.font(max(16, size), bold=size > 30 * unit)
            for row in wrap(text, font, width):
                surface.blit(font.render(row, True, colour), (margin, y))
                y += font.get_linesize()
            y += int(10 * unit)
        if screen.footer:
            font = self.font(max(14, int(24 * unit)))
            rendered = font.render(screen.footer, True, AMBER)
            surface.blit(rendered, (margin, H - margin - rendered.get_height()))
        pg.display.flip()

    def _scaled(self, image: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
        import cv2

        _, _, dw, dh = rect
        if (image.shape[1], image.shape[0]) == (dw, dh):
            return np.array(image, order="C", copy=True)  # the caller draws on it; the frame stays clean
        interpolation = cv2.INTER_AREA if dw < image.shape[1] else cv2.INTER_LINEAR
        return cv2.resize(image, (dw, dh), interpolation=interpolation)

    def _blit(self, bgr: np.ndarray, rect: tuple[int, int, int, int]) -> None:
        import cv2

        x, y, dw, dh = rect
        surface = self.surface
        if (x, y) != (0, 0) or (dw, dh) != surface.get_size():
            surface.fill((0, 0, 0))
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        surface.blit(self._pg.image.frombuffer(rgb.data, (dw, dh), "RGB"), (x, y))

    def _cue(self, text: str, colour: RGB, strip: tuple[int, int, int, int], unit: float) -> None:
        """The cue on a dark strip filling `strip` (x, y, width, height: the overlay's cue box), in the
        largest bold type up to 40 units that sets it in two rows within the strip."""
        x0, top, width, height = strip
        pad = max(6, int(10 * unit))
        size = max(22, int(round(40 * unit)))
        while True:
            font = self.font(size, bold=True)
            rows = wrap(text, font, width - 3 * pad)
            if size <= 12 or (len(rows) <= 2 and len(rows) * font.get_linesize() <= height - pad):
                break
            size = int(size * 0.93)
        self._strip(colour, (x0, top, width, height), unit)
        y = top + (height - len(rows[:2]) * font.get_linesize()) // 2
        for row in rows[:2]:
            self.surface.blit(self.rendered(row, size, WHITE, bold=True), (x0 + 2 * pad, y))
            y += font.get_linesize()

    def _strip(self, colour: RGB, box: tuple[int, int, int, int], unit: float) -> None:
        pg = self._pg
        x0, top, width, height = box
        strip = pg.Surface((width, height), pg.SRCALPHA)
        strip.fill((*PANEL, 215))
        self.surface.blit(strip, (x0, top))
        pg.draw.rect(self.surface, colour, (x0, top, max(4, int(8 * unit)), height))

    def _banner(self, text: str, colour: RGB, rect: tuple[int, int, int, int], bottom: int, unit: float) -> int:
        """A wrapped line of large text on a dark strip whose bottom is `bottom`; returns the strip's top."""
        x0, _, width, _ = rect
        size = max(22, int(round(40 * unit)))
        font = self.font(size, bold=True)
        pad = max(6, int(10 * unit))
        rows = wrap(text, font, width - 4 * pad)
        height = len(rows) * font.get_linesize() + 2 * pad
        top = bottom - height
        self._strip(colour, (x0, top, width, height), unit)
        y = top + pad
        for row in rows:
            self.surface.blit(font.render(row, True, WHITE), (x0 + 2 * pad, y))
            y += font.get_linesize()
        return top

    def _hint(self, rect: tuple[int, int, int, int], bottom: int, unit: float) -> None:
        rendered = self.rendered(KEY_HINT, max(14, int(round(18 * unit))), (200, 200, 200))
        x0, _, width, _ = rect
        where = (x0 + width - rendered.get_width() - int(8 * unit), bottom - rendered.get_height() - int(4 * unit))
        shade = self._pg.Surface(rendered.get_size(), self._pg.SRCALPHA)
        shade.fill((*PANEL, 160))
        self.surface.blit(shade, where)
        self.surface.blit(rendered, where)


def wrap(text: str, font: Any, width: int) -> list[str]:
    """Words of `text` in rows no wider than `width` pixels in `font`."""
    rows: list[str] = []
    for word in text.split():
        trial = f"{rows[-1]} {word}" if rows else word
        if rows and font.size(trial)[0] <= width:
            rows[-1] = trial
        else:
            rows.append(word)
    return rows or [""]


def advice_screen(exercise_name: str, easier_name: str | None) -> Screen:
    """What the guide says to do when something hurts."""
    lines = [f"You stopped the {exercise_name.lower()} because it hurts. Stop the exercise now: pain is your "
             "body's way of telling you to back off."]
    if easier_name:
        lines.append(f"When you feel ready, try the easier variant instead: the {easier_name.lower()}.")
    lines.append("See a doctor or physical therapist if the pain is severe, persistent, or comes with numbness, "
                 "tingling or weakness.")
    return Screen("Stop: it hurts", tuple(lines), "Press any key to close", RED)
