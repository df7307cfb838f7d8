"""Splitting a compact snapshot page (`format=rows`) into its head and the rows' JSON text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sync.client import ServerBusy, split_rows_page

values = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 63, 2 ** 63 - 1), st.text())


@given(st.lists(st.lists(values, min_size=2, max_size=2), max_size=5),
       st.one_of(st.none(), st.integers(), st.text(), st.lists(st.text(), min_size=2, max_size=2)))
def test_rows_and_next_come_back_whatever_the_text_holds(rows, nxt):
    head = json.dumps({"columns": ["a", "b"], "next": nxt}, separators=(",", ":"), ensure_ascii=False)
    body = head[:-1] + ',"rows":' + json.dumps(rows, separators=(",", ":"), ensure_ascii=False) + "}"
    page = split_rows_page(body)
    assert page["columns"] == ["a", "b"] and page["next"] == nxt
    assert json.loads(page["rows_json"]) == rows


def test_an_object_page_is_not_compact():
    assert split_rows_page('{"rows":[{"id":1}],"next":null}') is None


def test_a_cut_page_is_refused():
    with pytest.raises(ServerBusy):
        split_rows_page('{"columns":["a"],"next":null,"rows":[[1],')
