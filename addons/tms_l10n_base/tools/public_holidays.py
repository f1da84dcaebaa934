# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A country's public holidays for one year, from the ``holidays`` library.

Each holiday day gets a key that stays the same when its date moves: the year, the
holiday's English name and its day number (Eid al-Fitr lasts two days in Morocco:
``2026/Eid al-Fitr/1`` and ``2026/Eid al-Fitr/2``). A leave generated from a key can so
be found again whatever date it was moved to. Holidays that follow the moon are
computed in advance by the library and flagged as estimated.
"""

from collections import namedtuple

import holidays

PublicHoliday = namedtuple("PublicHoliday", "day key name estimated")

ESTIMATED_SUFFIX = " (estimated)"


class UnknownCountryError(ValueError):
    """The library knows no public holidays for this country."""


def supported_country(country_code):
    return (country_code or "").upper() in holidays.list_supported_countries()


def _calendar(country_code, year, language):
    try:
        return holidays.country_holidays(
            country_code.upper(), years=year, language=language
        )
    except NotImplementedError as error:
        raise UnknownCountryError(country_code) from error


def public_holidays(country_code, year, language=None):
    """The public holidays of ``country_code`` (ISO 3166 alpha-2) in ``year``, in date
    order, named in ``language`` (an Odoo language code such as ``fr_FR`` or
    ``ar_001``) when the library translates them, in English otherwise.

    A day holding two holidays gives two items, with the same date.
    """
    english = _calendar(country_code, year, "en_US")
    local = english
    lang = _library_language(english, language)
    if lang and lang != "en_US":
        local = _calendar(country_code, year, lang)
    result = []
    days_seen = {}
    for day in sorted(english):
        english_names = english.get_list(day)
        local_names = local.get_list(day)
        if len(local_names) != len(english_names):
            local_names = english_names
        for english_name, local_name in zip(english_names, local_names, strict=True):
            estimated = english_name.endswith(ESTIMATED_SUFFIX)
            base = english_name.removesuffix(ESTIMATED_SUFFIX)
            days_seen[base] = days_seen.get(base, 0) + 1
            result.append(
                PublicHoliday(
                    day=day,
                    key=f"{year}/{base}/{days_seen[base]}",
                    name=local_name,
                    estimated=estimated,
                )
            )
    return result


def _library_language(calendar, language):
    """The language of the library closest to an Odoo language code, or None."""
    if not language:
        return None
    supported = calendar.supported_languages or ()
    if language in supported:
        return language
    prefix = language.split("_")[0]
    return next((lang for lang in supported if lang.split("_")[0] == prefix), None)
