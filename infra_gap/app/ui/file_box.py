"""File boxes whose own words follow the page's language.

Streamlit 1.67 draws a file box's button ("Upload") and its limit line ("200MB per file •
CSV") in English, whatever the page's language, and has no setting for them.  Every file box
of the app is made here: the box is drawn by ``st.file_uploader`` and a style rule keyed to
the box (Streamlit marks a keyed widget's container ``st-key-<key>``) shows the catalogue's
words in place of those two texts.  The style holds only catalogue text, the box's types and
its size, escaped for a CSS string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from infra_gap.text.i18n import fmt_int, t

__all__ = ["box_style", "css_string", "file_box"]

_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
#: The size and line height Streamlit 1.67 gives both texts (measured in Chromium).
_FONT = "font-size: 0.875rem; line-height: 1.6"


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string: quotes, backslashes, ``<`` and control
    characters written as CSS escapes, so no text can end the string or the style block."""
    return '"' + re.sub(r'["\\<>\x00-\x1f\x7f]', lambda m: f"\\{ord(m[0]):x} ", text) + '"'


def box_style(key: str, *, types: Sequence[str], max_mb: int, lang: str) -> str:
    """The style block that words box ``key``'s button and limit line in ``lang``."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        msg = f"a file box key is letters, digits, _ and - only, got {key!r}"
        raise ValueError(msg)
    limit = t("box_limit", lang).format(mb=fmt_int(max_mb, lang))
    if types:
        limit += " • " + ", ".join(x.upper() for x in types)
    box = f".st-key-{key}"
    return (
        f"<style>{box} {_BUTTON}, {box} {_LIMIT} {{font-size: 0}}"
        f" {box} {_BUTTON}::after {{content: {css_string(t('box_button', lang))}; {_FONT}}}"
        f" {box} {_LIMIT}::after {{content: {css_string(limit)}; {_FONT}}}</style>"
    )


def file_box(
    label: str,
    *,
    types: Sequence[str],
    key: str,
    lang: str,
    max_mb: int | None = None,
    **options: Any,
) -> UploadedFile | None:
    """``st.file_uploader(label, type=types, key=key, ...)`` with its own words in ``lang``.

    Parameters
    ----------
    label
        The box's label (from the catalogue).
    types
        The file name endings the box takes.
    key
        The widget key (letters, digits, ``_`` and ``-``).
    lang
        The page's language.
    max_mb
        The box's size limit in MB; default: the server's ``server.maxUploadSize``.
    options
        Passed on to ``st.file_uploader`` (``help``, ``on_change`` ...).
    """
    mb = int(max_mb if max_mb is not None else st.get_option("server.maxUploadSize"))
    st.html(box_style(key, types=types, max_mb=mb, lang=lang))
    if max_mb is not None:
        options["max_upload_size"] = max_mb
    found = st.file_uploader(label, type=list(types), key=key, **options)
    return found if isinstance(found, UploadedFile) else None
