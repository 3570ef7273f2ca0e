"""The workspace: its configuration and where its files live.

Nothing else in the package knows the layout; stages receive paths and values
from here. Configuration comes from ``duet.toml``, else ``[tool.duet]`` in
``pyproject.toml``, else the defaults; every key is checked so that a typo
fails loudly with the file and line instead of being silently ignored.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import tomllib
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

from . import locales
from .checks.base import SEVERITIES
from .errors import ConfigError, InputError, WorkspaceError
from .formats.files import locked, read_text, write_atomic
from .model import Location

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # a file name on every system, never "." or ".."
RELEASE_ID_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100"
CACHE_DIR = ".duet"
MEMORY_URL_ENV = "DUET_MEMORY_URL"  # wins over memory_url in the config
DEFAULT_FUZZY_THRESHOLD = 60
DEFAULT_TRANSLATE_STAGES = ("exact", "fuzzy", "repair")  # "mt" only when asked for
DEFAULT_TRANSLATE_THRESHOLD = 75
CHECK_CODES = tuple(SEVERITIES)  # msgmerge's own, on a 0-100 scale


@dataclass(frozen=True, slots=True)
class Config:
    """Validated configuration; locales in canonical POSIX form."""

    source_locale: str = "en"
    target_locales: tuple[str, ...] = ("zh_Hant_HK",)
    glossary: str | None = None
    segmentation: str | None = None
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD
    silenced_checks: tuple[str, ...] = ()
    translate_stages: tuple[str, ...] = DEFAULT_TRANSLATE_STAGES
    translate_threshold: float = DEFAULT_TRANSLATE_THRESHOLD
    mt: dict[str, t.Any] | None = field(default=None, compare=False)  # the [mt] table, checked by translate.mt_config
    derived_locales: tuple[tuple[str, str], ...] = ()  # (derived, base): zh_Hans_CN made from zh_Hant_HK
    memory_url: str | None = None  # a team memory on a PostgreSQL server, instead of .duet/memory.sqlite
    memory_name: str | None = None  # this workspace's name in that memory; None: the folder's name
    path: str | None = field(default=None, compare=False)  # the file it came from


# key -> (expected type, description for error messages)
_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "source_locale": (str, "a locale such as \"en\""),
    "target_locales": (list, "a list of locales such as [\"zh_Hant_HK\"]"),
    "glossary": (str, "a path to a .csv or .tbx glossary"),
    "segmentation": (str, "a path to an SRX 2.0 rules file"),
    "fuzzy_threshold": ((int, float), "a similarity from 0 to 100"),
    "silenced_checks": (list, "a list of check codes such as [\"punctuation\"]"),
    "translate_stages": (list, "a list of stages from \"exact\", \"fuzzy\", \"repair\", \"mt\""),
    "translate_threshold": ((int, float), "a score from 0 to 100"),
    "mt": (dict, "a table of machine-translation settings"),
    "derived_locales": (dict, "a table of derived = base locales, such as {zh_Hans_CN = \"zh_Hant_HK\"}"),
    "memory_url": (str, "a URL such as \"postgresql://tm.example.org/duet\""),
    "memory_name": (str, "a name for this workspace in a shared memory"),
}


@dataclass(frozen=True, slots=True)
class Workspace:
    """A folder holding sources, locales and outputs, with its configuration.

    Every path it hands out stays inside the folder once symbolic links are
    resolved: a link that leads out (``output/`` to another disk, a source to
    ``/etc/passwd``) is refused, so no run reads, writes or deletes a file
    outside the workspace that the user did not name on the command line.
    """

    root: Path
    config: Config

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def output_dir(self) -> Path:
        return self.inside(self.root / "output")

    @property
    def cache_dir(self) -> Path:
        return self.inside(self.root / CACHE_DIR)

    @property
    def build_state(self) -> Path:
        """What the last ``duet build`` read and wrote, so the next one redoes only what changed."""
        return self.cache_dir / "build.sqlite"

    @property
    def memory_location(self) -> Path | str:
        """The translation memory: ``DUET_MEMORY_URL``, else ``memory_url``, else ``.duet/memory.sqlite``."""
        url = os.environ.get(MEMORY_URL_ENV)
        if url:
            return _memory_url(url, Location(MEMORY_URL_ENV)) or ""
        return self.config.memory_url or self.cache_dir / "memory.sqlite"

    @property
    def memory_name(self) -> str:
        """This workspace's name in a shared memory: ``memory_name``, else the folder's name."""
        return self.config.memory_name or self.root.resolve().name

    @property
    def memory_dir(self) -> Path:
        """``locales/memory/``: imported TMX files."""
        return self.inside(self.locales_dir / "memory")

    @property
    def glossary_path(self) -> Path | None:
        """The termbase: the configured file, else glossary.tbx, else glossary.csv."""
        if self.config.glossary:
            return self.inside(self.root / self.config.glossary)
        for name in ("glossary.tbx", "glossary.csv"):
            if (self.locales_dir / name).is_file():
                return self.inside(self.locales_dir / name)
        return None

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def template_path(self, release_id: str) -> Path:
        return self.inside(self.templates_dir / f"{release_id}.pot")

    def po_path(self, locale: str, release_id: str) -> Path:
        return self.inside(self.locales_dir / locale / "LC_MESSAGES" / f"{release_id}.po")

    def bundle_dir(self, release_id: str) -> Path:
        return self.inside(self.root / "output" / release_id)

    def bundle_zip(self, release_id: str) -> Path:
        return self.inside(self.root / "output" / f"{release_id}.zip")

    def po_files(self) -> list[tuple[str, Path]]:
        """Every ``locales/<locale>/LC_MESSAGES/*.po`` as (locale, path), sorted.

        Folders whose name is no locale (``locales/backup/``) are not the
        workspace's translations and are passed over.
        """
        found = []
        for folder in sorted(self.locales_dir.glob("*/LC_MESSAGES")):
            try:
                locale = locales.normalize(folder.parent.name)
            except locales.UnknownLocale:
                continue
            with os.scandir(folder) as entries:
                names = sorted(e.name for e in entries if e.name.endswith(".po") and e.is_file())
            found += [(locale, self.inside(folder / name)) for name in names]
        return found

    def memory_files(self) -> list[Path]:
        """Every ``locales/memory/*.tmx``, sorted."""
        folder = self.memory_dir
        if not folder.is_dir():
            return []
        return sorted(self.inside(p) for p in folder.iterdir() if p.suffix.lower() == ".tmx" and p.is_file())

    @property
    def segmentation_rules(self) -> Path | None:
        return self.inside(self.root / self.config.segmentation) if self.config.segmentation else None

    def relative(self, path: Path) -> str:
        """A path as shown to users: relative to the workspace when inside it (links not followed)."""
        root, text = str(self.root), str(path)  # normal forms: ``relative_to``'s answer is a slice of them
        if root == os.curdir and not os.path.isabs(text):
            return text
        if text.startswith(root) and text[len(root):len(root) + 1] == os.sep:
            return text[len(root) + 1:]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> Path:
        """``path`` itself, once sure that it resolves to a place inside the workspace.

        ``path`` starts at the root, as every path the workspace hands out; the
        error names the first part of it that leads out (``output``, ``sources/leak.txt``).
        """
        top = _real_root(str(self.root), os.getcwd())
        if _within(path, top):
            return path
        culprit = self.root
        for part in path.relative_to(self.root).parts:
            culprit = culprit / part
            if not _within(culprit, top):
                break
        what = f"a symbolic link to {os.readlink(culprit)}" if culprit.is_symlink() else "a path"
        raise WorkspaceError(f"{what}, outside the workspace: Duet reads and writes only inside it",
                             Location(culprit.relative_to(self.root).as_posix()))

    def source_files(self) -> list[Path]:
        """Every source release, sorted by release id so runs are deterministic."""
        if not self.sources_dir.is_dir():
            return []
        files = [p for p in self.sources_dir.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES]
        return sorted(files, key=lambda p: (p.stem, p.suffix))

    def lock(self) -> t.ContextManager[None]:
        """Held by every command that writes, so two runs cannot interleave."""
        return locked(self.cache_dir / "lock")


