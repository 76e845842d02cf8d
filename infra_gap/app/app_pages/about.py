"""About and method: how the ranking is made, the indicators, and the sources of the data."""

from infra_gap.app.ui.about import about_page
from infra_gap.app.ui.frame import frame

about_page(frame().lang)
