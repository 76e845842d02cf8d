"""Keep folium's rendered output as text: no second template pass.

branca renders each map element's macros (header, html, script) and wraps the output in a
new ``Element(output)``, that is, a new jinja template, which the page renders once more.
Two things follow: any ``{{ ... }}`` or ``{% ... %}`` inside data (an area name, an
operator, a tooltip) is evaluated on the server, with access to Python objects, and every
output, however long, is compiled as a template on each render (the app's priority layer
is several hundred kilobytes; compiling it was a large part of a rerun).

:func:`keep_rendered_text` makes a page's three parts hold such outputs as plain text, so
no element, folium's own included, is templated twice. :class:`TextMacro` is a base for our
own elements that puts its output in the page as text directly, without the compile.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement

__all__ = ["TextMacro", "keep_rendered_text"]

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
