"""The Streamlit app: a thin front end over the library (the ``[app]`` extra).

``main.py`` is Streamlit's main script (``infra-gap app`` starts it), ``app_pages/`` the pages
of its menu (not ``pages/``: Streamlit would take a ``pages/`` folder beside the main script for
its older multipage layout), ``ui/`` their sections and cached library calls, imported once, and
``static/`` the pinned Leaflet copies Streamlit serves at ``/app/static/``.  Importing this
package imports nothing (Streamlit included).
"""
