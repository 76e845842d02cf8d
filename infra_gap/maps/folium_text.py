"""Keep folium's rendered output as text: no second template pass.

branca renders each map element's macros (header, html, script) and wraps the output in a
new ``Element(output)``, that is, a new jinja template, which the page renders once more.
Three things follow: any ``{{ ... }}`` or ``{% ... %}`` inside data (an area name, an
operator, a tooltip) is evaluated on the server, with access to Python objects; unbalanced
syntax (``{% if``) makes the render fail; and every output, however long, is compiled as a
template on each render (the app's priority layer is several hundred kilobytes).

:class:`TextMacro` puts an element's rendered macros into the page as text, never compiled.
:func:`render_as_text` gives an element of any folium class that behaviour (the offline map
applies it to every element before it renders), and :func:`keep_rendered_text` makes a
page's three parts keep as text whatever other ``Element(output)`` reaches them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from branca.element import Element, Figure, MacroElement

__all__ = ["TextMacro", "keep_rendered_text", "render_as_text"]

_PARTS = ("header", "html", "script")


class _Text(Element):
    """Rendered output, placed in the page as is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Text"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        return self.text


class _TextParts(Element):
    """A part of the page whose rendered children stay text."""

    def add_child(
        self, child: Element, name: str | None = None, index: int | None = None
    ) -> Element:
        """Add `child`; a plain ``Element(output)`` is kept as text, not as a template."""
        template = getattr(child, "_template_str", None)
        if type(child) is Element and template is not None:
            child = _Text(template)
        return super().add_child(child, name=name, index=index)


def keep_rendered_text(figure: Element) -> None:
    """Make the header, html and script parts of `figure` keep rendered output as text.

    Call it before anything is rendered into the figure; what the figure holds already
    (branca's fixed ``<meta>`` tags) moves over.

    Raises
    ------
    ValueError
        When `figure` is not a branca ``Figure`` (a map's root, ``m.get_root()``).
    """
    if not isinstance(figure, Figure):
        msg = f"expected the map's Figure, got {type(figure).__name__}"
        raise ValueError(msg)
    for part in _PARTS:
        current = getattr(figure, part)
        if isinstance(current, _TextParts):
            continue
        replacement = _TextParts()
        replacement._parent = figure
        for name, child in current._children.items():
            replacement.add_child(child, name=name)
        setattr(figure, part, replacement)


class TextMacro(MacroElement):
    """A macro element whose rendered macros go into the page as text, never compiled.

    Put it after folium's classes in the bases (``class X(folium.map.Layer, TextMacro)``)
    so that their ``render`` runs first and this one replaces only branca's.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Render the macros of this element into its figure, then its children."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = f"{type(self).__name__} can only be rendered inside a Figure"
            raise ValueError(msg)
        module = self._template.module.__dict__
        for part in _PARTS:
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in list(self._children.values()):
            element.render(**kwargs)


@cache
def _text_class(cls: type[MacroElement]) -> type[MacroElement]:
    """`cls` with :class:`TextMacro` after its own bases.

    Its ``super().render()`` calls reach ``TextMacro.render`` instead of branca's.
    """
    return type(cls.__name__, (cls, TextMacro), {"__module__": cls.__module__})


def render_as_text(element: Element) -> None:
    """Make `element` (a macro element of any class) render its macros as text.

    Its class becomes a subclass of its class and of :class:`TextMacro` (made once per
    class): ``isinstance`` checks and its own ``render`` steps (links, ``addTo`` calls) stay.
    Other elements are left as they are.
    """
    if isinstance(element, MacroElement) and not isinstance(element, TextMacro):
        element.__class__ = _text_class(type(element))  # type: ignore[arg-type]
