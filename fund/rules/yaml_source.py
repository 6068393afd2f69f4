"""Reading YAML rule files while remembering on which line every value stands.

Problems found later (by the pydantic schema or by the compiler) carry a *location*: the path
of keys and indexes into the document. :class:`YamlSource` turns that path back into a line
number using the yaml node marks, so an error reads ``rules/llo/instrument.yaml:42: ...``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from fund.rules.errors import Problem, RuleFileError

Loc = tuple[Any, ...]
# libyaml's parser when PyYAML was built with it (the Debian and PyPI wheels are): the same
# nodes, marks and errors, ~10x faster than the pure-Python one, which was most of the cold
# start of `fund rules eval` (docs/performance.md).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(display: str, exc: yaml.YAMLError) -> Problem:
    """A YAML syntax error as one line: where the construct began and what went wrong."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{context}: {what}" if context else what
    return Problem(display, line, f"geen geldige YAML ({detail})")


class YamlSource:
    """The parsed content of one YAML file plus a map from location path to line number."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[Problem] = []
        text = path.read_text(encoding="utf-8")
        try:
            node, loader = self._parse(text, _Loader)
        except yaml.YAMLError:
            try:  # a broken file: the pure-Python parser says where and what in its own words
                node, loader = self._parse(text, yaml.SafeLoader)
            except yaml.YAMLError as exc:
                raise RuleFileError([yaml_problem(display, exc)]) from exc
        if node is not None:
            self._index(node, (), loader)

    def _parse(self, text: str, loader_class):
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            self.data: Any = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        return node, loader

    def _index(self, node: yaml.Node, loc: Loc, loader) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                try:
                    hashable_key = key if not isinstance(key, list) else tuple(key)
                except TypeError:  # pragma: no cover - defensive
                    hashable_key = repr(key)
                if hashable_key in seen:
                    self.duplicates.append(
                        Problem(self.display, key_node.start_mark.line + 1, f"sleutel '{key}' staat er twee keer")
                    )
                seen.add(hashable_key)
                self._index(value_node, loc + (key,), loader)
                # a problem about the key itself points at the key's line
                self.lines.setdefault(loc + (key, "__key__"), key_node.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, loc + (index,), loader)

    def line_of(self, loc: Iterable[Any]) -> int | None:
        """Line of the deepest part of ``loc`` that exists in the document.

        Path elements that are not keys of the document (pydantic adds union tags such as
        ``'function-after[...]'``) are skipped.
        """
        current: Any = self.data
        found: Loc = ()
        for part in loc:
            if isinstance(current, dict):
                match = _dict_key(current, part)
                if match is _NOTHING:
                    continue
                current = current[match]
                found = found + (match,)
            elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                current = current[part]
                found = found + (part,)
            else:
                continue
        return self.lines.get(found, self.lines.get((), None))

    def problem(self, loc: Iterable[Any], message: str) -> Problem:
        return Problem(self.display, self.line_of(loc), message)


_NOTHING = object()


def _dict_key(mapping: dict[Any, Any], part: Any) -> Any:
    if part in mapping:
        return part
    # YAML turns 2026-01-01 keys into dates; pydantic reports them as strings
    for key in mapping:
        if str(key) == str(part):
            return key
    return _NOTHING
