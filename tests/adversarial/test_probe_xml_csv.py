"""Probes: entity tricks in TMX, TBX and SRX, and hostile glossary CSV cells, through the real ``duet``.

Every XML probe runs the same trick through the three commands that read XML a
user supplies: ``duet tm import`` (TMX), ``duet glossary import`` (TBX) and
``duet segment --rules`` (SRX). Each must refuse the file in one line naming it
and its line (exit 2), write nothing in the workspace, touch nothing outside
it, and never show a byte of the local file an entity points at.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path

import pytest

from probe import Done, Fence, assert_clean_error, duet, make_workspace, snapshot

BODIES = {
    "tmx": '<tmx version="1.4">\n<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"'
           ' adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n<tu tuid="{attribute}">\n'
           '<tuv xml:lang="en"><seg>Tax{reference}</seg></tuv>\n<tuv xml:lang="zh-HK"><seg>稅</seg></tuv>\n'
           "</tu>\n</body>\n</tmx>\n",
    "tbx": '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n<text><body>\n'
           '<conceptEntry id="{attribute}">\n'
           '<langSec xml:lang="en"><termSec><term>Tax{reference}</term></termSec></langSec>\n'
           '<langSec xml:lang="zh-Hant-HK"><termSec><term>稅</term></termSec></langSec>\n'
           "</conceptEntry>\n</body></text>\n</tbx>\n",
    "srx": '<srx xmlns="http://www.lisa.org/srx20" version="2.0">\n<header segmentsubflows="yes" cascade="no"/>\n'
           '<body>\n<languagerules>\n<languagerule languagerulename="{attribute}">\n'
           "<rule break=\"yes\"><beforebreak>\\.{reference}</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
           "</languagerule>\n</languagerules>\n<maprules>\n"
           '<languagemap languagepattern=".*" languagerulename="{attribute}"/>\n</maprules>\n</body>\n</srx>\n',
}
COMMANDS = sorted(BODIES)
LAUGHS = '<!ENTITY l0 "lol">\n' + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">\n' for n in range(1, 10))


def document(kind: str, subset: str | None = None, *, reference: str = "", attribute: str = "a1",
             encoding: str | None = "UTF-8", system: str | None = None) -> str:
    """An XML file of ``kind`` (tmx, tbx, srx) valid but for the trick: its DOCTYPE and where entities are used."""
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n' if encoding else '<?xml version="1.0"?>\n'
    doctype = ""
    if subset is not None or system is not None:
        external = f' SYSTEM "{system}"' if system else ""
        internal = f" [\n{subset}]" if subset is not None else ""
        doctype = f"<!DOCTYPE {kind}{external}{internal}>\n"
    return declaration + doctype + BODIES[kind].format(attribute=attribute, reference=reference)


def run(kind: str, workspace: Path, path: Path) -> Done:
    """Give the file at ``path`` to the command that reads ``kind``."""
    if kind == "tmx":
        return duet("tm", "import", path, "-w", workspace)
    if kind == "tbx":
        return duet("glossary", "import", path, "-w", workspace)
    return duet("segment", "--rules", path, "--lang", "en", "-", "-w", workspace, stdin="Tax. Duty.\n")


def assert_refused(kind: str, tmp_path: Path, data: bytes, fence: Fence | None = None) -> str:
    """The run exits 2 with one ``path:line: message`` line, writes nothing, leaks nothing; the line is returned."""
    fence = fence or Fence(tmp_path / "outside")
    workspace = make_workspace(tmp_path / "ws")
    before = snapshot(workspace)
    path = tmp_path / f"evil.{kind}"
    path.write_bytes(data)
    done = run(kind, workspace, path)
    assert_clean_error(done, str(path))
    assert re.match(rf"{re.escape(str(path))}:[0-9]+(:[0-9]+)?: ", done.stderr), done.stderr
    assert snapshot(workspace) == before, "the refused run wrote in the workspace"
    assert "SECRET" not in done.stdout + done.stderr
    fence.assert_untouched()
    fence.assert_not_leaked(workspace)
    return done.stderr


def secret_url(fence: Fence) -> str:
    return (fence.root / "secret.txt").as_uri()


def utf7(text: str) -> bytes:
    """``text`` in UTF-7 with every character base64-encoded: no ``<`` byte anywhere."""
    return b"+" + base64.b64encode(text.encode("utf-16-be")).rstrip(b"=") + b"-"


# ---------------------------------------------------------------- entity tricks


@pytest.mark.parametrize("kind", COMMANDS)
def test_the_same_file_without_a_trick_is_accepted(kind: str, tmp_path: Path) -> None:
    """The probes' file with ``<!DOCTYPE x SYSTEM "/…/secret.txt">`` and no entity: accepted (exit 0), the local file
    never read; so every refusal below is the trick's doing."""
    fence = Fence(tmp_path / "outside")
    workspace = make_workspace(tmp_path / "ws")
    path = tmp_path / f"plain.{kind}"
    path.write_text(document(kind, system=str(fence.root / "secret.txt")), encoding="utf-8")
    done = run(kind, workspace, path)
    assert done.returncode == 0, str(done)
    assert "SECRET" not in done.stdout + done.stderr
    fence.assert_untouched()
    fence.assert_not_leaked(workspace)


