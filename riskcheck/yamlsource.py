"""Read YAML safely into plain data, remembering the line of every key and list item.

libyaml's event stream is turned into data with an explicit stack: no recursion (a
100,000-deep ``[[[...]]]`` crashes PyYAML's recursive composer), no anchors or aliases
(no "billion laughs"), no duplicate keys, and bounded size and depth. ruamel.yaml's
round-trip loader also reports lines, but measured 25 times slower on a 500-question
definition (510 ms against 20 ms), too slow for the load target.

Anchors and aliases (``&frequency`` / ``*frequency``, handy for repeated option lists) are
copied, and every copied node counts against the same node budget, so an exponential
"billion laughs" document stops with a clear error.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from riskcheck.errors import DefinitionError, Problem

#: A location inside the data: keys and list indexes from the root.
Path = tuple[str | int, ...]

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 500_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml12Resolver(yaml.resolver.Resolver):
    """YAML 1.2 booleans: only true/false. (YAML 1.1 reads "Yes", "no" and "on" as booleans,
    which turns an option labelled Yes or valued no into true/false.)"""


_Yaml12Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_resolver = _Yaml12Resolver()
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """Plain data read from YAML, with the 1-based line of each path."""

    data: Any
    file: str
    text: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line:
                return line
        return 1

    def problem(
        self, path: Path, message: str, hint: str = "", *, warning: bool = False
    ) -> Problem:
        """A Problem located at ``path`` of this document."""
        return Problem(
            file=self.file,
            line=self.line_of(path),
            path=format_path(path),
            message=message,
            hint=hint,
            severity="warning" if warning else "error",
        )


def ascii_digits(text: str) -> str | None:
    """``text`` with its non-ASCII decimal digits written 0-9, or None when it has none.

    Python reads any Unicode decimal digit as a number (``int("১২০")`` is 120, and ``৪`` is
    4 though it looks like 8), so a definition must write numbers with 0-9 only.
    """
    if text.isascii() or not any(c.isdecimal() and not c.isascii() for c in text):
        return None
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def format_path(path: Path) -> str:
    """``("sections", 2, "questions")`` -> ``sections[2].questions``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_yaml(text: str, file: str = "<text>") -> Document:
    """Parse YAML text into a Document; raise DefinitionError for anything unsafe or broken."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise DefinitionError(
            [
                Problem(
                    file,
                    0,
                    "",
                    f"the file is larger than {MAX_BYTES // 1_000_000} MB",
                    "a questionnaire definition is a few hundred kB at most; "
                    "check that this is the right file",
                )
            ]
        )
    doc = Document(data=None, file=file, text=text)
    try:
        doc.data = _Builder(doc).build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _is_unclosed_quote(exc):  # libyaml reports the end of the file: point at the quote
            mark = exc.context_mark
        line = mark.line + 1 if mark else 0
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise DefinitionError([Problem(file, line, "", message, _syntax_hint(exc, text))]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(file, 0, "", f"YAML error: {exc}", "")]) from None
    return doc


def _is_unclosed_quote(exc: yaml.MarkedYAMLError) -> bool:
    problem = str(exc.problem or "")
    return (
        exc.context_mark is not None
        and "quoted scalar" in str(exc.context or "")
        and ("end of stream" in problem or "document indicator" in problem)
    )


def _char_at(text: str, mark: Any) -> str:
    lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)  # YAML's line breaks
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = str(exc.problem or "")
    # libyaml says "found character that cannot start any token" for a tab, without naming it.
    if "tab" in problem or _char_at(text, exc.problem_mark) == "\t":
        return "indent with spaces, never tabs"
    if _is_unclosed_quote(exc):
        return "a quote opened on this line is never closed: add the closing quote"
    if "escape character" in problem:
        return "in double quotes a backslash starts an escape: write \\\\ or use single quotes"
    if "mapping values are not allowed" in problem:
        return "a text containing ': ' must be quoted, e.g. text: \"Note: ...\""
    if "could not find expected ':'" in problem or "simple key" in problem:
        return "check the indentation and that each key ends with ':'"
    return "check indentation, quotes and colons around this line"


class _Limit(Exception):
    pass


class _Builder:
    """Turns libyaml events into plain data with an explicit stack (no recursion)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.nodes = 0
        self.anchors: dict[str, Any] = {}

    def build(self, events: Iterator[yaml.Event]) -> Any:
        root: list[Any] = []
        # Each frame: (container, path, pending_key, key_line) for maps; (list, path) for seqs.
        stack: list[list[Any]] = []
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._fail(
                        event,
                        "the file holds more than one YAML document",
                        "keep one questionnaire per file and remove the '---' separator",
                    )
                continue
            if isinstance(event, yaml.AliasEvent):
                self._add(stack, root, self._alias(event), event)
            elif isinstance(event, yaml.ScalarEvent):
                value = self._scalar(event)
                self._add(stack, root, value, event)
                if event.anchor:
                    self.anchors[event.anchor] = value
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    self._fail(
                        event,
                        f"the data is nested more than {MAX_DEPTH} levels deep",
                        "a definition needs only a few levels; check the indentation",
                    )
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = self._add(stack, root, container, event)
                stack.append([container, path, None, 0, event.anchor])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                if frame[4]:
                    self.anchors[frame[4]] = frame[0]
        return root[0] if root else None

    def _add(self, stack: list[list[Any]], root: list[Any], value: Any, event: yaml.Event) -> Path:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(
                event, "the file has too many entries", "split it or remove generated content"
            )
        line = event.start_mark.line + 1
        if not stack:
            root.append(value)
            self.doc.lines[()] = line
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            item_path = (*path, len(container))
            container.append(value)
            self.doc.lines[item_path] = line
            return item_path
        if frame[2] is None:  # this value is a key
            if not isinstance(value, str | int | float | bool) or value is None:
                self._fail(event, "a key must be a plain word", "use a name such as 'title:'")
            key = value if isinstance(value, str) else str(value)
            if key in container:
                self._fail(
                    event,
                    f"the key '{key}' appears twice in the same block",
                    "remove or rename one of them",
                )
            frame[2], frame[3] = key, line
            return path
        key, key_line = frame[2], frame[3]
        frame[2] = None
        container[key] = value
        self.doc.lines[(*path, key)] = key_line
        return (*path, key)

    def _alias(self, event: yaml.AliasEvent) -> Any:
        if event.anchor not in self.anchors:
            self._fail(
                event,
                f"the alias *{event.anchor} refers to an unfinished or unknown anchor",
                f"define &{event.anchor} fully before using *{event.anchor}",
            )
        value = self.anchors[event.anchor]
        self.nodes += _count_nodes(value)
        if self.nodes > MAX_NODES:
            self._fail(
                event,
                "the file has too many entries once aliases are expanded",
                "use fewer nested aliases",
            )
        return copy.deepcopy(value)

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:str" or tag not in _constructor.yaml_constructors:
            return event.value
        if tag in _NUMBER_TAGS and (written := ascii_digits(event.value)) is not None:
            self._fail(
                event,
                f"the number '{event.value}' is written with digits other than 0-9",
                f"write it with the digits 0-9: {written}",
            )
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = _constructor.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            return event.value
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value  # dates stay ISO text; the schema parses them
        return value

    def _fail(self, event: yaml.Event, message: str, hint: str) -> None:
        line = event.start_mark.line + 1
        raise DefinitionError([Problem(self.doc.file, line, "", message, hint)])


def _count_nodes(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count
