"""Catalogue rules without a database: barcodes, SKUs, variant value codes, search query escaping."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.catalog.barcodes import (
    barcode_kind,
    ean8_with_check,
    ean13_with_check,
    lookup_variants,
    validate_barcode,
)
from core.catalog.products import validate_sku
from core.catalog.search import fts_query, words
from core.catalog.variants import value_code
from core.errors import ValidationError


class TestBarcodes:
    def test_valid_ean13(self):
        assert validate_barcode("7310865004703") == "7310865004703"
        assert barcode_kind("7310865004703") == "EAN-13"

    def test_ean13_with_spaces_and_dashes_is_compacted(self):
        assert validate_barcode("731 0865-004703") == "7310865004703"

    def test_wrong_check_digit_names_the_code_and_the_right_digit(self):
        with pytest.raises(ValidationError) as e:
            validate_barcode("7310865004704")
        assert e.value.field == "barcode"
        assert "7310865004704" in str(e.value)
        assert "should be 3" in str(e.value)

    def test_ean8(self):
        assert barcode_kind("73513537") == "EAN-8"
        with pytest.raises(ValidationError, match="check digit"):
            validate_barcode("73513538")

    def test_upc_a(self):
        assert barcode_kind("036000291452") == "UPC-A"
        with pytest.raises(ValidationError, match="check digit"):
            validate_barcode("036000291453")

    @pytest.mark.parametrize("code", ["1234567", "12345678901", "123456789012345"])
    def test_wrong_length(self, code):
        with pytest.raises(ValidationError, match="digits") as e:
            validate_barcode(code)
        assert e.value.field == "barcode" and code in str(e.value)

    @pytest.mark.parametrize("code", ["73108650047A3", "", "   "])
    def test_not_digits_or_empty(self, code):
        with pytest.raises(ValidationError) as e:
            validate_barcode(code)
        assert e.value.field == "barcode"

    def test_ean13_with_check_makes_valid_codes(self):
        assert ean13_with_check("731086500470") == "7310865004703"
        assert ean8_with_check("7351353") == "73513537"
        with pytest.raises(ValidationError):
            ean13_with_check("73108650047")

    @given(st.text(alphabet="0123456789", min_size=12, max_size=12))
    def test_every_generated_ean13_validates(self, prefix):
        code = ean13_with_check(prefix)
        assert validate_barcode(code) == code

    @given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 12),
           st.integers(1, 9))
    def test_one_changed_digit_is_caught(self, prefix, pos, delta):
        code = ean13_with_check(prefix)
        bad = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1:]
        with pytest.raises(ValidationError):
            validate_barcode(bad)

    def test_upc_a_is_also_looked_up_as_ean13(self):
        assert lookup_variants("036000291452") == ["036000291452", "0036000291452"]
        assert lookup_variants("0036000291452") == ["0036000291452", "036000291452"]
        assert lookup_variants("7310865004703") == ["7310865004703"]


class TestSku:
    @pytest.mark.parametrize("sku", ["KL-001", "a.b_c-9", "X" * 64, "1"])
    def test_valid(self, sku):
        assert validate_sku(sku) == sku

    @pytest.mark.parametrize("sku", ["KL 001", "TRÖJA-1", "X" * 65, "a/b", "ab#", "é"])
    def test_invalid_names_the_field(self, sku):
        with pytest.raises(ValidationError) as e:
            validate_sku(sku)
        assert e.value.field == "sku"
        assert repr(sku) in str(e.value)

    @pytest.mark.parametrize("sku", ["", "  ", None])
    def test_required(self, sku):
        with pytest.raises(ValidationError, match="required") as e:
            validate_sku(sku)
        assert e.value.field == "sku"


class TestValueCodes:
    @pytest.mark.parametrize("value, code", [("Röd", "ROD"), ("Blå", "BLA"), ("Svart", "SVART"),
                                             ("Ljus grå", "LJUSGRA"), ("XL", "XL"), ("Weiß", "WEISS"),
                                             ("Grøn", "GRON"), ("36/38", "3638"), ("Ärtgrön", "ARTGRON")])
    def test_ascii_folded_upper_case(self, value, code):
        assert value_code(value) == code

    @given(st.text(max_size=30))
    def test_code_always_fits_a_sku(self, value):
        code = value_code(value)
        assert code == "" or validate_sku(code) == code


class TestSearchQuery:
    def test_every_word_is_a_quoted_prefix(self):
        assert fts_query("röd tröj") == '"röd"* "tröj"*'

    @pytest.mark.parametrize("text", ['"', "*", 'a"b', "NEAR(", "name_sv:kök", "-x", "^", "AND OR NOT"])
    def test_operators_become_plain_words(self, text):
        q = fts_query(text)
        assert q is None or all(re.fullmatch(r'"[^\W_]+"\*?', part) for part in q.split(" "))

    def test_a_single_character_is_a_whole_word(self):
        assert fts_query("tröja m") == '"tröja"* "m"'

    def test_sku_splits_like_the_tokenizer(self):
        assert words("KL-0000001_ROD") == ["KL", "0000001", "ROD"]

    def test_no_words(self):
        assert fts_query("  --  ") is None

    def test_decomposed_letters_are_composed(self):
        assert words("ko\u0308k") == ["kök"]
