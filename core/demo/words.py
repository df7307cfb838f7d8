"""Word lists and identifier generators for the demo shop: Swedish names, valid EANs and ID numbers."""

from __future__ import annotations

import random

from stdnum import luhn
from stdnum.ean import calc_check_digit as ean_check

COLOURS = [("Röd", "ROD"), ("Blå", "BLA"), ("Grön", "GRON"), ("Svart", "SVART"), ("Vit", "VIT"),
           ("Grå", "GRA"), ("Gul", "GUL"), ("Rosa", "ROSA")]
SIZES = [("XS", "XS"), ("S", "S"), ("M", "M"), ("L", "L"), ("XL", "XL"), ("XXL", "XXL")]

GARMENTS = [("Tröja", "Sweater"), ("T-shirt", "T-shirt"), ("Byxor", "Trousers"), ("Jacka", "Jacket"),
            ("Kjol", "Skirt"), ("Skjorta", "Shirt"), ("Klänning", "Dress"), ("Mössa", "Beanie"),
            ("Halsduk", "Scarf"), ("Strumpor", "Socks"), ("Väst", "Vest"), ("Kofta", "Cardigan")]
MATERIALS = [("ull", "wool"), ("bomull", "cotton"), ("linne", "linen"), ("fleece", "fleece"),
             ("denim", "denim"), ("merino", "merino"), ("siden", "silk"), ("lyocell", "lyocell")]
STYLES = ["Åre", "Kiruna", "Visby", "Ystad", "Mora", "Luleå", "Sälen", "Öland", "Gävle", "Malmö",
          "Falun", "Umeå", "Torsby", "Höga", "Ängel", "Björk", "Gran", "Ek", "Lönn", "Sjö"]

FOODS = [("Kaffe", "Coffee"), ("Te", "Tea"), ("Choklad", "Chocolate"), ("Knäckebröd", "Crispbread"),
         ("Honung", "Honey"), ("Sylt", "Jam"), ("Kex", "Biscuits"), ("Lakrits", "Liquorice"),
         ("Müsli", "Muesli"), ("Saft", "Cordial"), ("Ost", "Cheese"), ("Kaviar", "Caviar spread")]
FOOD_QUALIFIERS = [("mörkrost", "dark roast"), ("ekologisk", "organic"), ("lingon", "lingonberry"),
                   ("hjortron", "cloudberry"), ("blåbär", "blueberry"), ("havre", "oat"),
                   ("rabarber", "rhubarb"), ("kardemumma", "cardamom"), ("vanilj", "vanilla")]
BOOK_WORDS = ["Sagan om", "Historien om", "Boken om", "Resan till", "Vägen till", "Hemligheten i",
              "Drömmen om", "Sommaren i", "Vintern på", "Ljuset över"]
PLACES = ["Norrland", "Skåne", "Gotland", "Dalarna", "Lappland", "Småland", "Värmland", "Bohuslän",
          "Hälsingland", "Österlen", "Roslagen", "Jämtland"]

FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sofia", "Anders", "Eva", "Per",
               "Åsa", "Örjan", "Linnéa", "Göran", "Märta", "Björn", "Ingrid", "Måns", "Elin", "Oskar"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
              "Persson", "Svensson", "Gustafsson", "Lindström", "Åberg", "Öberg", "Ström", "Bäckström"]
COMPANY_WORDS = ["Handel", "Bygg", "Konsult", "Design", "Textil", "Café", "Kontor", "Teknik",
                 "Butik", "Grossist"]
CITIES = [("Stockholm", "11122"), ("Göteborg", "41101"), ("Malmö", "21120"), ("Uppsala", "75310"),
          ("Västerås", "72211"), ("Örebro", "70211"), ("Linköping", "58222"), ("Umeå", "90326"),
          ("Luleå", "97231"), ("Jönköping", "55320")]
STREETS = ["Storgatan", "Drottninggatan", "Kungsgatan", "Järnvägsgatan", "Skolgatan", "Åsgatan",
           "Västra vägen", "Östra Långgatan", "Kyrkogatan", "Hamngatan"]


def ean13(n: int, prefix: str = "73") -> str:
    """A valid EAN-13 from a running number (prefix 73 = Sweden's GS1 range)."""
    body = f"{prefix}{n:010d}"
    return body + ean_check(body)


def personnummer(rng: random.Random) -> str:
    """A valid Swedish personal number YYMMDD-NNNC for someone born 1940–2004."""
    year = rng.randint(1940, 2004) % 100
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    serial = rng.randint(0, 999)
    nine = f"{year:02d}{month:02d}{day:02d}{serial:03d}"
    return f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"


def orgnr(n: int) -> str:
    """A valid organisation number NNNNNN-NNNC (digits 3–4 ≥ 20; 55… = aktiebolag)."""
    nine = f"55{20 + n % 80:02d}{n % 100000:05d}"
    return f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"
