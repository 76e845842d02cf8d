"""About and method: how the ranking is made, the indicators, and the sources of the data."""

from ui.about import about_page
from ui.frame import frame

about_page(frame().lang)
