"""Glossary CSV and TBX: reading, writing, refusals at path:line, round trips, schema validity."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from pipeline.errors import InputError
from pipeline.formats.glossary_csv import PARTS_OF_SPEECH, format_glossary_csv, parse_glossary_csv, read_glossary_csv
from pipeline.formats.tbx import format_tbx, parse_tbx, read_tbx
from pipeline.formats.xml_safe import NOT_XML
from pipeline.model import Location, Rendering, Term

from paths import DATA, REPO

TBX = DATA / "tbx"
SAMPLE = REPO / "locales" / "glossary.csv"


@pytest.fixture(scope="module")
def relax_ng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TBX / "TBXcoreStructV03.rng")))


@pytest.fixture(scope="module")
def schematron() -> isoschematron.Schematron:
    """TBX-Basic's DCA rules, its three XPath 2 spellings rewritten for lxml's XSLT 1 (see SOURCE.md)."""
    text = (TBX / "TBX-Basic_DCA.sch").read_text(encoding="utf-8-sig")
    text = text.replace('queryBinding="xslt2"', 'queryBinding="xslt"').replace("./local-name()", "local-name()")
    text = text.replace("matches(@target,'https?://.+')", "starts-with(@target,'http://') or starts-with(@target,'https://')")
    return isoschematron.Schematron(etree.fromstring(text.encode("utf-8")))


# --- CSV ------------------------------------------------------------------------

def test_sample_glossary_reads_and_writes_back_byte_identical() -> None:
    terms = read_glossary_csv(SAMPLE, "locales/glossary.csv")
    assert format_glossary_csv(terms) == SAMPLE.read_text(encoding="utf-8")
    cross = next(t for t in terms if t.rendering("en") == Rendering("cross-boundary"))
    assert cross.rendering("zh-Hant-HK") == Rendering("跨境", (), ("跨界",))
    assert cross.loc == Location("locales/glossary.csv", 13)
    assert cross.pos == "noun"
    hkma = next(t for t in terms if t.rendering("en") == Rendering("HKMA"))
    assert hkma.case_sensitive  # an acronym, with an empty case cell


def test_csv_columns_posix_tags_lists_and_fields() -> None:
    text = ("en,zh_Hant_HK,zh_hant_hk:variants,zh-Hant-HK:forbidden,Case,pos,note\n"
            "Bay Area,大灣區,灣區; 大湾区 ;,大湾区,sensitive,Noun,\"multi\nline\"\n"
            "\n"
            "SFC,證監會,,,insensitive,,\n")
    bay, sfc = parse_glossary_csv(text, "g.csv")
    assert bay == Term((("en", Rendering("Bay Area")), ("zh-Hant-HK", Rendering("大灣區", ("灣區", "大湾区"), ("大湾区",)))),
                       case_sensitive=True, pos="noun", note="multi\nline")
    assert sfc.loc == Location("g.csv", 5) and not sfc.case_sensitive
    assert parse_glossary_csv(format_glossary_csv((bay, sfc)), "g.csv") == (bay, sfc)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "empty glossary"),
    ("en,klingon\nx,y\n", 1, "unknown column 'klingon'"),
    ("en,zh-Hant-HK:alternatives\n", 1, "unknown column 'zh-Hant-HK:alternatives'"),
    ("en,zh-Hant-HK:forbidden\n", 1, "has no 'zh-Hant-HK' column"),
    ("en,EN\n", 1, "appears twice"),
    ("note\nx\n", 1, "no language column"),
    ("en,zh-Hant-HK\nfintech,金融科技\n\nBay Area\n", 4, "row has 1 cells, the header has 2"),
    ("en,zh-Hant-HK\nfintech,金融科技,x\n", 2, "row has 3 cells"),
    ("en,case\nfintech,maybe\n", 2, "case must be 'sensitive' or 'insensitive', not 'maybe'"),
    ("en,pos\nfintech,proper noun\n", 2, "pos must be one of noun, verb, adjective, adverb, other"),
    ("en,zh-Hant-HK,note\n,,a note only\n", 2, "no term in any language"),
    ('en,zh-Hant-HK\n"x\n', 2, "bad CSV"),
    ("en,zh-Hant-HK\nfin\x00tech,金融科技\n", 2, r"character U\+0000 is not allowed in a glossary"),
    ('en,note\na,"one\ntwo"\nb,\x1b[31m\n', 4, r"character U\+001B is not allowed"),
    ("en,zh-Hant-HK\nfintech,金融\ufffe科技\n", 2, r"character U\+FFFE is not allowed"),
])
def test_csv_refusals_name_path_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_glossary_csv(text, "locales/glossary.csv")
    assert info.value.loc == Location("locales/glossary.csv", line)


def test_csv_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("en,zh-Hant-HK\nfintech,金融科技\nx,\xe9\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    with pytest.raises(InputError, match=r"g.csv:3: not valid UTF-8"):
        read_glossary_csv(path, "g.csv")


def test_csv_formula_cells_are_written_as_text_and_read_back() -> None:
    terms = (Term((("en", Rendering("+852")), ("zh-Hant-HK", Rendering("=1+1", ("-ism", "x")))), note="@SUM(A1)"),
             Term((("en", Rendering("'=x")), ("zh-Hant-HK", Rendering("'plain", ("=a", "b")))), note="-"))
    text = format_glossary_csv(terms)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [["'+852", "'=1+1", "'-ism; x", "'@SUM(A1)"], ["''=x", "'plain", "'=a; b", "'-"]]
    assert parse_glossary_csv(text, "g.csv") == terms
    hand_written = parse_glossary_csv("en,zh-Hant-HK\n+852,-ism\n'-ism,''+1\n", "g.csv")
    assert [t.rendering("en").approved for t in hand_written] == ["+852", "-ism"]
    assert hand_written[1].rendering("zh-Hant-HK").approved == "'+1"


# What a cell can carry back: trimmed (reading trims), characters XML can hold; formula starts and CSV syntax often.
CELL_TEXT = st.text(st.one_of(st.sampled_from("=+-@'\t\r\n\";, 跨境HKMA"), st.characters(codec="utf-8")),
                    max_size=12).filter(lambda t: t == t.strip() and not NOT_XML.search(t))
ITEMS = st.lists(CELL_TEXT.filter(lambda t: t and ";" not in t), max_size=3, unique=True).map(tuple)
RENDERINGS = st.builds(Rendering, CELL_TEXT, ITEMS, ITEMS)
TERM = st.builds(lambda en, zh, case, pos, note: Term((("en", en), ("zh-Hant-HK", zh)), case, pos, note),
                 RENDERINGS, RENDERINGS, st.booleans(), st.sampled_from(("", *PARTS_OF_SPEECH)), CELL_TEXT)
TERMS = st.lists(TERM.filter(lambda term: any(r.approved or r.variants for _, r in term.renderings)),
                 min_size=1, max_size=4)


@settings(max_examples=300)
@given(TERMS)
def test_csv_written_by_duet_reads_back_to_the_same_terms_and_holds_no_formula(terms: list[Term]) -> None:
    text = format_glossary_csv(terms)
    assert parse_glossary_csv(text, "g.csv") == tuple(terms)
    for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row


def test_csv_line_of_a_row_after_a_multiline_cell() -> None:
    terms = parse_glossary_csv('en,note\na,"one\ntwo\nthree"\nb,\n', "g.csv")
    assert [t.loc.line for t in terms if t.loc] == [2, 5]


# --- TBX ------------------------------------------------------------------------

def test_csv_to_tbx_to_csv_round_trip_keeps_every_field(relax_ng: etree.RelaxNG, schematron: isoschematron.Schematron) -> None:
    terms = read_glossary_csv(SAMPLE, "g.csv")
    extra = Term((("en", Rendering("Exchange Fund", ("the Fund",), ("Exchange Funds",))), ("zh-Hant-HK", Rendering("", ("外匯基金",))),
                  ("zh-Hans-CN", Rendering("外汇基金"))), case_sensitive=True, pos="other", note="line one\nline two")
    # an empty cell is an empty rendering on both sides
    acronym = Term((("en", Rendering("CEPA")), ("zh-Hant-HK", Rendering("安排")), ("zh-Hans-CN", Rendering(""))), case_sensitive=False)
    terms = (*terms, extra, acronym)
    data = format_tbx(terms)
    doc = etree.fromstring(data)
    assert relax_ng.validate(doc), relax_ng.error_log
    assert schematron.validate(doc), schematron.error_log
    back = parse_tbx(data, "g.tbx")
    assert back == terms
    assert format_glossary_csv(back) == format_glossary_csv(terms)
    assert format_tbx(back) == data
    assert [t.loc.line for t in back[:2] if t.loc] == [12, 36]  # the conceptEntry lines


def test_tbx_mapping_of_statuses_pos_note_and_case() -> None:
    term = Term((("en", Rendering("Joseph Chan")), ("zh-Hant-HK", Rendering("陳浩濂", ("陳先生",), ("陈浩濂",)))),
                case_sensitive=True, pos="noun", note="person")
    doc = etree.fromstring(format_tbx([term]))
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    entry = doc.find(".//t:conceptEntry", ns)
    assert [n.text for n in entry.findall("t:note", ns)] == ["person", "duet:case=sensitive"]
    statuses = [(s.findtext("t:term", namespaces=ns), s.findtext("t:termNote[@type='administrativeStatus']", namespaces=ns),
                 s.findtext("t:termNote[@type='partOfSpeech']", namespaces=ns))
                for s in entry.findall(".//t:termSec", ns)]
    assert statuses == [("Joseph Chan", "preferredTerm-admn-sts", "noun"), ("陳浩濂", "preferredTerm-admn-sts", "noun"),
                        ("陳先生", "admittedTerm-admn-sts", "noun"), ("陈浩濂", "deprecatedTerm-admn-sts", "noun")]


def test_reads_the_tbx_basic_reference_example(schematron: isoschematron.Schematron) -> None:
    path = TBX / "Example_Astronomy_DCA_VALID.tbx"
    assert schematron.validate(etree.parse(str(path)))  # control: the patched rules accept the reference file
    terms = read_tbx(path, "astro.tbx")
    assert len(terms) == 45
    first = terms[0]
    assert [tag for tag, _ in first.renderings] == ["en", "es", "zu"]
    assert first.rendering("en") == Rendering("open cluster", (), ("galactic cluster",))  # superseded → forbidden
    assert first.pos == "noun" and first.note.startswith("G-Source:")
    assert first.loc == Location("astro.tbx", 19)


def test_reads_tbx_2008_martif() -> None:
    [term] = read_tbx(TBX / "test01.tbx")
    assert term.rendering("hu") == Rendering("Alfa simítási tényező")
    [term] = read_tbx(TBX / "maryland.tbx")  # EN and en are one language; ntig and tig
    assert [tag for tag, _ in term.renderings] == ["fr", "it", "es", "en"]
    assert term.rendering("en") is not None and term.rendering("en").approved


def test_reads_dct_style_data_categories() -> None:
    data = b"""<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
      xmlns:min="http://www.tbxinfo.net/ns/min"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
      <text><body><conceptEntry id="c1"><langSec xml:lang="en">
        <termSec><term>cross-border</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus></termSec>
        <termSec><term>cross-boundary</term><min:partOfSpeech>adjective</min:partOfSpeech>
          <min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></termSec>
      </langSec></conceptEntry></body></text></tbx>"""
    [term] = parse_tbx(data, "dct.tbx")
    assert term.rendering("en") == Rendering("cross-boundary", (), ("cross-border",))
    assert term.pos == "adjective"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>&xxe;</body></text></tbx>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<tbx>&lol3;</tbx>"""


