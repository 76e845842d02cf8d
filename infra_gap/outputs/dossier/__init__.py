"""The PDF dossier a planner attaches to a BAKTI request.

Its parts: document, pages, charts, proposal, checklist, letter and text.
"""
