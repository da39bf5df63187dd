"""The desktop app (PySide6): the only package of siteassess that imports Qt.

Start it with ``siteassess gui [PROJECT]`` or ``python -m siteassess``; see
:func:`siteassess.ui.app.run`. Modules import Qt, but never the heavy parts of the core
(geopandas, folium, QtWebEngine) at module level, so the first window opens fast.
"""