@pytest.mark.parametrize("kind", COMMANDS)
def test_external_entity_to_a_local_file(kind: str, tmp_path: Path) -> None:
    """``<!ENTITY x SYSTEM "file:///…/secret.txt">`` used as ``&x;``: refused at the declaration's line."""
    fence = Fence(tmp_path / "outside")
    data = document(kind, f'<!ENTITY x SYSTEM "{secret_url(fence)}">\n', reference="&x;").encode()
    assert "entity declarations are not allowed" in assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_external_parameter_entity(kind: str, tmp_path: Path) -> None:
    """``<!ENTITY % p SYSTEM "file:///…/secret.txt"> %p;`` in the internal subset: refused, the file never read."""
    fence = Fence(tmp_path / "outside")
    data = document(kind, f'<!ENTITY % p SYSTEM "{secret_url(fence)}">\n%p;\n').encode()
    assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_billion_laughs_in_text(kind: str, tmp_path: Path) -> None:
    """Ten nested entities of ten references each, used in text: refused at once, nothing expanded."""
    assert "entity declarations are not allowed" in assert_refused(kind, tmp_path,
                                                                   document(kind, LAUGHS, reference="&l9;").encode())


@pytest.mark.parametrize("kind", COMMANDS)
def test_billion_laughs_in_an_attribute(kind: str, tmp_path: Path) -> None:
    """The same bomb in an attribute, where libxml2 expands internal entities even when told not to: refused."""
    assert "entity declarations are not allowed" in assert_refused(kind, tmp_path,
                                                                   document(kind, LAUGHS, attribute="&l9;").encode())


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_after_a_comment_opener_in_a_literal(kind: str, tmp_path: Path) -> None:
    """``<!NOTATION n SYSTEM "<!--">``, an entity, then ``"-->"`` in another literal: the entity is real, refused."""
    fence = Fence(tmp_path / "outside")
    subset = (f'<!NOTATION open SYSTEM "<!--">\n<!ENTITY x SYSTEM "{secret_url(fence)}">\n'
              '<!NOTATION close SYSTEM "-->">\n')  # fmt: skip
    message = assert_refused(kind, tmp_path, document(kind, subset).encode(), fence)
    assert ":4: entity declarations are not allowed" in message


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_after_a_comment_opener_in_the_doctype_system_id(kind: str, tmp_path: Path) -> None:
    """``<!DOCTYPE x SYSTEM "<!--" [<!ENTITY x …>]>`` and ``-->`` later in the text: the entity is real, refused."""
    fence = Fence(tmp_path / "outside")
    subset = f'<!ENTITY x SYSTEM "{secret_url(fence)}">\n'
    data = document(kind, subset, system="<!--", reference=" -->").encode()
    assert ":3: entity declarations are not allowed" in assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_after_a_pi_opener_in_a_literal(kind: str, tmp_path: Path) -> None:
    """``<!NOTATION n SYSTEM "<?">``, an entity, then a real ``<?pi?>``: the entity between is real, refused."""
    fence = Fence(tmp_path / "outside")
    subset = f'<!NOTATION open SYSTEM "<?">\n<!ENTITY x SYSTEM "{secret_url(fence)}">\n<?pi end ?>\n'
    assert ":4: entity declarations are not allowed" in assert_refused(kind, tmp_path, document(kind, subset).encode(),
                                                                       fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_after_a_cdata_opener_in_a_literal(kind: str, tmp_path: Path) -> None:
    """``<!NOTATION n SYSTEM "<![CDATA[">``, an entity, ``"]]>"``: refused."""
    subset = '<!NOTATION open SYSTEM "<![CDATA[">\n<!ENTITY x "expanded">\n<!NOTATION close SYSTEM "]]>">\n'
    assert_refused(kind, tmp_path, document(kind, subset).encode())


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_after_a_subset_end_in_a_literal(kind: str, tmp_path: Path) -> None:
    """``<!NOTATION n SYSTEM "]>">`` before the entity, so the subset seems to end early: refused."""
    subset = '<!NOTATION early SYSTEM "]>">\n<!ENTITY x "expanded">\n'
    assert_refused(kind, tmp_path, document(kind, subset).encode())


@pytest.mark.parametrize("kind", COMMANDS)
def test_declaration_made_by_a_parameter_entity(kind: str, tmp_path: Path) -> None:
    """``<!ENTITY % p "<!ENTITY x 'y'>"> %p;``: a declaration that is nowhere in the text as such; refused."""
    assert_refused(kind, tmp_path, document(kind, "<!ENTITY % p \"<!ENTITY x 'y'>\">\n%p;\n").encode())


@pytest.mark.parametrize("kind", COMMANDS)
@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_entity_in_utf32_without_bom(kind: str, codec: str, tmp_path: Path) -> None:
    """A file with an external entity, all in UTF-32 without BOM (libxml2 reads it): refused at line 1."""
    fence = Fence(tmp_path / "outside")
    data = document(kind, f'<!ENTITY x SYSTEM "{secret_url(fence)}">\n', encoding=None).encode(codec)
    assert ":1: unsupported encoding utf-32" in assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_entity_in_utf7(kind: str, tmp_path: Path) -> None:
    """A file declaring UTF-7, its markup all base64 (no ``<`` byte after the declaration): refused at line 1."""
    fence = Fence(tmp_path / "outside")
    text = document(kind, f'<!ENTITY x SYSTEM "{secret_url(fence)}">\n', encoding="UTF-7")
    declaration, rest = text.split("\n", 1)
    data = declaration.encode() + b"\n" + utf7(rest)
    assert ":1: unsupported encoding utf-7" in assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_entity_in_utf16_with_and_without_bom(kind: str, codec: str, tmp_path: Path) -> None:
    """An external entity in UTF-16 (``utf-16``: with BOM; ``-be``/``-le``: none, the declaration tells): refused."""
    fence = Fence(tmp_path / "outside")
    data = document(kind, f'<!ENTITY x SYSTEM "{secret_url(fence)}">\n', encoding="UTF-16").encode(codec)
    assert ":3: entity declarations are not allowed" in assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_external_dtd_at_a_local_file(kind: str, tmp_path: Path) -> None:
    """``<!DOCTYPE x SYSTEM "/…/evil.dtd">`` declaring ``secret`` as the local file, and ``&secret;`` used: the DTD
    is never read and the reference is refused at its line."""
    fence = Fence(tmp_path / "outside")
    dtd = tmp_path / "dtd" / "evil.dtd"
    dtd.parent.mkdir()
    dtd.write_text(f'<!ENTITY secret SYSTEM "{secret_url(fence)}">\n', encoding="utf-8")
    data = document(kind, system=str(dtd), reference="&secret;").encode()
    assert_refused(kind, tmp_path, data, fence)


@pytest.mark.parametrize("kind", COMMANDS)
def test_undeclared_entity_in_an_attribute(kind: str, tmp_path: Path) -> None:
    """``&x;`` in an attribute of a file with an external DTD, where libxml2 would drop it silently: refused."""
    data = document(kind, system="tmx14.dtd", attribute="a&x;").encode()
    assert_refused(kind, tmp_path, data)


# ---------------------------------------------------------------- glossary CSV


def test_glossary_csv_with_a_nul_byte_is_refused_on_import(tmp_path: Path) -> None:
    """A CSV whose second term holds a NUL, through ``duet glossary import``: refused at its line, glossary kept."""
    workspace = make_workspace(tmp_path / "ws")
    before = snapshot(workspace)
    path = tmp_path / "terms.csv"
    path.write_bytes("en,zh-Hant-HK\nTax,稅\nDu\x00ty,關稅\n".encode())
    done = duet("glossary", "import", path, "-w", workspace)
    assert_clean_error(done, f"{path}:3:")
    assert snapshot(workspace) == before


def test_glossary_with_a_nul_byte_exported_as_tbx(tmp_path: Path) -> None:
    """A workspace glossary holding a NUL, through ``duet glossary export --format tbx``: one clean line, no TBX."""
    workspace = make_workspace(tmp_path / "ws", glossary="en,zh-Hant-HK\nTax,稅\nDu\x00ty,關稅\n")
    done = duet("glossary", "export", "--format", "tbx", "-w", workspace)
    assert_clean_error(done, "locales/glossary.csv:3:")
    assert done.stdout == ""


def test_formula_cells_are_exported_as_text_and_import_back(tmp_path: Path) -> None:
    """Terms starting with ``=``, ``+``, ``-``, ``@``, imported then ``duet glossary export --format csv``: no cell of
    the export starts a formula, and importing the export gives the same glossary back."""
    workspace = make_workspace(tmp_path / "ws")
    terms = tmp_path / "terms.csv"
    terms.write_text('en,zh-Hant-HK,note\n"=HYPERLINK(""http://evil.example/"",""x"")",稅,@SUM(A1)\n'
                     "+852,香港區號,-\n-ism,主義,\"=cmd|' /C calc'!A0\"\n", encoding="utf-8")  # fmt: skip
    assert duet("glossary", "import", terms, "-w", workspace).returncode == 0
    exported = duet("glossary", "export", "--format", "csv", "-w", workspace)
    assert exported.returncode == 0, str(exported)
    cells = [cell for row in list(csv.reader(io.StringIO(exported.stdout)))[1:] for cell in row]
    assert cells and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    again = tmp_path / "again.csv"
    again.write_text(exported.stdout, encoding="utf-8")
    assert duet("glossary", "import", again, "-w", workspace).returncode == 0
    assert duet("glossary", "export", "--format", "csv", "-w", workspace).stdout == exported.stdout
    tbx = duet("glossary", "export", "--format", "tbx", "-w", workspace).stdout
    for term in ("<term>+852</term>", "<term>-ism</term>", "<note>=cmd|' /C calc'!A0</note>", "<note>-</note>"):
        assert term in tbx
