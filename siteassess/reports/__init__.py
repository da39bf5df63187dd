"""Outputs of an assessment: tables and JSON (here), PDF reports and maps (later). No Qt."""
