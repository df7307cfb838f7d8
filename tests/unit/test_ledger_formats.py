"""VAT return arithmetic and the SIE reader, without a database."""

import datetime as dt

import pytest

from core.errors import ValidationError
from core.ledger.fx import parse_rate_micro, to_sek
from core.ledger.sie4 import amount, quote
from core.ledger.sie4_import import SieError, parse, tokens
from core.ledger.vat_return import OUTPUT_VAT_BOXES, VatReturn, box_49, month


def test_box_49_is_output_vat_minus_input_vat():
    boxes = {b: 0 for b in OUTPUT_VAT_BOXES} | {"10": 25_000, "11": 1_200, "12": 600, "30": 2_500,
                                                 "60": 100, "48": 7_000}
    assert box_49(boxes) == 25_000 + 1_200 + 600 + 2_500 + 100 - 7_000


def test_the_form_takes_whole_kronor():
    ret = VatReturn(dt.date(2026, 4, 1), dt.date(2026, 4, 30),
                    {"05": 1_000_099, "10": 250_025, "48": 10_099, "49": 239_926})
    kr = ret.in_kronor()
    assert (kr["05"], kr["10"], kr["48"], kr["49"]) == (10_000, 2_500, 100, 2_400)


def test_month_periods():
    assert month("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    with pytest.raises(ValidationError, match="YYYY-MM"):
        month("april")


def test_exchange_rates_are_exact():
    assert parse_rate_micro("11,2345") == 11_234_500
    assert to_sek(10_000, 11_234_567) == 112_346  # 100 EUR → 1 123,46 kr, rounded half up
    with pytest.raises(ValidationError):
        parse_rate_micro("11.1234567")


def test_sie_fields():
    assert amount(-125050) == "-1250.50" and amount(7) == "0.07"
    assert quote('Säljare "Åsa"') == '"Säljare \\"Åsa\\""'
    assert tokens('#KONTO 1910 "Kassa \\"A\\"" {1 "2"} 5') == ["#KONTO", "1910", 'Kassa "A"', '{1 "2"}', "5"]


GOOD = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#FNAMN "Gamla Butiken AB"
#RAR 0 20260101 20261231
#KONTO 1910 "Kassa"
#KONTO 2081 "Aktiekapital"
#IB 0 1910 25000.00
#IB 0 2081 -25000.00
#IB -1 1910 100.00
#VER A 1 20260105 "Ö"
{
#TRANS 1910 {} 10.00
#TRANS 2081 {} -10.00
}
"""


def test_parse_reads_chart_year_and_opening_balances():
    sie = parse(GOOD.encode("cp437"))
    assert sie.accounts == {1910: "Kassa", 2081: "Aktiekapital"}
    assert sie.year == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert sie.opening == {1910: 2_500_000, 2081: -2_500_000}
    assert sie.company == "Gamla Butiken AB"


@pytest.mark.parametrize("bad,line,why", [
    (GOOD.replace("#IB 0 1910 25000.00", "#IB 0 19x0 25000.00"), 8, "four-digit"),
    (GOOD.replace("25000.00\n#IB 0 2081", "25000.001\n#IB 0 2081"), 8, "two decimals"),
    (GOOD.replace("#RAR 0 20260101", "#RAR 0 20261301"), 5, "date"),
    (GOOD.replace('#KONTO 1910 "Kassa"', '#KONTO 1910 "Kassa'), 6, "not closed"),
    (GOOD.replace("#IB 0 2081 -25000.00", "#IB 0 2081 -24000.00"), 9, "sum"),
    (GOOD.replace("#FLAGGA 0\n", ""), 1, "#FLAGGA"),
    (GOOD.replace("{\n#TRANS 1910", "#TRANS 1910"), 12, "outside"),
    (GOOD + "}\n", 16, "without"),
    (GOOD.replace("#SIETYP 4", "SIETYP 4"), 3, "LABEL"),
    (GOOD.replace("#IB 0 1910 25000.00", "#IB 0 3001 25000.00"), 8, "result account"),
])
def test_a_malformed_file_is_refused_with_its_line(bad, line, why):
    with pytest.raises(SieError, match=why) as err:
        parse(bad.encode("cp437"))
    assert err.value.line == line
    assert f"line {line}" in str(err.value)