@functools.lru_cache(maxsize=8)
def _real_root(root: str, cwd: str) -> str:
    """The workspace folder with its links resolved, once per run (``inside`` asks for it for every path)."""
    return os.path.realpath(root)


def _within(path: Path, top: str) -> bool:
    real = _realpath(path)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


_REAL_FOLDERS: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # folder → (what lstat saw, its real path)


def _realpath(path: Path) -> str:
    """``os.path.realpath(path)``, the folder resolved once while it stays the same folder.

    ``realpath`` looks at every component; a build asks for tens of
    thousands of paths in a few folders. A folder's resolution is reused
    while ``lstat`` (which follows every link above it) sees the same
    device, inode, type and change time: a folder or one above it swapped
    for a link elsewhere shows another. The file itself is looked at each time.
    """
    text = os.path.join(os.getcwd(), path)
    folder, name = os.path.split(text)
    if name in ("", ".", "..") or "/../" in f"{folder}/" or "/./" in f"{folder}/":
        return os.path.realpath(text)
    try:
        seen = os.lstat(folder)
    except OSError:
        return os.path.realpath(text)
    try:
        if stat.S_ISLNK(os.lstat(text).st_mode):
            return os.path.realpath(text)
    except FileNotFoundError:
        pass  # to be written: where its folder really is
    except OSError:
        return os.path.realpath(text)
    identity = (seen.st_dev, seen.st_ino, seen.st_mode, seen.st_ctime_ns)
    known = _REAL_FOLDERS.get(folder)
    if known is None or known[0] != identity:
        if len(_REAL_FOLDERS) > 4096:
            _REAL_FOLDERS.clear()
        known = _REAL_FOLDERS[folder] = (identity, os.path.realpath(folder))
    return os.path.join(known[1], name)


