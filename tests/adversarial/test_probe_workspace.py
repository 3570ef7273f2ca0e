"""Probes: release ids, symbolic links and stale outputs must never touch files outside the workspace."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from probe import SAMPLE_RELEASE, Fence, assert_clean_error, assert_no_traceback, duet, make_workspace, snapshot


def test_release_id_dot_dot_deletes_nothing(tmp_path: Path) -> None:
    """``sources/...txt`` (id ``..``) through ``duet build``: refused naming the file, no workspace file deleted."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "...txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    (root / "NOTES.md").write_text("notes\n", encoding="utf-8")
    before = {k: v for k, v in snapshot(root).items() if not k.startswith(("locales/", "output/", ".duet/"))}
    done = duet("build", "-w", root)
    assert_clean_error(done, "sources/...txt")
    after = snapshot(root)
    assert all(after.get(name) == data for name, data in before.items())
    assert (root / "output" / "meeting" / "manifest.json").is_file()  # the good release is still built


def test_release_id_dot_keeps_output_zips(tmp_path: Path) -> None:
    """``sources/..txt`` (id ``.``) through ``duet export --zip``: refused; ``output/*.zip`` and loose files untouched."""
    root = make_workspace(tmp_path / "ws")
    assert duet("build", "-w", root).returncode in (0, 1)
    assert duet("export", "--zip", "--allow-incomplete", "-w", root).returncode in (0, 1)
    (root / "sources" / "..txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    before = snapshot(root / "output")
    done = duet("export", "--zip", "--allow-incomplete", "-w", root)
    assert_clean_error(done, "sources/..txt")
    assert snapshot(root / "output") == before


def test_zip_entries_stay_in_their_folder(tmp_path: Path) -> None:
    """``duet export --zip``: every entry of the zip is ``<id>/<file>``, none climbs out (zip slip)."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "..a.txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    duet("build", "-w", root)
    duet("export", "--zip", "-w", root)
    for archive in (root / "output").glob("*.zip"):
        for name in zipfile.ZipFile(archive).namelist():
            parts = name.split("/")
            assert len(parts) == 2 and parts[0] == archive.name[:-4] and parts[1] not in ("", ".", "..")


def test_newline_in_source_file_name_is_refused(tmp_path: Path) -> None:
    """``sources/a<LF>b.txt``: ``duet build`` refuses that release in one line; the PO files stay readable."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "a\nb.txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    done = duet("build", "-w", root)
    assert_no_traceback(done)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert duet("build", "-w", root).returncode == 2  # still only that release refused
    assert (root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "meeting.po").is_file()


def test_release_name_not_an_id_on_the_command_line(tmp_path: Path) -> None:
    """``duet extract ../../etc/passwd``: no such release, one line, nothing read from outside."""
    root = make_workspace(tmp_path / "ws")
    done = duet("extract", "../../../etc/passwd", "-w", root)
    assert_clean_error(done)
    assert not (root / "locales" / "templates").exists()


def test_output_symlink_to_outside(tmp_path: Path) -> None:
    """``output/`` a symbolic link to a folder outside: ``duet build`` refuses to write there, the folder is untouched."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / "output").rmdir()
    (root / "output").symlink_to(fence.root, target_is_directory=True)
    done = duet("build", "-w", root)
    assert_clean_error(done, "output")
    fence.assert_untouched()


def test_a_refused_release_does_not_hide_the_error_that_stops_the_run(tmp_path: Path) -> None:
    """A badly named release and ``output/`` linked outside: both are reported, each on its own line, exit 2."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "...txt").write_text("A release.\n", encoding="utf-8")
    (root / "output").rmdir()
    (root / "output").symlink_to(fence.root, target_is_directory=True)
    for command in ("build", "export"):
        done = duet(command, "-w", root)
        assert done.returncode == 2
        assert_no_traceback(done)
        lines = done.stderr.splitlines()
        assert any("release id '..' is not valid" in line for line in lines), done.stderr
        assert any(line.startswith("output: ") and "outside the workspace" in line for line in lines), done.stderr
    fence.assert_untouched()


def test_bundle_folder_symlink_to_outside(tmp_path: Path) -> None:
    """``output/meeting`` a link to outside holding a stray file: ``duet export`` neither writes nor deletes there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    assert duet("extract", "-w", root).returncode == 0
    (root / "output" / "meeting").symlink_to(fence.root, target_is_directory=True)
    done = duet("export", "--allow-incomplete", "-w", root)
    assert_clean_error(done, "output/meeting")
    fence.assert_untouched()


def test_source_symlink_to_outside_file(tmp_path: Path) -> None:
    """``sources/leak.txt`` a link to a file outside: refused by name; its content reaches no PO file or bundle."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "leak.txt").symlink_to(fence.root / "secret.txt")
    done = duet("build", "-w", root)
    assert_clean_error(done, "sources/leak.txt")
    fence.assert_not_leaked(root)
    fence.assert_untouched()


def test_source_symlink_inside_workspace_is_read(tmp_path: Path) -> None:
    """A link from ``sources/`` to another file of the workspace stays allowed."""
    root = make_workspace(tmp_path / "ws")
    (root / "drafts").mkdir()
    (root / "drafts" / "draft.txt").write_text(SAMPLE_RELEASE.replace("ninth", "tenth"), encoding="utf-8")
    (root / "sources" / "draft.txt").symlink_to(root / "drafts" / "draft.txt")
    done = duet("extract", "-w", root)
    assert done.returncode == 0, str(done)
    assert "tenth" in (root / "locales" / "templates" / "draft.pot").read_text(encoding="utf-8")


def test_locale_folder_symlink_to_outside(tmp_path: Path) -> None:
    """``locales/zh_Hant_HK`` a link to outside: ``duet extract`` neither reads nor writes PO files there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / "locales" / "zh_Hant_HK").symlink_to(fence.root, target_is_directory=True)
    done = duet("extract", "-w", root)
    assert_clean_error(done, "locales/zh_Hant_HK")
    fence.assert_untouched()


def test_cache_folder_symlink_to_outside(tmp_path: Path) -> None:
    """``.duet`` a link to outside: the memory, lock and caches are not written there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / ".duet").symlink_to(fence.root, target_is_directory=True)
    done = duet("build", "-w", root)
    assert_clean_error(done, ".duet")
    fence.assert_untouched()


