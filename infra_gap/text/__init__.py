"""Everything a reader sees as words or numbers: the UI catalogue, number formats, safe text.

The bottom stage beside the shared modules (``config``, ``errors``, ``layers``...): every other
stage may import it; it imports none of them but ``registry``.
"""
