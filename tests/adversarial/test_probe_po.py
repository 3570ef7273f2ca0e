"""Probes: PO files in other charsets, translator work without a msgstr, and text no PO file can hold.

Each probe hand-writes ``locales/zh_Hant_HK/LC_MESSAGES/meeting.po`` beside the
sample release, runs the real ``duet`` and judges the file it leaves with GNU
gettext itself: ``msgfmt --check`` must accept it, ``msgconv`` must read every
translation in it from the charset its header names, and a second run must
change no byte.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply, Request
from probe import (
    SAMPLE_RELEASE,
    assert_clean_error,
    assert_no_traceback,
    duet,
    make_workspace,
)

pytestmark = pytest.mark.skipif(shutil.which("msgconv") is None, reason="GNU gettext not installed")

TITLE = "Expert group meets"
MEETING = "The Expert Group on Hong Kong-Guangdong Financial Co-operation held its ninth meeting today."
CHAN = "Mr Chan said the meeting was useful."

# Per charset: translations of the title and the meeting sentence, in characters only that charset
# holds besides ASCII (HKSCS's Cantonese 啱 and 𨋢, GB18030's four-byte 𠀀, CP1252's “”€).
TRANSLATIONS = {
    "ISO-8859-1": ("Réunion du groupe d'experts", "Le groupe a tenu sa neuvième réunion aujourd'hui, « très utile »."),
    "CP1252": ("The “expert group” meets", "The group held its ninth meeting today – costs €2 million…"),
    "BIG5-HKSCS": ("專家小組開會", "粵港金融合作專家小組今日舉行第九次會議，啱啱搭𨋢。"),
    "GB18030": ("专家小组开会", "粤港金融合作专家小组今日举行第九次会议，𠀀。"),
}


def po_path(root: Path) -> Path:
    return root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "meeting.po"


def write_po(root: Path, body: str, *, charset: str = "UTF-8") -> Path:
    """A hand-written PO file for the sample release, in ``charset``."""
    head = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: meeting\\n"\n"Language: zh_Hant_HK\\n"\n"MIME-Version: 1.0\\n"\n'
        f'"Content-Type: text/plain; charset={charset}\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    )
    path = po_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((head + body).encode(codecs.lookup(charset).name))
    return path


def entry(source: str, target: str, *, comment: str = "") -> str:
    return (f"# {comment}\n" if comment else "") + f'msgid "{source}"\nmsgstr "{target}"\n\n'


def gettext_reads(path: Path) -> str:
    """The file as gettext reads it: ``msgfmt --check`` accepts it; its text in UTF-8, one string a line."""
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", path], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()
    converted = subprocess.run(["msgconv", "--to-code=UTF-8", "--no-wrap", path], capture_output=True, check=False)
    assert converted.returncode == 0, converted.stderr.decode()
    return converted.stdout.decode("utf-8")


def declared_charset(path: Path) -> str:
    found = re.search(rb"charset=([^\s\"\\]+)", path.read_bytes())
    assert found is not None
    return found.group(1).decode("ascii")


# ---------------------------------------------------------------- charsets


@pytest.mark.parametrize("charset", TRANSLATIONS)
def test_charset_po_survives_extract_and_two_builds(tmp_path: Path, charset: str) -> None:
    """A ``meeting.po`` in ``charset`` (two translations); ``duet extract``, then the source's ninth meeting
    becomes the tenth and ``duet build`` runs twice: no translation lost as gettext reads the file, its
    header names the charset its bytes are in, ``msgfmt --check`` passes, the second build changes no byte."""
    root = make_workspace(tmp_path / "ws")
    title, meeting = TRANSLATIONS[charset]
    path = write_po(root, entry(TITLE, title) + entry(MEETING, meeting), charset=charset)
    done = duet("extract", "-w", root)
    assert done.returncode == 0, str(done)
    text = gettext_reads(path)
    assert f'msgstr "{title}"' in text and f'msgstr "{meeting}"' in text
    (root / "sources" / "meeting.txt").write_text(SAMPLE_RELEASE.replace("ninth", "tenth"), encoding="utf-8")
    built = _build_twice(root, path)
    text = gettext_reads(path)
    assert f'msgstr "{title}"' in text and f'"{meeting}"' in text  # the old sentence's translation, fuzzy or obsolete
    built[-1].decode(codecs.lookup(declared_charset(path)).name)
    assert built[0] == built[1]


def test_chinese_translation_for_a_latin1_po_converts_it_to_utf8(tmp_path: Path) -> None:
    """An ISO-8859-1 ``meeting.po`` (a French title); the translation memory (``earlier.po``, another
    release) holds a Chinese translation of Mr Chan's sentence. ``duet build`` twice: the file is written in
    UTF-8, its header saying so, gettext reads both translations, the second build changes no byte."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "earlier.txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    write_po(root, entry(CHAN, "陳先生表示會議很有用。")).rename(po_path(root).with_name("earlier.po"))
    path = write_po(root, entry(TITLE, "Réunion du groupe d'experts"), charset="ISO-8859-1")
    built = _build_twice(root, path)
    assert declared_charset(path) == "UTF-8"
    text = gettext_reads(path)
    assert 'msgstr "Réunion du groupe d\'experts"' in text and 'msgstr "陳先生表示會議很有用。"' in text
    assert built[0] == built[1]


