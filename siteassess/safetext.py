"""Text from data shown as written: characters that a terminal, a PDF or a plot would act on
are replaced by a visible escape.

A site name or a substation name comes from a colleague's file or an open-data portal. Shown
raw, an ESC sequence recolours or clears the terminal, a carriage return overwrites the line,
a bell rings, a right-to-left override (U+202E) turns ``exe.pdf`` round, and a NUL ends up in
a PDF's text. :func:`printable` writes each such character as ``\\x1b`` or ``\\u202e``
instead, so the planner sees what the file holds. Ordinary text (accents, ``œ``, ``’``, no-break
spaces, ``$`` or ``\\frac``) passes unchanged.
"""

from __future__ import annotations

# C0 controls (tab and newline too: one value stays on one line), DEL and the C1 controls
# (U+009B is a one-byte CSI on some terminals).
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Bidirectional formatting (marks, embeddings, overrides, isolates) and the Unicode line and
# paragraph separators: they reorder or break the text around them without being seen.
_FORMATTING = [
    0x061C,
    0x200E,
    0x200F,
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {code: _escape(code) for code in (*_CONTROLS, *_FORMATTING)}


def printable(text: str) -> str:
    """``text`` with control and bidirectional formatting characters written as escapes."""
    return text.translate(_TABLE)


# In JSON text the same characters (those json.dumps leaves raw: DEL, C1, bidi) as \\uXXXX:
# the document decodes to the same values and is safe to print.
_JSON_TABLE = {code: f"\\u{code:04x}" for code in (*_CONTROLS, *_FORMATTING) if code >= 0x20}


def json_safe(document: str) -> str:
    """A JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every character a
    terminal would act on written as a ``\\uXXXX`` escape: same values, nothing raw."""
    return document.translate(_JSON_TABLE)


def printable_lines(text: str) -> str:
    """A multi-line text of ours (lines joined by ``\\n``) with each line made printable."""
    return "\n".join(printable(line) for line in text.split("\n"))


def has_hidden(text: str) -> bool:
    """True when :func:`printable` would change ``text``."""
    return printable(text) != text
