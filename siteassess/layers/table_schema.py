"""Reading a Table Schema file (frictionless ``schema.json``), such as the CNIG Friches one.

The file is the user's: the official ``schema.json`` of an exchange standard is published
by its authors (schema.data.gouv.fr) and never bundled. Only what validation needs is
kept (fields, missing values, primary key): the links a published schema carries
(``$schema``, ``path``, ``homepage``, ``resources``…) are dropped, so that validating a
file never reaches the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from siteassess.errors import LayerContentError, LayerLoadError

KEPT_KEYS = ("fields", "missingValues", "primaryKey")
FIELD_TYPES = (
    "string", "number", "integer", "boolean", "date", "time", "datetime", "year",
    "yearmonth", "duration", "object", "array", "geopoint", "geojson", "any",
)  # fmt: skip


@dataclass(frozen=True)
class TableSchema:
    """A Table Schema as read: its file, its local descriptor, and its version if it says."""

    path: Path
    descriptor: dict[str, Any]
    version: str | None = None

    @property
    def field_names(self) -> tuple[str, ...]:
        """The fields' names, in the schema's order."""
        return tuple(str(f["name"]) for f in self.descriptor["fields"])


def read_table_schema(path: Path) -> TableSchema:
    """Read and check a Table Schema JSON file; the message names the file and the fault."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LayerLoadError(f"schema {path}: no such file") from None
    except IsADirectoryError:
        raise LayerLoadError(f"schema {path}: is a folder, not a schema.json file") from None
    except OSError as exc:
        raise LayerLoadError(f"schema {path}: cannot be read: {exc.strerror}") from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise LayerContentError(f"schema {path}: is not UTF-8 text (a JSON file)") from None
    except json.JSONDecodeError as exc:
        raise LayerContentError(
            f"schema {path}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, list) or not fields:
        raise LayerContentError(
            f"schema {path}: is not a Table Schema: no list of 'fields' (give the schema.json "
            "of the standard, e.g. schema-friches from schema.data.gouv.fr)"
        )
    seen: set[str] = set()
    for i, f in enumerate(fields, 1):
        name = f.get("name") if isinstance(f, dict) else None
        if not isinstance(name, str) or not name:
            raise LayerContentError(f"schema {path}: field {i} has no name")
        kind = f.get("type", "string")
        if kind not in FIELD_TYPES:
            raise LayerContentError(
                f"schema {path}: field {name!r} has an unknown type {kind!r}; Table Schema "
                f"types: {', '.join(FIELD_TYPES)}"
            )
        if name in seen:
            raise LayerContentError(f"schema {path}: field {name!r} is listed twice")
        seen.add(name)
    descriptor = {k: doc[k] for k in KEPT_KEYS if k in doc}
    # A field's own links (rdfType, examples) are not needed to check a value.
    descriptor["fields"] = [
        {k: v for k, v in f.items() if k in ("name", "type", "format", "constraints")}
        for f in fields
    ]
    version = doc.get("version")
    return TableSchema(path, descriptor, str(version) if version is not None else None)


def exchange_file_bytes(path: Path, label: str) -> tuple[bytes, str]:
    """A delimited exchange file as UTF-8 bytes, and the encoding it was read in.

    UTF-8 (with or without BOM), else Windows-1252, else Latin-1, as the layer readers do.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LayerLoadError(f"layer {label}: {path}: no such file") from None
    except OSError as exc:
        raise LayerLoadError(f"layer {label}: {path}: cannot be read: {exc.strerror}") from None
    for codec in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return text.encode("utf-8"), "utf-8" if codec == "utf-8-sig" else codec
    raise LayerLoadError(f"layer {label}: {path}: not readable as text")  # pragma: no cover
