"""siteassess: score and compare candidate sites for large data centres."""

__version__ = "0.1.0"
