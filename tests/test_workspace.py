from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ConfigError, WorkspaceError
from pipeline.workspace import Config, init_workspace, load_config, open_workspace

from paths import REPO


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_config(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()
    assert load_config(tmp_path).path is None


def test_duet_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.duet]\ntarget_locales = ["zh_Hans_CN"]\n')
    write(tmp_path, "duet.toml", 'target_locales = ["zh-hant-hk", "zh_Hans_CN"]\nsegmentation = "my.srx"\n')
    config = load_config(tmp_path)
    assert config.target_locales == ("zh_Hant_HK", "zh_Hans_CN")
    assert config.segmentation == "my.srx"
    assert config.path == str(tmp_path / "duet.toml")


def test_pyproject_tool_duet_section(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.duet]\nsource_locale = "en"\nglossary = "g.csv"\n')
    config = load_config(tmp_path)
    assert config.glossary == "g.csv"
    assert config.target_locales == ("zh_Hant_HK",)


def test_repository_is_the_sample_workspace() -> None:
    workspace = open_workspace(REPO)
    assert workspace.config.target_locales == ("zh_Hant_HK",)
    assert [p.name for p in workspace.source_files()] == ["hk-gd-financial-cooperation.txt"]
    assert workspace.glossary_path == REPO / "locales" / "glossary.csv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('source_locale = "en"\ntarget_local = ["zh_Hant_HK"]\n', "duet.toml:2: unknown key 'target_local'"),
        ('target_locales = "zh_Hant_HK"\n', "duet.toml:1: 'target_locales' must be a list of locales"),
        ('\n\nsource_locale = 3\n', "duet.toml:3: 'source_locale' must be a locale"),
        ('target_locales = ["zh_Hant_HK", "xx_YY"]\n', "duet.toml:1: 'target_locales': unknown locale 'xx_YY'"),
        ('target_locales = [1]\n', "duet.toml:1: 'target_locales' must hold locale strings, not an integer"),
        ('target_locales = []\n', "duet.toml:1: 'target_locales' must name at least one locale"),
        ('source_locale = "zh_Hant_HK"\n', "duet.toml:1: 'zh_Hant_HK' is both the source and a target locale"),
        ('source_locale = "en\n', "duet.toml:1: invalid TOML"),
        ('translate_stages = ["exact", "guess"]\n', "duet.toml:1: 'translate_stages' must be a list of stages"),
        ('translate_stages = ["exact", "mt"]\n', "duet.toml:1: 'translate_stages' names \"mt\" but there is no [mt] table"),
        ('translate_threshold = -1\n', "duet.toml:1: 'translate_threshold' must be a score from 0 to 100, not -1"),
        ('derived_locales = { zh_Hans_CN = "zh_Hant_HK" }\n', "duet.toml:1: 'derived_locales': zh_Hans_CN and zh_Hant_HK must be two of the target locales"),
        ('[mt]\nengine = "babelfish"\nurl = "http://127.0.0.1:9"\n', "duet.toml:2: [mt] 'engine'"),
        ('fuzzy_threshold = 120\n', "duet.toml:1: 'fuzzy_threshold' must be a similarity from 0 to 100, not 120"),
        ('fuzzy_threshold = true\n', "duet.toml:1: 'fuzzy_threshold' must be a similarity from 0 to 100, not a boolean"),
        ('fuzzy_threshold = "high"\n', "duet.toml:1: 'fuzzy_threshold' must be a similarity from 0 to 100, not a string"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, "duet.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(str(tmp_path) + "/" + expected)


def test_translation_keys_are_read(tmp_path: Path) -> None:
    write(tmp_path, "duet.toml", 'target_locales = ["zh_Hant_HK", "zh-Hans-CN"]\nderived_locales = { "zh-Hans-CN" = "zh_Hant_HK" }\n'
          'translate_stages = ["exact", "mt"]\n[mt]\nengine = "libretranslate"\nurl = "http://127.0.0.1:5000"\n')
    config = load_config(tmp_path)
    assert config.derived_locales == (("zh_Hans_CN", "zh_Hant_HK"),)
    assert config.translate_stages == ("exact", "mt") and config.mt == {"engine": "libretranslate", "url": "http://127.0.0.1:5000"}


def test_fuzzy_threshold_is_read(tmp_path: Path) -> None:
    write(tmp_path, "duet.toml", "fuzzy_threshold = 72.5\n")
    assert load_config(tmp_path).fuzzy_threshold == 72.5


def test_bad_key_in_pyproject_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\nglossary = 1\n\n[tool.duet]\nglossary = 1\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:6: 'glossary' must be a path"):
        load_config(tmp_path)


def test_missing_workspace_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no such workspace folder"):
        open_workspace(tmp_path / "nowhere")
    with pytest.raises(WorkspaceError, match="not a Duet workspace"):
        open_workspace(tmp_path)


def test_init_creates_a_workspace_and_keeps_existing_files(tmp_path: Path) -> None:
    root = tmp_path / "new"
    created = init_workspace(root)
    assert created == ["sources/", "locales/", "locales/templates/", "locales/memory/", "output/", "duet.toml", ".gitignore"]
    assert load_config(root) == Config()  # the commented template holds the defaults
    (root / "duet.toml").write_text('target_locales = ["zh_Hans_CN"]\n', encoding="utf-8")
    assert init_workspace(root) == []
    assert open_workspace(root).config.target_locales == ("zh_Hans_CN",)


def test_init_refuses_a_file(tmp_path: Path) -> None:
    write(tmp_path, "file", "x")
    with pytest.raises(WorkspaceError, match="not a folder"):
        init_workspace(tmp_path / "file")


def test_a_folder_swapped_for_a_link_outside_is_refused_by_the_same_workspace(tmp_path: Path) -> None:
    """``inside`` reuses a folder's resolution only while it is the same folder: a swap in between is seen."""
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    (root / "output" / "r1").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    (outside / "r1").mkdir(parents=True)
    workspace = open_workspace(root)
    for _ in range(2):  # the second time from what the first one resolved
        assert workspace.bundle_dir("r1") == root / "output" / "r1"
        assert workspace.po_path("zh_Hant_HK", "r1").name == "r1.po"
    (root / "output" / "r1").rmdir()
    (root / "output").rmdir()
    (root / "output").symlink_to(outside)
    with pytest.raises(WorkspaceError, match="outside the workspace"):
        workspace.bundle_dir("r1")
    (root / "output").unlink()
    (root / "output").mkdir()
    (root / "output" / "r1").symlink_to(outside / "r1")
    with pytest.raises(WorkspaceError, match="outside the workspace"):
        workspace.bundle_dir("r1")
    (root / "sources" / "leak.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(WorkspaceError, match="outside the workspace"):
        workspace.inside(root / "sources" / "leak.txt")


@given(root=st.sampled_from([".", "ws", "/tmp/ws", "/", "a/b"]),
       parts=st.lists(st.sampled_from(["ws", "a", "b", "..", "sources", "x.po", "/tmp", "wsx"]), max_size=5))
def test_a_path_is_shown_as_relative_to_would_show_it(root: str, parts: list[str]) -> None:
    """``relative`` slices the path's text where ``relative_to`` would answer, and falls back where it refuses."""
    workspace = dataclasses.replace(open_workspace(REPO), root=Path(root))
    path = Path(root).joinpath(*parts) if parts[:1] != ["/tmp"] else Path(*parts)
    try:
        expected = path.relative_to(Path(root)).as_posix()
    except ValueError:
        return
    assert workspace.relative(path) == expected
