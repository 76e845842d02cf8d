"""Streamlit code of the app (main.py, app_pages/) that is imported once, not run on every rerun."""
