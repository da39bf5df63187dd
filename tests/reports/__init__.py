"""Tests of the PDF reports, static maps and charts."""
