"""One run's view of the workspace: what the stages need, each read once and handed on as values.

A command opens a ``Run`` and passes it from stage to stage; ``duet build``
composes every stage over one. The glossary, the segmentation rules and the
memory are read the first time a stage asks for them, so a command that needs
none of them reads none of them.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import typing as t

from .. import locales
from ..workspace import Workspace

if t.TYPE_CHECKING:
    from ..glossary import Glossary, TermMatcher
    from ..memory import TranslationMemory
    from ..memory.lexicon import Lexicon
    from ..segment import SrxRules


class Run:
    """The workspace, its configuration and the values read from it for one command."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.config = workspace.config
        self.source_language = locales.to_bcp47(self.config.source_locale)
        self._matchers: dict[str, TermMatcher | None] = {}
        self._lexicons: dict[str, Lexicon] = {}
        self._machines: dict[str, cabc.Callable[[list[str]], t.Any] | None] = {}
        self._memory: TranslationMemory | None = None

    def __enter__(self) -> t.Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_memory()

    def close_memory(self) -> None:
        """Close the memory (and what was learned from it) once no stage will look anything up again."""
        self._lexicons.clear()
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    @functools.cached_property
    def rules(self) -> SrxRules:
        from .sources import workspace_rules

        return workspace_rules(self.workspace)

    @functools.cached_property
    def glossary(self) -> Glossary | None:
        if self.workspace.glossary_path is None:
            return None
        from ..glossary import load_glossary

        return load_glossary(self.workspace.glossary_path)

    def matcher(self, locale: str) -> TermMatcher | None:
        """The glossary's term matcher from the source language into ``locale``, built once."""
        if locale not in self._matchers:
            glossary = self.glossary
            self._matchers[locale] = None if glossary is None else glossary.matcher(
                self.source_language, locales.to_bcp47(locale))
        return self._matchers[locale]

    def matchers(self, target_locales: t.Iterable[str]) -> dict[str, TermMatcher]:
        return {locale: m for locale in sorted(set(target_locales)) if (m := self.matcher(locale)) is not None}

    @property
    def memory(self) -> TranslationMemory:
        """The workspace's memory, refreshed from the files that changed since the last run, opened once."""
        if self._memory is None:
            from .tm import open_memory

            self._memory = open_memory(self.workspace)
        return self._memory

    def lexicon(self, target_language: str) -> Lexicon:
        if target_language not in self._lexicons:
            from ..memory.lexicon import Lexicon

            self._lexicons[target_language] = Lexicon(self.memory, self.source_language, target_language)
        return self._lexicons[target_language]

    def machine(self, locale: str) -> cabc.Callable[[list[str]], t.Any] | None:
        """The MT backend into ``locale`` when the ``mt`` stage is configured, made once per locale."""
        config = self.config
        if "mt" not in config.translate_stages or config.mt is None:
            return None
        if locale not in self._machines:
            from ..translate.mt import MachineTranslator, mt_config_from

            translator = MachineTranslator(mt_config_from(config.mt, config.path or "duet.toml",
                                                          cache_dir=self.workspace.cache_dir / "mt"))
            target_language, terms = locales.to_bcp47(locale), self.matcher(locale)
            self._machines[locale] = lambda sources: translator.translate(
                sources, source_language=self.source_language, target_language=target_language, terms=terms)
        return self._machines[locale]
