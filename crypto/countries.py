"""Country spellings that ISO 3166 (and so pycountry) does not list, for the key spec.

:func:`liaison.crypto.identifiers.normalise_country` resolves a country from
pycountry's codes and names first; this module adds, at lower priority (it
never changes a spelling pycountry already resolves), what published lists
write instead:

* pycountry's inverted names read the other way round ("Palestine, State of"
  is also "State of Palestine", "Korea, Republic of" also "Republic of
  Korea"), and official names without their leading "the" ("the State of
  Palestine");
* the short and former names in :data:`EXTRA_NAMES` ("Kosovo", "Syria",
  "Laos", "Vietnam"...);
* the demonyms in :data:`DEMONYMS` ("Afghan", "Iraqi", "North Korean"), as
  nationality fields often hold them. A demonym shared by two countries
  ("Congolese", "Korean", "Guinean") is deliberately absent: it resolves
  nothing rather than the wrong country.

``docs/keyspec.md`` ("Countries") is the normative text. Adding a spelling
only gives a key to input that had none, so these tables may grow within a
key spec version; changing or removing an entry may not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

EXTRA_NAMES: dict[str, str] = {
    "kosovo": "XK",
    "republic of kosovo": "XK",
    "syria": "SY",
    "laos": "LA",
    "vietnam": "VN",
    "north korea": "KP",
    "south korea": "KR",
    "iran": "IR",
    "russia": "RU",
    "moldova": "MD",
    "tanzania": "TZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "palestinian territories": "PS",
    "occupied palestinian territory": "PS",
    "gaza strip": "PS",
    "west bank": "PS",
    "united states": "US",
    "usa": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "zaire": "CD",
    "democratic republic of congo": "CD",
    "congo kinshasa": "CD",
    "congo brazzaville": "CG",
    "republic of the congo": "CG",
    "serbia and montenegro": "RS",
    "yugoslavia": "RS",
    "ussr": "RU",
    "soviet union": "RU",
    "uae": "AE",
    "emirates": "AE",
    "kyrgyzstan": "KG",
    "kirghizia": "KG",
}
"""Short, former and colloquial country names: folded spelling -> alpha-2."""

DEMONYMS: dict[str, str] = {
    "afghan": "AF",
    "albanian": "AL",
    "algerian": "DZ",
    "american": "US",
    "angolan": "AO",
    "argentine": "AR",
    "argentinian": "AR",
    "armenian": "AM",
    "australian": "AU",
    "austrian": "AT",
    "azerbaijani": "AZ",
    "bahraini": "BH",
    "bangladeshi": "BD",
    "belarusian": "BY",
    "belgian": "BE",
    "bosnian": "BA",
    "brazilian": "BR",
    "british": "GB",
    "bulgarian": "BG",
    "burmese": "MM",
    "burundian": "BI",
    "cambodian": "KH",
    "cameroonian": "CM",
    "canadian": "CA",
    "central african": "CF",
    "chadian": "TD",
    "chilean": "CL",
    "chinese": "CN",
    "colombian": "CO",
    "croatian": "HR",
    "cuban": "CU",
    "cypriot": "CY",
    "czech": "CZ",
    "danish": "DK",
    "djiboutian": "DJ",
    "dutch": "NL",
    "egyptian": "EG",
    "emirati": "AE",
    "eritrean": "ER",
    "estonian": "EE",
    "ethiopian": "ET",
    "filipino": "PH",
    "finnish": "FI",
    "french": "FR",
    "georgian": "GE",
    "german": "DE",
    "ghanaian": "GH",
    "greek": "GR",
    "haitian": "HT",
    "hungarian": "HU",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iraqi": "IQ",
    "irish": "IE",
    "israeli": "IL",
    "italian": "IT",
    "ivorian": "CI",
    "japanese": "JP",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kazakhstani": "KZ",
    "kenyan": "KE",
    "kosovar": "XK",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "lao": "LA",
    "laotian": "LA",
    "latvian": "LV",
    "lebanese": "LB",
    "liberian": "LR",
    "libyan": "LY",
    "lithuanian": "LT",
    "malaysian": "MY",
    "malian": "ML",
    "maldivian": "MV",
    "mauritanian": "MR",
    "mexican": "MX",
    "moldovan": "MD",
    "mongolian": "MN",
    "montenegrin": "ME",
    "moroccan": "MA",
    "mozambican": "MZ",
    "nepalese": "NP",
    "nepali": "NP",
    "nicaraguan": "NI",
    "nigerian": "NG",
    "nigerien": "NE",
    "north korean": "KP",
    "norwegian": "NO",
    "omani": "OM",
    "pakistani": "PK",
    "palestinian": "PS",
    "panamanian": "PA",
    "peruvian": "PE",
    "polish": "PL",
    "portuguese": "PT",
    "qatari": "QA",
    "romanian": "RO",
    "russian": "RU",
    "rwandan": "RW",
    "saudi": "SA",
    "saudi arabian": "SA",
    "senegalese": "SN",
    "serbian": "RS",
    "sierra leonean": "SL",
    "singaporean": "SG",
    "slovak": "SK",
    "slovenian": "SI",
    "somali": "SO",
    "south african": "ZA",
    "south korean": "KR",
    "south sudanese": "SS",
    "spanish": "ES",
    "sri lankan": "LK",
    "sudanese": "SD",
    "swedish": "SE",
    "swiss": "CH",
    "syrian": "SY",
    "tajik": "TJ",
    "tajikistani": "TJ",
    "tanzanian": "TZ",
    "thai": "TH",
    "tunisian": "TN",
    "turkish": "TR",
    "turkmen": "TM",
    "ugandan": "UG",
    "ukrainian": "UA",
    "uzbek": "UZ",
    "uzbekistani": "UZ",
    "venezuelan": "VE",
    "vietnamese": "VN",
    "yemeni": "YE",
    "zambian": "ZM",
    "zimbabwean": "ZW",
}
"""Nationality adjectives: folded spelling -> alpha-2 (one country each)."""


def derived_spellings(spellings: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Yield the other readings of pycountry's names, as written (not folded).

    Args:
        spellings: ``(name, alpha-2)`` pairs as pycountry writes them
            (``"Palestine, State of"``).

    Returns:
        The inverted form of each name with one comma (``"State of
        Palestine"``) and each name starting with ``the`` without it.
    """
    for spelling, code in spellings:
        head, comma, tail = spelling.partition(", ")
        if comma and "," not in tail:
            yield f"{tail} {head}", code
        if spelling.lower().startswith("the "):
            yield spelling[len("the ") :], code
