"""Which sites a report covers, checked before any drawing starts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from siteassess.assessment import Assessment
from siteassess.errors import SiteAssessError

MIN_COMPARED, MAX_COMPARED = 2, 5


class SiteSelectionError(SiteAssessError, ValueError):
    """A report was asked for sites the assessment does not have, or too few or too many."""


def _where(a: Assessment) -> str:
    return str(a.project.path) if a.project.path else a.project.name


def check_site(a: Assessment, site_id: str) -> str:
    """``site_id`` if the assessment has it, else an error listing the ids it has."""
    if site_id not in a.site_ids:
        known = ", ".join(a.site_ids[:12]) + (" …" if len(a.site_ids) > 12 else "")
        raise SiteSelectionError(
            f"{_where(a)}: no site with id {site_id!r}; the sites are: {known}"
        )
    return site_id


def parse_site_list(text: str) -> list[str]:
    """``"a, b,c"`` → ``["a", "b", "c"]`` (blank entries dropped)."""
    return [s.strip() for s in text.split(",") if s.strip()]


def default_compared(a: Assessment, n: int = MAX_COMPARED) -> list[str]:
    """The ``n`` best non-excluded sites, best first, one per land unit."""
    return a.best_sites(n)


def compared_sites(a: Assessment, site_ids: Sequence[str] | None) -> list[str]:
    """The sites of a comparison: 2 to 5 known, distinct ids (default: the top 5 ranked)."""
    if site_ids is None:
        chosen = default_compared(a)
        if len(chosen) < MIN_COMPARED:
            raise SiteSelectionError(
                f"{_where(a)}: only {len(chosen)} site is not excluded; a comparison needs "
                f"{MIN_COMPARED} to {MAX_COMPARED} sites: name them with --sites ID,ID"
            )
        return chosen
    ids = list(dict.fromkeys(site_ids))
    if len(ids) != len(site_ids):
        dup = sorted({s for s in site_ids if list(site_ids).count(s) > 1})
        raise SiteSelectionError(f"{_where(a)}: site {', '.join(dup)} is listed twice")
    if not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
        raise SiteSelectionError(
            f"{_where(a)}: {len(ids)} sites given ({', '.join(ids) or 'none'}); a comparison "
            f"takes {MIN_COMPARED} to {MAX_COMPARED} sites"
        )
    for sid in ids:
        check_site(a, sid)
    return ids


# Windows device names: a file called CON, NUL, COM1… (whatever its extension) is the device.
_RESERVED = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)")


def file_name_for(site_id: str, taken: set[str]) -> str:
    """A safe, unique PDF file name for a site id (``a/b`` → ``a_b.pdf``)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", site_id).strip("._") or "site"
    if _RESERVED.fullmatch(stem.split(".")[0]):
        stem = f"site_{stem}"  # CON.pdf, NUL.pdf… name a device on Windows, not a file
    name, k = f"{stem}.pdf", 2
    while name.lower() in taken:
        name, k = f"{stem}-{k}.pdf", k + 1
    taken.add(name.lower())
    return name
