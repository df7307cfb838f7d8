"""Stock: locations, the append-only movement ledger, cached levels, reservations, bundle availability."""

from core.inventory.levels import (
                                   Level,
                                   Mismatch,
                                   bundle_available,
                                   check_levels,
                                   level,
                                   levels_for,
                                   rebuild_levels,
)
from core.inventory.locations import (
                                   create_location,
                                   location_by_code,
                                   open_exceptions,
                                   resolve_exception,
)
from core.inventory.movements import REASONS, MovementIn, record_movements, transfer
from core.inventory.reservations import release, release_one, reserve

__all__ = [
                                   "REASONS",
                                   "Level",
                                   "Mismatch",
                                   "MovementIn",
                                   "bundle_available",
                                   "check_levels",
                                   "create_location",
                                   "level",
                                   "levels_for",
                                   "location_by_code",
                                   "open_exceptions",
                                   "rebuild_levels",
                                   "record_movements",
                                   "release",
                                   "release_one",
                                   "reserve",
                                   "resolve_exception",
                                   "transfer",
]
