"""Bulk reads and the one-transaction writes behind export and import of the native bundle.

Records come and go as JSON-ready dictionaries in the bundle's own shapes (``docs/formats/``), so
storage never imports the exchange package and the services only pass them through. The work is in
four modules, each with one job, gathered here so the services see one storage face:

* :mod:`~clinic_app.storage.exchange_export` — the scope of an export and its streamed records;
* :mod:`~clinic_app.storage.exchange_lookup` — what an import asks of the clinic (which records
  exist, who a bundle patient is here);
* :mod:`~clinic_app.storage.exchange_write` — the import's bulk writes;
* :mod:`~clinic_app.storage.exchange_files` — the kept report PDFs, read one at a time, written in batches.
"""

from __future__ import annotations

from clinic_app.storage.clinicians import all_names as clinician_names
from clinic_app.storage.exchange_export import (
    AUDITED,
    CHUNK,
    ExportScope,
    audit_records,
    clinician_records,
    delivery_records,
    export_scope,
    patient_record,
    patient_records,
    visit_records,
)
from clinic_app.storage.exchange_files import (
    attach_report_files,
    missing_report_files,
    report_file,
    report_file_ids,
)
from clinic_app.storage.exchange_lookup import (
    count_rows,
    delivery_by_key,
    delivery_id,
    delivery_signatures,
    existing,
    match_patient,
    match_patients,
)
from clinic_app.storage.exchange_write import (
    IMPORTED_PASSWORD,
    insert_audit,
    insert_clinician,
    insert_deliveries,
    insert_delivery,
    insert_patient,
    insert_patients,
    insert_visits,
    mark_amended,
    prepare_bulk_write,
)

__all__ = [
    "AUDITED",
    "CHUNK",
    "IMPORTED_PASSWORD",
    "ExportScope",
    "attach_report_files",
    "audit_records",
    "clinician_names",
    "clinician_records",
    "count_rows",
    "delivery_by_key",
    "delivery_id",
    "delivery_records",
    "delivery_signatures",
    "existing",
    "export_scope",
    "insert_audit",
    "insert_clinician",
    "insert_deliveries",
    "insert_delivery",
    "insert_patient",
    "insert_patients",
    "insert_visits",
    "mark_amended",
    "match_patient",
    "match_patients",
    "missing_report_files",
    "patient_record",
    "patient_records",
    "prepare_bulk_write",
    "report_file",
    "report_file_ids",
    "visit_records",
]
