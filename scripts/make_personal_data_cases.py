"""Write tests/data/personal_data_cases.jsonl: labelled texts for the personal-data recall check.

Phone numbers are libphonenumber's own example numbers for many countries, in international and
national form; card numbers, IBANs and NHS numbers carry valid check digits; the rest are written
by hand. Deterministic (a fixed seed), so the file only changes when this script does:

    python scripts/make_personal_data_cases.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as Format
from phonenumbers import PhoneNumberType as Type
from stdnum import iban, luhn
from stdnum.gb import nhs

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "personal_data_cases.jsonl"
FRAMES = ["Call {} for details", "My number is {}", "Text me on {} tonight", "Ring {} if you can't make it", "Reach Sam at {}.", "WhatsApp {} to join", "Phone: {}"]
REGIONS = ["US", "CA", "AU", "NZ", "IE", "FR", "DE", "ES", "IT", "NL", "IN", "NG", "ZA", "BR", "MX", "JP", "CN", "SG", "HK", "AE", "PK", "KE", "GH", "PL", "SE"]
NOT_PERSONAL = [
    "Published 12/03/2020 at 10:30; ISBN 978-0-14-312779-6; doi:10.1016/j.cell.2020.04.035",
    "Tickets £1,250 or $3,400; 15,000 students from 2019 to 2020",
    "Room 2.15, Bennett Building, 9am-5pm 12-14 March",
    "We raised 1,234,567 pounds in 2021-2022",
    "Our 2024 intake: 4,321 undergraduates and 1,234 postgraduates",
    "Version 3.2.1 of the app is out",
    "The talk runs 10:30:00 to 11:45",
    "Call the switchboard on 0116 252 2522",
    "The Student Wellbeing Service is on 0116 223 1268",
    "Email study@murdoch.edu.au or degreestudies@lu.se",
    "Follow @LeicesterUni@mastodon.ac.uk",
    "Visit us at the Fielding Johnson Building, University Road",
    "21 Awesome Street Art Pieces From Tartu",
    "Day 1 of the 2020 Federation University Road Championships",
    "Grant ref 2021/0345/678 awarded",
    "The ratio was 3.14159265358979",
    "Top 10 parks to visit",
    "COVID-19 cases rose 12% in week 34",
    "Registration 1900-2000 in room G.01",
    "Lecture 5, Room 0.07",
    "Population 67,596,281 (2021)",
    "Flights BA 2490 and EZY 1234 land at 10",
    "PhD 2015-2019, MSc 2013-2014",
    "Score: 97-84, 2nd half",
    "Between 1914 and 1918, 886,000 British soldiers died",
    "Open 10am - 4pm, 7 days a week, 365 days a year",
]


def main() -> None:
    rnd = random.Random(11)
    cases: list[dict[str, object]] = []

    def add(kind: str, text: str, personal: bool = True) -> None:
        cases.append({"kind": kind, "personal": personal, "text": text})

    for region in REGIONS:
        for number_type in (Type.MOBILE, Type.FIXED_LINE):
            number = pn.example_number_for_type(region, number_type)
            if number is not None:
                add("phone_international", rnd.choice(FRAMES).format(pn.format_number(number, Format.INTERNATIONAL)))
    for raw in ["+1 905-674-3793", "+61 490 754 081", "+353 87 123 4567", "+49 151 23456789", "+33 6 12 34 56 78", "+91 98765 43210", "+234 803 123 4567"]:
        add("phone_international", rnd.choice(FRAMES).format(raw))
    for region in ["US", "AU", "IE", "NZ", "IN", "CA"]:
        add("phone_national_abroad", rnd.choice(FRAMES).format(pn.format_number(pn.example_number_for_type(region, Type.MOBILE), Format.NATIONAL)))
    for raw in ["0490 75 40 81", "(905) 674-3793", "087 123 4567"]:
        add("phone_national_abroad", rnd.choice(FRAMES).format(raw))
    for raw in ["07400 123456", "07911 123456", "+44 7911 123456", "+44 (0)7911 123456", "07700 900456", "0161 496 0000", "020 7946 0958", "0113 496 0000", "+44 20 7946 0958", "01632 960 001", "07912345678", "+447912345678"]:
        add("phone_uk", rnd.choice(FRAMES).format(raw))
    for prefix, length, grouping in [("4", 16, (4, 4, 4, 4)), ("51", 16, (4, 4, 4, 4)), ("55", 16, (4, 4, 4, 4)), ("2221", 16, (4, 4, 4, 4)), ("34", 15, (4, 6, 5)), ("37", 15, (4, 6, 5)), ("6011", 16, (4, 4, 4, 4)), ("65", 16, (4, 4, 4, 4)), ("4", 13, None), ("4", 19, None)]:
        for separator in (" ", "-", ""):
            if separator and grouping is None:
                continue
            body = prefix + "".join(rnd.choice("0123456789") for _ in range(length - len(prefix) - 1))
            number = body + luhn.calc_check_digit(body)
            if separator and grouping:
                parts, position = [], 0
                for size in grouping:
                    parts.append(number[position : position + size])
                    position += size
                number = separator.join(parts)
            add("card", rnd.choice(["Pay with card {}", "My card number is {}", "Card: {} exp 09/27", "Use {} for the deposit"]).format(number))
    for example in ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606", "ES91 2100 0418 4502 0005 1332", "NL91 ABNA 0417 1643 00", "IE29 AIBK 9311 5212 3456 78", "IT60 X054 2811 1010 0000 0123 456", "SE45 5000 0000 0583 9825 7466", "CH93 0076 2011 6238 5295 7", "PL61 1090 1014 0000 0712 1981 2874", "AT61 1904 3002 3457 3201"]:
        assert iban.is_valid(example), example
        add("iban", f"Please pay the deposit to {example} by Friday")
        add("iban", f"IBAN: {example.replace(' ', '')}")
    for _ in range(12):
        while True:
            body = rnd.choice("4679") + "".join(rnd.choice("0123456789") for _ in range(8))
            check = (11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11) % 11
            if check != 10:  # no NHS number has a check digit of 10
                break
        number = body + str(check)
        assert nhs.is_valid(number), number
        grouped = f"{number[:3]} {number[3:6]} {number[6:]}"
        add("nhs", rnd.choice(["Patient {} joined the trial", "My NHS number is {}", "NHS no. {}"]).format(rnd.choice([grouped, number])))
    for address in ["203.0.113.42", "198.51.100.7", "192.168.1.20", "10.0.0.138", "81.2.69.160", "2001:db8::8a2e:370:7334", "fe80::1ff:fe23:4567:890a", "2a00:1450:4009:81f::200e"]:
        add("ip", f"The abusive messages came from {address} last night")
    for address in ["Flat 12, Bruce Stream", "flat 3, Carlton House", "14 Victoria Road, Leicester LE2 1AB", "7 Elm Close", "42 Marsh Lane, Oadby", "Apartment 5, Mill Court", "221b Baker Street", "3 Station Road, Market Harborough", "18 Queens Park Terrace", "Flat 2, 9 London Road", "96 Harrow View, Wembley HA1 1AA", "5 Orchard Croft", "Flat 7 Brook House", "12 High Street, Kibworth", "9 willow drive", "1 Church Lane"]:
        add("address", rnd.choice(["Send it to {}", "She lives at {}", "Party at {} on Friday!", "Drop the keys at {}."]).format(address))
    for text in NOT_PERSONAL:
        add("none", text, personal=False)
    OUT.write_text("".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases), encoding="utf-8")


if __name__ == "__main__":
    main()
