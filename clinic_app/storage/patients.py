"""Patient and delivery repository: create, edit, archive, look up and search.

The public face the services and tests call as ``patients.X``; the code lives in one module per
job: :mod:`~clinic_app.storage.patient_details` (identity details, archive),
:mod:`~clinic_app.storage.deliveries` (births) and :mod:`~clinic_app.storage.patient_search`.
"""

from __future__ import annotations

from clinic_app.storage.deliveries import (
    add_delivery,
    deliveries_with_ids,
    delivery_for,
    delivery_image,
    delivery_to_domain,
    latest_delivery,
    list_deliveries,
)
from clinic_app.storage.patient_details import (
    add_patient,
    get_patient,
    get_row,
    patient_image,
    set_archived,
    to_domain,
    update_patient,
)
from clinic_app.storage.patient_search import (
    PatientColumns,
    get_patient_columns,
    search_patients,
    search_query,
)

__all__ = [
    "PatientColumns",
    "add_delivery",
    "add_patient",
    "deliveries_with_ids",
    "delivery_for",
    "delivery_image",
    "delivery_to_domain",
    "get_patient",
    "get_patient_columns",
    "get_row",
    "latest_delivery",
    "list_deliveries",
    "patient_image",
    "search_patients",
    "search_query",
    "set_archived",
    "to_domain",
    "update_patient",
]
