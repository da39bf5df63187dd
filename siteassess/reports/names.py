"""Long names made to fit: cut at a word boundary with an ellipsis, measured as drawn.

Cartofriches names run to 250 characters ("Appel à projet Recyclage Foncier 2021 2nde
édition (Dossier N° 5360475) - Hauts-de-France - 59 - Nord - …"). A title, a running header
or a table column shows the head of such a name, cut after a whole word and followed by
"…", and the site id, so that two shortened names stay apart; the report gives the full
name once. A word is never split over two lines: a line break falls between words, or
after the hyphen of a compound (``NOYELLES-`` / ``GODAULT``).

Widths are measured with reportlab's ``stringWidth`` in the font the text is drawn with
(registered by the caller: :func:`siteassess.reports.pdf.fonts.register_fonts`), and lines
are broken as reportlab's paragraphs break them: at spaces, never at a no-break space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
# What may not stand before the ellipsis: "Wavrin (59136) -…" reads "Wavrin (59136)…".
_TRAILING = " \u00a0-–—,;:/(·"
_SPACES = re.compile(r"[ \t\r\n]+")
# A name inside a sentence ("EDF renouvelables would tie with …"): about half a line.
SENTENCE_CHARS = 60


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of ``text`` drawn in ``font`` at ``size`` (reportlab's metrics)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def words_of(text: str) -> list[str]:
    """The words of ``text`` as a paragraph breaks it: at spaces, not at no-break spaces."""
    return [w for w in _SPACES.split(text.strip()) if w]


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` points, between words only.

    A word wider than ``width`` stands alone on its line (and overflows it): callers check
    :func:`fits` first, so the reports never meet one.
    """
    lines: list[str] = []
    current = ""
    for word in words_of(text):
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def fits(text: str, width: float, font: str, size: float, lines: int = 1) -> bool:
    """True if ``text`` takes at most ``lines`` lines of ``width`` with no word overflowing."""
    got = wrap(text, width, font, size)
    return len(got) <= lines and all(text_width(ln, font, size) <= width for ln in got)


def _head(words: Sequence[str], n: int) -> str:
    return " ".join(words[:n]).rstrip(_TRAILING)


def _closed(head: str) -> bool:
    """True if every bracket and quote opened in ``head`` is closed in it."""
    return head.count("(") <= head.count(")") and head.count("«") <= head.count("»")


def shorten(
    text: str,
    width: float,
    font: str,
    size: float,
    *,
    lines: int = 1,
    tail: str = "",
    keep: int = 1,
) -> str:
    """``text`` whole if it fits ``lines`` lines of ``width``; else its head, cut after a word.

    The head is the longest run of whole words that fits with "…" and ``tail`` (the site id,
    written only when the text is shortened). The first ``keep`` words stay (a prefix such
    as "2." and the name's first word). Only a first word wider than the space is cut
    inside, the one case where no whole word fits.
    """
    text = " ".join(words_of(text))
    if fits(text, width, font, size, lines):
        return text
    words = words_of(text)
    keep = max(1, min(keep, len(words)))
    for balanced in (True, False):  # "… édition (Dossier…" only if nothing else fits
        for n in range(len(words) - 1, keep - 1, -1):
            head = _head(words, n)
            ok = head and (not balanced or _closed(head))
            if ok and fits(head + ELLIPSIS + tail, width, font, size, lines):
                return head + ELLIPSIS + tail
    before = " ".join(words[: keep - 1])
    last = words[keep - 1] if words else ""
    for k in range(len(last) - 1, 0, -1):
        candidate = (f"{before} " if before else "") + last[:k].rstrip(_TRAILING)
        if fits(candidate + ELLIPSIS + tail, width, font, size, lines):
            return candidate + ELLIPSIS + tail
    return (f"{before} " if before else "") + ELLIPSIS + tail


