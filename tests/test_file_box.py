"""File boxes speak the page's language: Streamlit's own "Upload" and "200MB per file" are
replaced by the catalogue's words, through a style rule keyed to each box (the page's boxes:
tests/test_app_uploads.py)."""

import pytest

from infra_gap.app.ui.file_box import box_style, css_string


def test_the_style_words_a_box_in_indonesian_and_in_english():
    words = box_style("up_msme", types=("csv", "xlsx"), max_mb=200, lang="id")
    assert '.st-key-up_msme [data-testid="stFileUploaderDropzoneInstructions"] span::after' in words
    assert 'content: "Pilih berkas"' in words
    assert 'content: "maks. 200 MB per berkas • CSV, XLSX"' in words
    english = box_style("up_msme", types=("csv",), max_mb=1, lang="en")
    assert 'content: "Choose file"' in english
    assert 'content: "up to 1 MB per file • CSV"' in english


def test_a_css_string_cannot_end_itself_or_the_style_block():
    quoted = css_string('a"b\\c</style><script>alert(1)</script>\nd')
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    for unsafe in ('"', "<", ">", "\n"):
        assert unsafe not in inner
    assert inner.startswith("a\\22 b\\5c c\\3c /style\\3e ")


def test_a_key_that_could_break_the_selector_is_refused():
    with pytest.raises(ValueError, match="file box key"):
        box_style("up x{}", types=(), max_mb=1, lang="id")
