"""Streamlit code of app.py that is imported once, not run on every rerun."""
