"""The command registry: arguments checked by name before a use case runs, results as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from core import commands
from core.errors import NotFound, ValidationError


@dataclass
class Made:
    id: int
    on: dt.date


@pytest.fixture(scope="module")
def echo():
    @commands.command("test.echo", area="tests")
    def echo(session, who, name: str, qty: int = 1000, on: str | None = None):
        return Made(qty, commands.as_date(on, "on") or dt.date(2026, 1, 2)), {who, name}

    yield commands.get("test.echo")
    commands._REGISTRY.pop("test.echo")


def test_a_command_knows_its_arguments_role_and_area(echo):
    assert echo.params == ("name", "qty", "on") and echo.required == {"name"}
    assert echo.role == "manager" and echo.writes and echo.area == "tests"


def test_arguments_are_checked_by_name(echo):
    with pytest.raises(ValidationError) as missing:
        commands.run(None, "test.echo", "lisa", {})
    assert missing.value.field == "name"
    with pytest.raises(ValidationError) as unknown:
        commands.run(None, "test.echo", "lisa", {"name": "x", "colour": "red"})
    assert unknown.value.field == "colour" and "name, qty, on" in unknown.value.hint
    with pytest.raises(ValidationError) as not_object:
        commands.run(None, "test.echo", "lisa", ["x"])
    assert not_object.value.field == "args"
    with pytest.raises(NotFound):
        commands.get("test.nothing")


def test_results_come_back_as_json_values(echo):
    made, names = commands.run(None, "test.echo", "lisa", {"name": "kaffe", "on": "2026-03-04"})
    assert made == {"id": 1000, "on": "2026-03-04"} and sorted(names) == ["kaffe", "lisa"]
    with pytest.raises(ValidationError) as bad_date:
        commands.run(None, "test.echo", "lisa", {"name": "x", "on": "4/3"})
    assert bad_date.value.field == "on"


def test_int_arguments_refuse_floats_and_booleans():
    assert commands.as_int(5, "qty") == 5
    assert commands.as_int(None, "qty", optional=True) is None
    for bad in (1.5, True, "5", None):
        with pytest.raises(ValidationError) as exc:
            commands.as_int(bad, "qty")
        assert exc.value.field == "qty"


def test_a_name_cannot_be_registered_twice_by_another_function(echo):
    with pytest.raises(RuntimeError):
        commands.command("test.echo")(lambda session, who: None)
