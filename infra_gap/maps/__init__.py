"""Stage 4, maps: folium maps that paint offline, their layers, labels and score colours."""
