"""Stage 5, outputs: the ranking as CSV, XLSX, GeoPackage, a printed map and the PDF dossier.

:mod:`infra_gap.outputs.formats` is the one API both front ends call to turn a ranking into bytes.
"""