def shorten_chars(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word with "…".

    For labels drawn by matplotlib (maps, charts), where a width in characters is enough.
    """
    text = " ".join(words_of(text))
    if len(text) <= limit:
        return text
    words = words_of(text)
    for balanced in (True, False):
        for n in range(len(words) - 1, 0, -1):
            head = _head(words, n)
            if head and (not balanced or _closed(head)) and len(head) + 1 <= limit:
                return head + ELLIPSIS
    return text[: max(limit - 1, 1)].rstrip(_TRAILING) + ELLIPSIS


def id_tail(site_id: str) -> str:
    """What follows a shortened name: the site id (on a line of its own in a narrow cell)."""
    return f" ({site_id})"


def site_label(
    name: str,
    site_id: str,
    width: float,
    font: str,
    size: float,
    *,
    lines: int = 1,
    prefix: str = "",
) -> str:
    """``prefix`` and the site's name fitted to ``lines`` lines, the id added when cut.

    ``"2. Appel à projet Recyclage Foncier… (59653_11732)"``; a name that fits is
    returned whole, without its id (the id is then not needed to tell sites apart).
    """
    whole = f"{prefix}{name}"
    if fits(whole, width, font, size, lines):
        return " ".join(words_of(whole))
    keep = len(words_of(prefix)) + 1
    return shorten(whole, width, font, size, lines=lines, tail=id_tail(site_id), keep=keep)


def short_name(name: str, site_id: str, limit: int = SENTENCE_CHARS) -> str:
    """A name for a sentence: at most ``limit`` characters and, when cut, the site id."""
    short = shorten_chars(name, limit)
    return short if short == " ".join(words_of(name)) else short + id_tail(site_id)


def break_compounds(text: str, width: float, font: str, size: float) -> str:
    """``text`` with a line break after a hyphen where a word is wider than ``width``.

    For commune names in capitals in narrow columns: ``SAINT-MARTIN-BOULOGNE`` becomes
    ``SAINT-MARTIN-`` / ``BOULOGNE`` instead of being split between two letters.
    """
    out_lines = []
    for line in text.split("\n"):
        words = []
        for word in words_of(line):
            if text_width(word, font, size) <= width or "-" not in word:
                words.append(word)
                continue
            parts = re.findall(r"[^-]+-?|-", word)
            pieces: list[str] = []
            current = ""
            for part in parts:
                if current and text_width(current + part, font, size) > width:
                    pieces.append(current)
                    current = part
                else:
                    current += part
            pieces.append(current)
            words.append("\n".join(pieces))
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)


def cut_inside_a_word(label: str, name: str, tail: str = "") -> bool:
    """True if ``label`` (from :func:`shorten`) cut ``name`` inside a word, or kept no word."""
    whole = " ".join(words_of(name))
    body = label[: -len(tail)] if tail and label.endswith(tail) else label
    if not body.endswith(ELLIPSIS):
        return False
    head = body[: -len(ELLIPSIS)]
    if not head or not whole.startswith(head):
        return True
    return whole[len(head)] not in " " + _TRAILING


@dataclass(frozen=True)
class Fitted:
    """A text fitted to a cell, and the font size it was fitted at."""

    text: str
    size: float


def fit_label(
    name: str,
    site_id: str,
    width: float,
    font: str,
    sizes: Sequence[float],
    *,
    lines: int,
    prefix: str = "",
) -> Fitted:
    """The site's label at the largest of ``sizes`` at which it keeps whole words only.

    A narrow column (five sites side by side) takes "renouvelables" or "(59653_11732)" at a
    smaller size rather than breaking them; the smallest size is the last resort.
    """
    label = ""
    for size in sizes:
        label = site_label(name, site_id, width, font, size, lines=lines, prefix=prefix)
        whole_words = all(text_width(w, font, size) <= width for w in words_of(label))
        if whole_words and not cut_inside_a_word(label, prefix + name, id_tail(site_id)):
            return Fitted(label, size)
    return Fitted(label, sizes[-1])
