"""The window's own settings, declared in one place with their defaults (Picard ``options.py`` style).

Every setting the window keeps between runs is one :class:`Setting` in :data:`SETTINGS`: its key in the
settings store, its default and its type. :class:`WindowSettings` reads and writes them through a
``QSettings`` (organisation and application name below; on Linux an ini file in the per-user config
folder). A stored value that cannot be read as the declared type falls back to the default, so a
hand-edited or older settings file never stops the window from starting.

Tests pass their own ``QSettings`` (an ini file in the test folder) instead of the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION_NAME = "RunReady"
APPLICATION_NAME = "RunReady Clinic"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One declared setting.

    Attributes:
        key: where it is stored (``group/name``).
        default: the value when nothing (or nothing readable) is stored.
        kind: the Python type of the value (``float``, ``str``, ``bool``, ``QByteArray``).
        help: what it means, for the settings page and for people reading the file.
    """

    key: str
    default: T
    kind: type[T]
    help: str


IDLE_LOCK_MINUTES: Setting[float] = Setting(
    "security/idle_lock_minutes",
    10.0,
    float,
    "Lock the window after this many minutes without input (0 = never).",
)
UI_SCALE: Setting[float] = Setting(
    "appearance/ui_scale", 1.0, float, "Text size of the window relative to the desktop's (0.75–2.0)."
)
LAST_CLINICIAN_ID: Setting[str] = Setting(
    "session/last_clinician_id", "", str, "The profile picked first at sign-in (the last one signed in)."
)
WINDOW_GEOMETRY: Setting[QByteArray] = Setting(
    "window/geometry", QByteArray(), QByteArray, "Size and position of the main window (Qt's own format)."
)
WINDOW_STATE: Setting[QByteArray] = Setting(
    "window/state", QByteArray(), QByteArray, "Docks and toolbars of the main window (Qt's own format)."
)

SETTINGS: tuple[Setting[Any], ...] = (
    IDLE_LOCK_MINUTES,
    UI_SCALE,
    LAST_CLINICIAN_ID,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
)
"""Every setting the window stores, in the order a settings page lists them."""

UI_SCALE_RANGE = (0.75, 2.0)
IDLE_LOCK_RANGE = (0.0, 240.0)


def _convert(setting: Setting[T], raw: object) -> T:
    """Turn what QSettings returned (often a string from an ini file) into the declared type.

    Raises:
        ValueError: the stored value is not one of that type.
    """
    kind: type[Any] = setting.kind
    if isinstance(raw, kind) and not (kind is float and isinstance(raw, bool)):
        return cast(T, raw)
    if kind is bool:
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes"):
            return cast(T, True)
        if text in ("false", "0", "no"):
            return cast(T, False)
        raise ValueError(f"not a yes/no value: {raw!r}")
    if kind is float:
        if isinstance(raw, bool):
            raise ValueError("a yes/no value is not a number")
        return cast(T, float(str(raw)))
    if kind is str:
        return cast(T, str(raw))
    if kind is QByteArray and isinstance(raw, bytes | bytearray):
        return cast(T, QByteArray(bytes(raw)))
    raise ValueError(f"cannot read {raw!r} as {kind.__name__}")


class WindowSettings:
    """Typed access to the declared settings in one ``QSettings`` store."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(ORGANISATION_NAME, APPLICATION_NAME)

    def get(self, setting: Setting[T]) -> T:
        """Return the stored value of ``setting``, or its default when none (or none readable) is stored."""
        raw = self.store.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            return _convert(setting, raw)
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        """Store ``value`` for ``setting`` (written to disk by Qt soon after, and by :meth:`sync`)."""
        self.store.setValue(setting.key, value)

    def reset(self, setting: Setting[Any]) -> None:
        """Forget the stored value, so the default applies again."""
        self.store.remove(setting.key)

    def sync(self) -> None:
        """Write pending changes to the settings file now."""
        self.store.sync()

    # --- typed shortcuts ------------------------------------------------------------------------

    @property
    def idle_lock_minutes(self) -> float:
        """Minutes without input before the window locks (0 = never), clamped to a sane range."""
        low, high = IDLE_LOCK_RANGE
        return min(max(self.get(IDLE_LOCK_MINUTES), low), high)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: float) -> None:
        self.set(IDLE_LOCK_MINUTES, float(minutes))

    @property
    def ui_scale(self) -> float:
        """Text size relative to the desktop's, clamped to :data:`UI_SCALE_RANGE`."""
        low, high = UI_SCALE_RANGE
        return min(max(self.get(UI_SCALE), low), high)

    @ui_scale.setter
    def ui_scale(self, scale: float) -> None:
        self.set(UI_SCALE, float(scale))

    @property
    def last_clinician_id(self) -> str:
        """The profile the sign-in picks first."""
        return self.get(LAST_CLINICIAN_ID)

    @last_clinician_id.setter
    def last_clinician_id(self, clinician_id: str) -> None:
        self.set(LAST_CLINICIAN_ID, clinician_id)

    @property
    def window_geometry(self) -> QByteArray:
        """The main window's saved geometry (empty: none saved)."""
        return self.get(WINDOW_GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, geometry: QByteArray) -> None:
        self.set(WINDOW_GEOMETRY, geometry)

    @property
    def window_state(self) -> QByteArray:
        """The main window's saved dock and toolbar state (empty: none saved)."""
        return self.get(WINDOW_STATE)

    @window_state.setter
    def window_state(self, state: QByteArray) -> None:
        self.set(WINDOW_STATE, state)
