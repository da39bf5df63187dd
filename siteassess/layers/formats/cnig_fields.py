"""The columns of the CNIG Friches standard, shared by its importer, Cartofriches' and the export.

The specification: standard CNIG Friches v2023-12 and its Table Schema ``schema-friches``
v1.0.6 (schema.data.gouv.fr). Field names are the standard's own.
"""

from __future__ import annotations

SPECIFICATION = "standard CNIG Friches v2023-12, schema-friches v1.0.6"
# The columns of the standard, in its order (schema-friches v1.0.6).
FIELDS: tuple[str, ...] = (
    "site_id", "site_nom", "site_type", "site_adresse", "site_identif_date",
    "site_actu_date", "site_url", "site_ademe_url", "site_securite", "site_occupation",
    "site_statut", "site_projet_url", "site_reconv_annee", "site_reconv_type",
    "activite_libelle", "activite_code", "activite_fin_annee", "comm_nom", "comm_insee",
    "bati_type", "bati_nombre", "bati_surface", "bati_pollution", "bati_vacance",
    "bati_patrimoine", "bati_etat", "local_ancien_annee", "local_recent_annee",
    "proprio_type", "proprio_personne", "proprio_nom", "sol_pollution_annee",
    "sol_pollution_existe", "sol_pollution_origine", "sol_pollution_commentaire",
    "sol_depollution_fiche", "unite_fonciere_surface", "unite_fonciere_refcad",
    "urba_zone_type", "urba_zone_lib", "urba_zone_formdomi", "urba_zaer", "urba_doc_type",
    "desserte_distance", "desserte_commentaire", "source_nom", "source_url",
    "source_producteur", "source_contact", "geompoint", "geomsurf",
)  # fmt: skip
INTEGER_FIELDS = ("bati_nombre", "bati_surface", "unite_fonciere_surface")
DATE_FIELDS = ("site_identif_date", "site_actu_date")  # %Y-%m-%d; the years are %Y
# The standard's missing values (its Table Schema's missingValues).
MISSING = ("", "NA", "NaN", "N/A")
# Standard column -> the site model's column (what criteria, reports and screening read).
MODEL = {
    "site_nom": "name",
    "comm_nom": "commune",
    "comm_insee": "insee",
    "site_statut": "status",
    "sol_pollution_existe": "pollution",
    "urba_zone_type": "zoning",
}
