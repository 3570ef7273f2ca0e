"""SRX 2.0 files → :class:`SrxRules` (the parsed rules, not yet compiled).

Reads what the standard defines and what Okapi and OmegaT write: the header's
``cascade`` and ``segmentsubflows``, ``languagerules`` of ``rule`` elements
(``break`` defaults to ``yes``; ``beforebreak``/``afterbreak`` may be absent
or empty) and ``maprules``. Elements of other namespaces (Okapi's
``okpsrx:*``) are ignored. Every error names the file and line, because SRX
files are edited by hand.
"""

from __future__ import annotations

import functools
import os
import typing as t
from dataclasses import dataclass, field
from importlib import resources

import regex
from lxml import etree

from ..errors import InputError, SegmentationError
from ..formats.xml_safe import parse_xml
from ..model import Location
from . import javaregex

if t.TYPE_CHECKING:
    from .engine import Breaker

SRX_NS = "http://www.lisa.org/srx20"
_Q = f"{{{SRX_NS}}}"
DEFAULT_RULES = "duet.srx"


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``<rule>``: a break (or no-break) between text matching ``before`` and ``after``.

    Patterns are already translated from Java to the ``regex`` dialect.
    """

    is_break: bool
    before: str
    after: str
    line: int


@dataclass(frozen=True, slots=True)
class LanguageMap:
    """One ``<languagemap>``: languages whose tag fully matches ``pattern`` use ``rule_name``."""

    pattern: regex.Pattern[str]
    rule_name: str
    line: int


@dataclass(frozen=True, eq=False)
class SrxRules:
    """A parsed SRX document. Compiled rules are cached per language on the instance.

    ``timed`` rules get a time budget per paragraph (see :mod:`.guard`): all
    but Duet's own, which are tested not to need one.
    """

    path: str
    cascade: bool
    segment_subflows: bool
    language_rules: t.Mapping[str, tuple[Rule, ...]]
    maps: tuple[LanguageMap, ...]
    timed: bool = True
    _breakers: dict[str, Breaker] = field(default_factory=dict, repr=False)
    _tags: dict[str, Breaker] = field(default_factory=dict, repr=False)

    def rules_for(self, language: str) -> tuple[Rule, ...]:
        """The rules that apply to a BCP 47 tag, in the order SRX says to try them.

        With ``cascade`` every matching map contributes its rules, in map order;
        without it only the first matching map does.
        """
        rules: list[Rule] = []
        matched = False
        for lmap in self.maps:
            if lmap.pattern.fullmatch(language):
                matched = True
                rules.extend(self.language_rules[lmap.rule_name])
                if not self.cascade:
                    break
        if not matched:
            raise SegmentationError(f"no segmentation rules for {language!r}", Location(self.path))
        return tuple(rules)

    def breaker_for_tag(self, tag: str, normalize: t.Callable[[str], str]) -> Breaker:
        """The compiled rules for ``tag`` as a caller wrote it (``zh_HK``), normalized once by ``normalize``."""
        found = self._tags.get(tag)
        if found is None:
            found = self._tags[tag] = self.breaker(normalize(tag))
        return found

    def breaker(self, language: str) -> Breaker:
        """The compiled rules for ``language`` (a normalized BCP 47 tag), built once."""
        key = language.lower()
        found = self._breakers.get(key)
        if found is None:
            from .engine import Breaker, TimedBreaker

            rules = self.rules_for(language)
            found = self._breakers[key] = TimedBreaker(rules, self.path) if self.timed else Breaker(rules)
        return found


def load_rules(path: str | os.PathLike[str] | None = None) -> SrxRules:
    """Read an SRX 2.0 file; ``None`` gives Duet's default rules (``rules/duet.srx``)."""
    if path is None:
        return _default_rules()
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SegmentationError(f"cannot read SRX file: {exc.strerror or exc}", Location(shown)) from exc
    return parse_rules(data, shown)


@functools.cache
def _default_rules() -> SrxRules:
    source = resources.files(__package__).joinpath("rules", DEFAULT_RULES)
    return parse_rules(source.read_bytes(), str(source), timed=False)


def parse_rules(data: bytes, path: str, *, timed: bool = True) -> SrxRules:
    """Parse SRX bytes; ``path`` is only used in error locations; ``timed`` as in :class:`SrxRules`."""
    root = _parse_xml(data, path)
    if root.tag != f"{_Q}srx":
        raise SegmentationError(
            f"not an SRX 2.0 file: root element is {root.tag!r}, expected 'srx' in namespace {SRX_NS}",
            Location(path, root.sourceline),
        )
    header = root.find(f"{_Q}header")
    cascade = header is not None and header.get("cascade", "no") == "yes"
    subflows = header is None or header.get("segmentsubflows", "yes") == "yes"
    language_rules: dict[str, tuple[Rule, ...]] = {}
    for element in root.iterfind(f"{_Q}body/{_Q}languagerules/{_Q}languagerule"):
        name = _required(element, "languagerulename", path)
        language_rules[name] = tuple(_read_rule(r, path) for r in element.iterfind(f"{_Q}rule"))
    maps = tuple(
        _read_map(element, language_rules, path)
        for element in root.iterfind(f"{_Q}body/{_Q}maprules/{_Q}languagemap")
    )
    return SrxRules(path, cascade, subflows, language_rules, maps, timed)


def _parse_xml(data: bytes, path: str) -> etree._Element:
    try:
        return parse_xml(data, path)
    except InputError as exc:
        raise SegmentationError(exc.message, exc.loc) from exc


def _required(element: etree._Element, name: str, path: str) -> str:
    value = element.get(name)
    if not value:
        local = etree.QName(element).localname
        raise SegmentationError(f"<{local}> lacks the attribute {name!r}", Location(path, element.sourceline))
    return value


def _read_rule(element: etree._Element, path: str) -> Rule:
    flag = element.get("break", "yes")
    if flag not in ("yes", "no"):
        raise SegmentationError(f"break must be 'yes' or 'no', not {flag!r}", Location(path, element.sourceline))
    parts = []
    for name in ("beforebreak", "afterbreak"):
        child = element.find(f"{_Q}{name}")
        source = (child.text or "") if child is not None else ""
        try:
            pattern = javaregex.translate(source)
            regex.compile(pattern, javaregex.FLAGS)
        except (regex.error, javaregex.JavaRegexError) as exc:
            raise SegmentationError(
                f"invalid regex in {name} {source!r}: {exc}", Location(path, element.sourceline)
            ) from exc
        parts.append(pattern)
    return Rule(flag == "yes", parts[0], parts[1], element.sourceline or 0)


def _read_map(element: etree._Element, language_rules: t.Mapping[str, object], path: str) -> LanguageMap:
    pattern = _required(element, "languagepattern", path)
    name = _required(element, "languagerulename", path)
    loc = Location(path, element.sourceline)
    if name not in language_rules:
        raise SegmentationError(f"languagemap names a missing languagerule {name!r}", loc)
    try:
        compiled = regex.compile(javaregex.translate(pattern), javaregex.FLAGS | regex.IGNORECASE)
    except (regex.error, javaregex.JavaRegexError) as exc:
        raise SegmentationError(f"invalid languagepattern {pattern!r}: {exc}", loc) from exc
    return LanguageMap(compiled, name, element.sourceline or 0)