def test_euc_tw_po_is_refused_with_the_way_out(tmp_path: Path) -> None:
    """A ``meeting.po`` declaring EUC-TW (gettext reads it, Python has no codec); ``duet extract``: one line
    naming the file and the header's line, saying how to convert the file; nothing written."""
    root = make_workspace(tmp_path / "ws")
    path = write_po(root, entry(TITLE, "Expert group meets"))
    path.write_bytes(path.read_bytes().replace(b"charset=UTF-8", b"charset=EUC-TW"))
    before = path.read_bytes()
    done = duet("extract", "-w", root)
    assert_clean_error(done, "locales/zh_Hant_HK/LC_MESSAGES/meeting.po:6", "msgconv")
    assert path.read_bytes() == before


# ---------------------------------------------------------------- translator work without a msgstr


def test_untranslated_work_becomes_obsolete_when_its_source_goes(tmp_path: Path) -> None:
    """A ``meeting.po`` where Mr Chan's sentence is untranslated but carries a translator comment, and a
    plural entry of the translator's own has only ``msgstr[1]``; the sentence is deleted from the source and
    ``duet extract`` runs twice: both stay as ``#~`` entries with their comment and form, gettext accepts
    the file, the second run changes no byte."""
    root = make_workspace(tmp_path / "ws")
    plural = 'msgid "one meeting"\nmsgid_plural "%d meetings"\nmsgstr[0] ""\nmsgstr[1] "%d次會議"\n\n'
    path = write_po(root, entry(TITLE, "專家小組開會") + entry(CHAN, "", comment="check his name with the desk") + plural)
    (root / "sources" / "meeting.txt").write_text(SAMPLE_RELEASE.replace(CHAN, ""), encoding="utf-8")
    assert duet("extract", "-w", root).returncode == 0
    text = gettext_reads(path)  # gettext keeps what it understands; the file is judged on its bytes below
    assert "專家小組開會" in text
    written = path.read_text(encoding="utf-8")
    assert f'# check his name with the desk\n#~ msgid "{CHAN}"\n#~ msgstr ""\n' in written
    assert '#~ msgid "one meeting"\n#~ msgid_plural "%d meetings"\n#~ msgstr[0] ""\n#~ msgstr[1] "%d次會議"\n' in written
    assert duet("extract", "-w", root).returncode == 0
    assert path.read_text(encoding="utf-8") == written


def test_obsolete_entry_comment_is_read_and_kept(tmp_path: Path) -> None:
    """A ``meeting.po`` with ``#~ # ask the desk before reusing`` on an obsolete entry (gettext reads it as
    that entry's comment); ``duet extract``: accepted, and the comment is written where gettext writes it."""
    root = make_workspace(tmp_path / "ws")
    obsolete = '#~ # ask the desk before reusing\n#~ msgid "The group met yesterday."\n#~ msgstr "小組昨日開會。"\n'
    path = write_po(root, entry(TITLE, "專家小組開會") + obsolete)
    done = duet("extract", "-w", root)
    assert done.returncode == 0, str(done)
    written = path.read_text(encoding="utf-8")
    assert '# ask the desk before reusing\n#~ msgid "The group met yesterday."\n#~ msgstr "小組昨日開會。"\n' in written
    assert "小組昨日開會" in gettext_reads(path)


# ---------------------------------------------------------------- text no PO file can hold


def test_eot_in_a_source_sentence_never_gives_an_unreadable_po(tmp_path: Path) -> None:
    """A release whose sentence holds U+0004 (gettext's msgctxt separator); ``duet extract`` twice: either
    one clean line naming a file, or PO files gettext and Duet both read, the second run changing nothing."""
    root = make_workspace(tmp_path / "ws", release=SAMPLE_RELEASE.replace("was useful", "was\x04useful"))
    first = duet("extract", "-w", root)
    assert_no_traceback(first)
    if first.returncode == 2:
        assert_clean_error(first, "meeting")
        return
    assert first.returncode == 0, str(first)
    gettext_reads(po_path(root))
    written = po_path(root).read_bytes()
    assert duet("extract", "-w", root).returncode == 0
    assert po_path(root).read_bytes() == written


@pytest.mark.parametrize("reply", ["陳先生表示\x04會議很有用。", "陳先生表示\ud800會議很有用。"], ids=["eot", "lone-surrogate"])
def test_mt_reply_no_po_string_can_hold_never_gives_an_unreadable_po(
    tmp_path: Path, http_server: LoopbackServer, reply: str
) -> None:
    """An MT engine (LibreTranslate on loopback) answering every sentence with U+0004 or a lone surrogate
    (``\\ud800`` in its JSON); ``duet translate`` then ``duet extract``: a clean line naming the PO file, or a
    file gettext and Duet read; never a traceback, never a file the next run refuses."""

    def answer(request: Request) -> Reply:
        texts = json.loads(request.body)["q"]
        return Reply(200, json.dumps({"translatedText": [reply for _ in texts]}).encode(), {"Content-Type": "application/json"})

    http_server.route("/translate", answer)
    config = ('target_locales = ["zh_Hant_HK"]\ntranslate_stages = ["exact", "fuzzy", "mt"]\n[mt]\n'
              f'engine = "libretranslate"\nurl = "{http_server.url("")}"\nretries = 0\n')  # fmt: skip
    root = make_workspace(tmp_path / "ws", config=config)
    assert duet("extract", "-w", root).returncode == 0
    done = duet("translate", "-w", root)
    assert_no_traceback(done)
    if done.returncode == 2:
        assert_clean_error(done, "meeting.po")
    after = duet("extract", "-w", root)
    assert after.returncode == 0, str(after)
    gettext_reads(po_path(root))


def _build_twice(root: Path, path: Path) -> list[bytes]:
    """``duet build`` twice, each without a traceback: ``path``'s bytes after each."""
    built = []
    for _ in range(2):
        done = duet("build", "-w", root)
        assert_no_traceback(done)
        assert done.returncode in (0, 1), str(done)
        built.append(path.read_bytes())
    return built