def check_release_id(release_id: str, where: Location) -> str:
    """A release id names files and folders (``output/<id>/``): ``..``, ``/`` or a newline would leave them."""
    if not RELEASE_ID.fullmatch(release_id):
        raise InputError(f"release id {release_id!r} is not valid ({RELEASE_ID_RULE} characters)", where)
    return release_id


def open_workspace(root: str | Path = ".") -> Workspace:
    """Load the workspace at ``root``; a folder with no config and no ``sources/`` is refused."""
    folder = Path(root)
    if not folder.is_dir():
        raise WorkspaceError("no such workspace folder", Location(str(folder)))
    config = load_config(folder)
    if config.path is None and not (folder / "sources").is_dir():
        raise WorkspaceError(
            "not a Duet workspace (no duet.toml, no [tool.duet] in pyproject.toml, no sources/); "
            "create one with 'duet init'",
            Location(str(folder)),
        )
    return Workspace(folder, config)


def load_config(folder: Path) -> Config:
    """Read ``duet.toml``, else ``[tool.duet]`` of ``pyproject.toml``, else the defaults."""
    duet_toml = folder / "duet.toml"
    if duet_toml.is_file():
        document = _parse_toml(duet_toml)
        return _validate(document, str(duet_toml), read_text(duet_toml), table=None)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        document = _parse_toml(pyproject)
        tool = document.get("tool", {})
        if isinstance(tool, dict) and "duet" in tool:
            section = tool["duet"]
            if not isinstance(section, dict):
                raise ConfigError("[tool.duet] must be a table", Location(str(pyproject)))
            return _validate(section, str(pyproject), read_text(pyproject), table="tool.duet")
    return Config()


def _parse_toml(path: Path) -> dict[str, t.Any]:
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib reports "... (at line 3, column 7)"; move the position to the front.
        found = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
        message = str(exc)[: found.start()].strip() if found else str(exc)
        line = int(found.group(1)) if found else None
        raise ConfigError(f"invalid TOML: {message}", Location(str(path), line)) from exc
    except RecursionError as exc:
        raise ConfigError("invalid TOML: arrays or tables nested too deeply", Location(str(path))) from exc
    except ValueError as exc:  # an integer of thousands of digits, past Python's conversion limit
        raise ConfigError(f"invalid TOML: {exc}", Location(str(path))) from exc


