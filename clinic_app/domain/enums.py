"""Closed vocabularies of the domain: sides, delivery modes, perineal trauma, visit status."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """A limb side. Values are the path suffixes used for sided results (``form.field.left``)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        """Return the opposite side."""
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class DeliveryMode(StrEnum):
    """How the baby was delivered; drives the R4/R8 risk factors."""

    SPONTANEOUS_VAGINAL = "spontaneous_vaginal"
    INSTRUMENTAL_FORCEPS = "instrumental_forceps"
    INSTRUMENTAL_VACUUM = "instrumental_vacuum"
    PLANNED_CAESAREAN = "planned_caesarean"
    EMERGENCY_CAESAREAN = "emergency_caesarean"

    @property
    def is_vaginal(self) -> bool:
        """True for spontaneous and instrumental vaginal births."""
        return self in (
            DeliveryMode.SPONTANEOUS_VAGINAL,
            DeliveryMode.INSTRUMENTAL_FORCEPS,
            DeliveryMode.INSTRUMENTAL_VACUUM,
        )

    @property
    def is_instrumental(self) -> bool:
        """True for forceps or vacuum deliveries."""
        return self in (DeliveryMode.INSTRUMENTAL_FORCEPS, DeliveryMode.INSTRUMENTAL_VACUUM)

    @property
    def is_caesarean(self) -> bool:
        """True for planned and emergency caesarean sections."""
        return not self.is_vaginal


class PerinealTrauma(StrEnum):
    """Perineal trauma at delivery; third and fourth degree tears are OASI."""

    NONE = "none"
    FIRST_DEGREE = "first_degree"
    SECOND_DEGREE = "second_degree"
    EPISIOTOMY = "episiotomy"
    THIRD_DEGREE = "third_degree"
    FOURTH_DEGREE = "fourth_degree"
    NOT_APPLICABLE = "not_applicable"
    """Caesarean birth without labour: no perineal assessment applies."""

    @property
    def is_oasi(self) -> bool:
        """True for obstetric anal sphincter injury (third- or fourth-degree tear)."""
        return self in (PerinealTrauma.THIRD_DEGREE, PerinealTrauma.FOURTH_DEGREE)


class VisitStatus(StrEnum):
    """Life cycle of a visit: a signed visit is read-only; an amendment keeps the original."""

    DRAFT = "draft"
    SIGNED = "signed"
    AMENDED = "amended"