def test_glossary_path_outside_the_workspace(tmp_path: Path) -> None:
    """``glossary = "../outside/secret.txt"`` in duet.toml: refused naming duet.toml; nothing read from there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws", config='glossary = "../outside/secret.txt"\n')
    done = duet("build", "-w", root)
    assert_clean_error(done, "duet.toml")
    fence.assert_not_leaked(root)


def test_stale_cleanup_deletes_only_what_duet_wrote(tmp_path: Path) -> None:
    """A user's file in ``output/meeting/``: a second ``duet export`` keeps it; a file Duet wrote and no longer writes goes."""
    root = make_workspace(tmp_path / "ws")
    assert duet("build", "-w", root).returncode in (0, 1)
    folder = root / "output" / "meeting"
    (folder / "README.txt").write_text("the web team's notes\n", encoding="utf-8")
    written = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert any(f["name"].endswith(".publish.html") for f in written) is False  # untranslated: publish page refused
    assert duet("export", "--allow-incomplete", "-w", root).returncode in (0, 1)
    assert (folder / "meeting.zh_Hant_HK.publish.html").is_file()
    assert duet("export", "-w", root).returncode in (0, 1)
    assert (folder / "README.txt").read_text(encoding="utf-8") == "the web team's notes\n"
    assert not (folder / "meeting.zh_Hant_HK.publish.html").exists()


def test_stale_cleanup_never_follows_a_manifest_out(tmp_path: Path) -> None:
    """A manifest edited to list ``../../NOTES.md``: ``duet export`` deletes nothing outside the bundle folder."""
    root = make_workspace(tmp_path / "ws")
    (root / "NOTES.md").write_text("notes\n", encoding="utf-8")
    assert duet("build", "-w", root).returncode in (0, 1)
    path = root / "output" / "meeting" / "manifest.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["files"] += [{"name": "../../NOTES.md"}, {"name": "/etc/hostname"}, {"name": ".."}]
    path.write_text(json.dumps(document), encoding="utf-8")
    done = duet("export", "-w", root)
    assert_no_traceback(done)
    assert (root / "NOTES.md").read_text(encoding="utf-8") == "notes\n"


def test_release_named_on_the_command_line_is_checked_too(tmp_path: Path) -> None:
    """``duet export ..``: not a release; one line, nothing written or deleted."""
    root = make_workspace(tmp_path / "ws")
    (root / "sources" / "...txt").write_text(SAMPLE_RELEASE, encoding="utf-8")
    before = snapshot(root)
    done = duet("export", "..", "-w", root)
    assert_clean_error(done)
    assert {k: v for k, v in snapshot(root).items() if not k.startswith(".duet/")} == before


def test_memory_tmx_symlink_to_outside(tmp_path: Path) -> None:
    """``locales/memory/old.tmx`` a link to a TMX outside: ``duet translate`` refuses it by name, reads nothing there."""
    fence = Fence(tmp_path / "outside")
    (fence.root / "old.tmx").write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
        'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body><tu><tuv xml:lang="en">'
        '<seg>Mr Chan said the meeting was useful.</seg></tuv><tuv xml:lang="zh-HK"><seg>SECRET-OUTSIDE</seg></tuv>'
        '</tu></body></tmx>', encoding="utf-8")
    fence.before = snapshot(fence.root)
    root = make_workspace(tmp_path / "ws")
    (root / "locales" / "memory").mkdir()
    (root / "locales" / "memory" / "old.tmx").symlink_to(fence.root / "old.tmx")
    assert duet("extract", "-w", root).returncode == 0
    done = duet("translate", "-w", root)
    assert_clean_error(done, "locales/memory/old.tmx")
    fence.assert_not_leaked(root)
    fence.assert_untouched()


def test_tm_import_into_a_linked_memory_folder(tmp_path: Path) -> None:
    """``locales/memory`` a link to outside: ``duet tm import`` of a file named on the command line writes nothing there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws")
    (root / "locales" / "memory").symlink_to(fence.root, target_is_directory=True)
    tmx = tmp_path / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
        'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body><tu><tuv xml:lang="en">'
        '<seg>Good.</seg></tuv><tuv xml:lang="zh-HK"><seg>好。</seg></tuv></tu></body></tmx>', encoding="utf-8")
    done = duet("tm", "import", tmx, "-w", root)
    assert_clean_error(done, "locales/memory")
    fence.assert_untouched()


def test_glossary_import_into_a_linked_locales_folder(tmp_path: Path) -> None:
    """``locales`` a link to outside, no glossary yet: ``duet glossary import terms.csv`` writes nothing there."""
    fence = Fence(tmp_path / "outside")
    root = make_workspace(tmp_path / "ws", glossary=None)
    (root / "locales").rmdir()
    (root / "locales").symlink_to(fence.root, target_is_directory=True)
    terms = tmp_path / "terms.csv"
    terms.write_text("en,zh-Hant-HK\nExpert group,專家小組\n", encoding="utf-8")
    done = duet("glossary", "import", terms, "-w", root)
    assert_clean_error(done, "locales")
    fence.assert_untouched()
