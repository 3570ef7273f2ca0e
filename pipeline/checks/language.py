"""The PO header's ``Language`` against the locale of the file's folder.

Poedit 3.2 cannot read ``Language: zh_Hant_HK`` and saves the language it
guesses from the translations, ``zh_TW``; every tool after it then takes a
Hong Kong file for a Taiwan one. Any spelling of the folder's locale is fine
(``zh_HK``, ``zh-Hant-HK``, ``zh_Hant_HK``); another locale is reported, never
silently corrected, since the file may as well sit in the wrong folder.
"""

from __future__ import annotations

from .. import locales
from ..model import Catalog
from .base import Problem


def check_header_language(catalog: Catalog, locale: str) -> tuple[Problem, ...]:
    """A ``language-mismatch`` problem when the header names a locale other than ``locale``; none when it names none."""
    written = catalog.metadata.get("Language", "")
    if not written or locales.same_locale(written, locale):
        return ()
    try:
        named = f"'Language: {written}' ({locales.display_name(written, in_locale='en')})"
    except locales.UnknownLocale:
        named = f"'Language: {written}' (not a locale)"
    return (Problem(
        "language-mismatch",
        f"the header says {named} but the file is in the folder of {locale}; write "
        f"'Language: {locales.po_language(locale)}', the spelling Poedit and gettext keep",
    ),)