def _validate(section: dict[str, t.Any], path: str, text: str, table: str | None) -> Config:
    def where(key: str) -> Location:
        return Location(path, _key_line(text, key, table))

    for key in section:
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"unknown key '{key}' (known keys: {known})", where(key))
    for key, value in section.items():
        expected, description = _KEYS[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(f"'{key}' must be {description}, not {_toml_type(value)}", where(key))

    def locale(value: t.Any, key: str) -> str:
        if not isinstance(value, str):
            raise ConfigError(f"'{key}' must hold locale strings, not {_toml_type(value)}", where(key))
        try:
            return locales.normalize(value)
        except locales.UnknownLocale as exc:
            raise ConfigError(f"'{key}': {exc}", where(key)) from exc

    source = locale(section.get("source_locale", "en"), "source_locale")
    targets = tuple(locale(v, "target_locales") for v in section.get("target_locales", ["zh_Hant_HK"]))
    if not targets:
        raise ConfigError("'target_locales' must name at least one locale", where("target_locales"))
    if len(set(targets)) != len(targets):
        raise ConfigError("'target_locales' names a locale twice", where("target_locales"))
    if source in targets:
        key = "target_locales" if "target_locales" in section else "source_locale"
        raise ConfigError(f"'{source}' is both the source and a target locale", where(key))
    for key, default in (("fuzzy_threshold", DEFAULT_FUZZY_THRESHOLD), ("translate_threshold", DEFAULT_TRANSLATE_THRESHOLD)):
        if not 0 <= section.get(key, default) <= 100:
            raise ConfigError(f"'{key}' must be {_KEYS[key][1]}, not {section[key]}", where(key))
    stages = tuple(section.get("translate_stages", DEFAULT_TRANSLATE_STAGES))
    if not set(stages) <= {"exact", "fuzzy", "repair", "mt"} or len(set(stages)) != len(stages):
        raise ConfigError(f"'translate_stages' must be {_KEYS['translate_stages'][1]}, each once", where("translate_stages"))
    mt = section.get("mt")
    if mt is not None:
        from .translate.mt_config import mt_config_from

        mt_config_from(mt, path)
    elif "mt" in stages:
        raise ConfigError("'translate_stages' names \"mt\" but there is no [mt] table", where("translate_stages"))
    derived = []
    for name, base in section.get("derived_locales", {}).items():
        pair = (locale(name, "derived_locales"), locale(base, "derived_locales"))
        if not set(pair) <= set(targets) or pair[0] == pair[1]:
            raise ConfigError(f"'derived_locales': {pair[0]} and {pair[1]} must be two of the target locales", where("derived_locales"))
        derived.append(pair)
    silenced = section.get("silenced_checks", [])
    unknown = [c for c in silenced if c not in CHECK_CODES]
    if unknown:
        raise ConfigError(
            f"'silenced_checks': unknown check {unknown[0]!r} (known: {', '.join(CHECK_CODES)})", where("silenced_checks")
        )
    top = os.path.realpath(Path(path).parent)
    for key in ("glossary", "segmentation"):
        if key in section and not _within(Path(path).parent / section[key], top):
            raise ConfigError(f"'{key}' leads outside the workspace: Duet reads and writes only inside it", where(key))
    return Config(
        source_locale=source,
        fuzzy_threshold=section.get("fuzzy_threshold", DEFAULT_FUZZY_THRESHOLD),
        translate_stages=stages,
        translate_threshold=section.get("translate_threshold", DEFAULT_TRANSLATE_THRESHOLD),
        mt=mt,
        derived_locales=tuple(derived),
        silenced_checks=tuple(silenced),
        target_locales=targets,
        glossary=section.get("glossary"),
        segmentation=section.get("segmentation"),
        memory_url=_memory_url(section.get("memory_url"), where("memory_url")),
        memory_name=_memory_name(section.get("memory_name"), where("memory_name")),
        path=path,
    )


def _memory_url(url: str | None, where: Location) -> str | None:
    """A ``postgresql://`` URL without a password: passwords go in ``PGPASSWORD`` or ``~/.pgpass``, never in files."""
    if url is None:
        return None
    scheme, _, rest = url.partition("://")
    if scheme not in ("postgresql", "postgres") or not rest:
        raise ConfigError("must be a postgresql:// URL" if where.path == MEMORY_URL_ENV
                          else "'memory_url' must be a postgresql:// URL", where)
    userinfo = rest.split("/", 1)[0].rpartition("@")[0]
    if where.path != MEMORY_URL_ENV and (":" in userinfo or re.search(r"[?&]password=", rest)):
        raise ConfigError("'memory_url' must not hold a password: put it in PGPASSWORD or ~/.pgpass", where)
    return url


def _memory_name(name: str | None, where: Location) -> str | None:
    if name is not None and not (name.strip() and name.isprintable() and len(name) <= 100):
        raise ConfigError("'memory_name' must be 1 to 100 printable characters", where)
    return name


def _key_line(text: str, key: str, table: str | None) -> int | None:
    """The line where ``key`` is set inside ``table`` (None: top level), for error messages."""
    current: str | None = None
    assignment = re.compile(rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(?:#.*)?$", line)
        if header:
            current = header.group(1).strip()
            continue
        if current == table and assignment.match(line):
            return number
    return None


def _toml_type(value: t.Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


CONFIG_TEMPLATE = """\
# Duet workspace configuration. Every key is optional; the values below are the defaults.

# The language the releases are written in (Babel/POSIX or BCP 47 identifier).
source_locale = "en"

# One PO file per release is kept for each of these under locales/<locale>/LC_MESSAGES/.
target_locales = ["zh_Hant_HK"]

# The termbase; by default locales/glossary.tbx, else locales/glossary.csv.
# glossary = "locales/glossary.csv"

# Your own SRX 2.0 segmentation rules instead of Duet's defaults.
# segmentation = "rules.srx"

# How alike (0-100) a changed sentence must be to an old one for the old
# translation to be offered as fuzzy when PO files are merged.
# fuzzy_threshold = 60

# Checks whose findings are counted but never fail 'duet check' (see 'duet check --help').
# silenced_checks = ["punctuation"]

# What 'duet translate' runs, in this order, and the lowest fuzzy score it proposes.
# "mt" needs an [mt] table below.
# translate_stages = ["exact", "fuzzy", "repair"]
# translate_threshold = 75

# A locale made from another by conversion (OpenCC, Hong Kong Traditional to Simplified);
# both must be target locales. A human's translation in the derived locale is never overwritten.
# derived_locales = { zh_Hans_CN = "zh_Hant_HK" }

# A team's translation memory on a PostgreSQL server instead of .duet/memory.sqlite (the password
# from PGPASSWORD or ~/.pgpass, never here); DUET_MEMORY_URL wins over it.
# memory_url = "postgresql://tm@db.example.org/duet"
# memory_name = "desk-a"          # this workspace's units there; default: the folder's name

# Machine translation (off unless "mt" is in translate_stages). The API key is read from the
# environment variable named here, never from this file.
# [mt]
# engine = "libretranslate"        # or "openai" (any OpenAI-compatible chat-completions server)
# url = "http://127.0.0.1:5000"
# model = ""                       # for "openai"
# api_key_env = "DUET_MT_KEY"
"""

GITIGNORE_TEMPLATE = """\
.duet/
output/
"""

WORKSPACE_FOLDERS = ("sources", "locales", "locales/templates", "locales/memory", "output")


def init_workspace(root: str | Path) -> list[str]:
    """Create the folders and a commented ``duet.toml``; existing files are never touched.

    Returns the workspace-relative paths that were created.
    """
    folder = Path(root)
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError("exists and is not a folder", Location(str(folder)))
    created: list[str] = []
    if not folder.exists():
        folder.mkdir(parents=True)
    for name in WORKSPACE_FOLDERS:
        path = folder / name
        if not path.exists():
            path.mkdir(parents=True)
            created.append(name + "/")
    for name, content in (("duet.toml", CONFIG_TEMPLATE), (".gitignore", GITIGNORE_TEMPLATE)):
        path = folder / name
        if not path.exists():
            write_atomic(path, content)
            created.append(name)
    return created
