"""The on-screen keyboard docked under the text fields: Kivy's VKeyboard layouts, drawn in the museum's style."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, InstructionGroup, Rectangle, RoundedRectangle
from kivy.properties import ColorProperty, NumericProperty, ObjectProperty
from kivy.uix.vkeyboard import VKeyboard

# Kivy ships both layouts; azerty has é è ç à ù on its first rows.
KEYBOARD_LAYOUTS = {"fr": "azerty", "en": "qwerty"}

# Keys Kivy's layouts offer that make no sense in a story field (tab, layout switch, escape).
_IGNORED_TEXT = {"\t"}

# Key legends rendered once per text, size and font, then shared by every keyboard (white, tinted on draw).
_LEGENDS: dict[tuple[str, int, str], object] = {}


def _legend(text: str, font_size: float, font_name: str):
    key = (text, int(font_size), font_name)
    if key not in _LEGENDS:
        label = CoreLabel(text=text, font_size=int(font_size), font_name=font_name)
        label.refresh()
        _LEGENDS[key] = label.texture
    return _LEGENDS[key]


class StoryKeyboard(VKeyboard):
    """A VKeyboard that types into `target` and is laid out like any widget instead of floating freely."""

    target = ObjectProperty(None, allownone=True)
    board = ColorProperty([0.9, 0.88, 0.85, 1])
    key_fill = ColorProperty([1, 1, 1, 1])
    key_ink = ColorProperty([0.12, 0.1, 0.09, 1])
    key_pressed = ColorProperty([0.8, 0.8, 0.8, 1])
    key_radius = NumericProperty(6)

    def __init__(self, **kwargs):
        # A kiosk keyboard never moves, turns or zooms under a visitor's hand.
        kwargs.setdefault("do_translation", False)
        kwargs.setdefault("do_rotation", False)
        kwargs.setdefault("do_scale", False)
        kwargs.setdefault("size_hint", (1, None))
        kwargs.setdefault("margin_hint", [0.03, 0.01, 0.03, 0.01])
        kwargs.setdefault("key_margin", [3, 3, 3, 3])
        super().__init__(**kwargs)
        # Legends are drawn above the pressed-key highlight, as canvas instructions rather than widgets.
        self._legends = InstructionGroup()
        self.canvas.after.add(self._legends)
        self._trigger_redraw = Clock.create_trigger(self._redraw)
        self.fbind("size", self._trigger_redraw)
        self.fbind("font_size", self._trigger_redraw)
        self.fbind("key_fill", self._trigger_redraw)

    def _redraw(self, *_):
        if "U_HINT" in self.layout_geometry:
            self.refresh(False)

    def draw_keys(self):
        layout = self.available_layouts[self.layout]
        geometry = self.layout_geometry
        self.background_key_layer.clear()
        with self.background_key_layer:
            Color(rgba=self.board)
            Rectangle(size=self.size)
            Color(rgba=self.key_fill)
            for line in range(1, layout["rows"] + 1):
                for pos, size in geometry[f"LINE_{line}"]:
                    RoundedRectangle(pos=pos, size=size, radius=[self.key_radius])
        self._legends.clear()
        self._legends.add(Color(rgba=self.key_ink))
        for line in range(1, layout["rows"] + 1):
            keys = layout[f"{self.layout_mode}_{line}"]
            for (pos, size), key in zip(geometry[f"LINE_{line}"], keys, strict=False):
                if not key[0].strip():
                    continue
                texture = _legend(key[0], self.font_size, self.font_name)
                width, height = texture.size
                self._legends.add(Rectangle(
                    texture=texture, size=(width, height),
                    pos=(int(pos[0] + (size[0] - width) / 2), int(pos[1] + (size[1] - height) / 2)),
                ))

    def refresh_active_keys_layer(self):
        self.active_keys_layer.clear()
        geometry = self.layout_geometry
        with self.active_keys_layer:
            Color(rgba=self.key_pressed)
            for line, index in self.active_keys.values():
                pos, size = geometry[f"LINE_{line}"][index]
                RoundedRectangle(pos=pos, size=size, radius=[self.key_radius])

    def on_textinput(self, text):
        if self.target is not None and text not in _IGNORED_TEXT:
            self.target.insert_text(text)

    def on_key_down(self, keycode, internal, modifiers):
        if self.target is None:
            return
        if keycode == "backspace":
            self.target.do_backspace()
        elif keycode == "enter":
            if self.target.multiline:
                self.target.insert_text("\n")
        elif internal and internal not in _IGNORED_TEXT:
            # Windows other than SDL2 send typed characters here instead of on_textinput.
            self.target.insert_text(internal)

    def key_position(
        self, text: str | None = None, *, special: str | None = None, mode: str | None = None
    ) -> tuple[float, float] | None:
        """Window coordinates of the centre of the key typing `text` (or a special key such as
        "backspace", "shift", "capslock") on a layer ("normal", "shift"; default: the one shown now),
        or None if that layer has no such key."""
        layout = self.available_layouts[self.layout]
        for line in range(1, layout["rows"] + 1):
            keys = layout[f"{mode or self.layout_mode}_{line}"]
            for (pos, size), key in zip(self.layout_geometry[f"LINE_{line}"], keys, strict=False):
                if (text is not None and key[1] == text) or (special is not None and key[2] == special):
                    x, y = pos[0] + size[0] / 2, pos[1] + size[1] / 2
                    return self.to_window(*self.to_parent(x, y))
        return None
