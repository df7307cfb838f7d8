"""The control-unit port: the 2009 field list, a software unit that signs, and one that does not answer."""

import datetime as dt

import pytest

from core.errors import Unavailable, ValidationError
from core.sales.control_unit import ControlData, MissingControlUnit, SoftwareControlUnit

DATA = ControlData(dt.datetime(2026, 4, 10, 14, 5), "559000-0005", "KASSA1", 17, "normal",
                   0, 22515, ((2500, 3582), (600, 261)))


def test_fields_are_serialised_in_order_with_two_decimals():
    assert DATA.serialize() == "202604101405;5590000005;KASSA1;17;normal;0.00;225.15;25.00;35.82;6.00;2.61"


def test_software_unit_signs_deterministically_per_register():
    a = SoftwareControlUnit.for_register("KASSA1", b"secret-secret-secret")
    b = SoftwareControlUnit.for_register("KASSA2", b"secret-secret-secret")
    assert a.serial.startswith("BUTIK-SW-") and a.serial != b.serial
    code = a.sign(DATA)
    assert code == a.sign(DATA) and a.check(DATA, code)
    assert b.sign(DATA) != code
    changed = ControlData(DATA.at, DATA.org_number, DATA.register_id, 18, "normal", 0, 22515, DATA.vat)
    assert a.sign(changed) != code


def test_bad_fields_are_refused():
    with pytest.raises(ValidationError) as e:
        ControlData(DATA.at, "123", "KASSA1", 1, "normal", 0, 0)
    assert e.value.field == "org_number"
    with pytest.raises(ValidationError):
        ControlData(DATA.at, "5590000005", "X" * 17, 1, "normal", 0, 0)
    with pytest.raises(ValidationError):
        ControlData(DATA.at, "5590000005", "K", 1, "normal", 0, 0, ((2500, 1),) * 5)


def test_a_missing_unit_refuses_clearly():
    with pytest.raises(Unavailable, match="cannot be completed"):
        MissingControlUnit().sign(DATA)