@pytest.mark.parametrize(("data", "line"), [(XXE, 3), (LAUGHS, 2), (XXE.decode().encode("utf-16"), 3)],
                         ids=["xxe", "billion-laughs", "xxe-utf16"])
def test_entity_declarations_are_refused(data: bytes, line: int) -> None:
    with pytest.raises(InputError, match="entity declarations are not allowed") as info:
        parse_tbx(data, "evil.tbx")
    assert info.value.loc == Location("evil.tbx", line)


def test_a_doctype_without_entities_is_read_without_loading_the_dtd() -> None:
    data = (TBX / "test01.tbx").read_bytes().replace(b"TBXcoreStructV02.dtd", b"http://127.0.0.1:9/x.dtd")
    assert len(parse_tbx(data, "x.tbx")) == 1


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"<tbx><text>", 1, "not well-formed XML"),
    (b"<glossary/>", 1, "not a TBX file: the root element is <glossary>"),
    (b'<tbx>\n<conceptEntry id="c1">\n<langSec xml:lang="xx-Nope">\n<termSec><term>a</term></termSec></langSec></conceptEntry></tbx>',
     3, "unknown xml:lang 'xx-Nope'"),
    (b'<tbx>\n<conceptEntry id="c1">\n<langSec xml:lang="en">\n<termSec><term> </term></termSec></langSec></conceptEntry></tbx>',
     4, "<termSec> has no term"),
])
def test_tbx_refusals_name_path_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_tbx(data, "g.tbx")
    assert (info.value.loc.path, info.value.loc.line) == ("g.tbx", line)
