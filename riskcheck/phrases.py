"""Words that two question texts share: the lint for a symptom asked in two places.

Texts are compared as words: lower case, asides in parentheses dropped (they gloss the
words before them: "Diarrhoea (runny poo)"), punctuation dropped. Two texts share a phrase
when a run of whole words appears in both and it says something: at least two words that
are not common small words (``STOPWORDS``), or one such word of eight letters or more
("numbness", "breathing"). "Chest pain" inside "Sudden or severe chest pain ..." is shared;
"in your" or "difficulty" alone is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: words that do not name a symptom: function words, qualifiers such as "sudden" and
#: "severe" (what differs between two questions, not what they share), people and times
#: ("a doctor or nurse told you", "for weeks") and the words of instructions ("Tick this
#: box if ...")
_SMALL_WORDS = """
    a an the and or but nor of in on at to for from with without by as into onto than that
    this these those it its is are was were be been being am do does did doing have has had
    having i me my mine we us our you your yours yourself they them their he she him her
    his not no any some all every each other else very so too also just only even more
    most much many few lot lots now today when where what which who whom how why if then
    there here can could will would should may might must shall about up down out off over
    under again ever still once like such because while during before after since until
    s t ll ve re d m get got getting feel feeling feels keep keeps kept come comes coming
    sudden suddenly severe severely badly bad really quite new difficulty problem problems
    something anything everything anywhere somewhere sometimes together although whatever
    doctor doctors nurse nurses gp told tell week weeks day days month months year years
    time times while last past
    tick box boxes answer question please
"""
STOPWORDS = frozenset(_SMALL_WORDS.split())

_ASIDE = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> tuple[str, ...]:
    """The words of ``text``: lower case, without asides in parentheses or punctuation."""
    text = text.lower()
    while True:
        stripped = _ASIDE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    return tuple(_WORD.findall(text))


def says_something(run: tuple[str, ...]) -> bool:
    """Whether a run of words is a phrase worth comparing (see the module docstring)."""
    content = [w for w in run if w not in STOPWORDS]
    return len(content) >= 2 or any(len(w) >= 8 for w in content)


def index_keys(text_words: tuple[str, ...]) -> Iterator[str]:
    """Keys that any phrase shared with another text must also share: each long word, and
    each two neighbouring words that are not small words (a shared run keeps them together
    in both texts). Texts with no key in common share no phrase."""
    content = [w for w in text_words if w not in STOPWORDS]
    for word in content:
        if len(word) >= 8:
            yield word
    for first, second in zip(content, content[1:], strict=False):
        yield f"{first} {second}"


def shared_phrase(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """The longest phrase of whole words that ``a`` and ``b`` share and that says
    something, without small words at its ends; None when there is none."""
    best: tuple[str, ...] = ()
    for i in range(len(a)):
        for j in range(len(b)):
            if a[i] != b[j] or (i and j and a[i - 1] == b[j - 1]):
                continue  # not the start of a run both texts share
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            run = _trim(a[i : i + k])
            if len(run) > len(best) and says_something(run):
                best = run
    return " ".join(best) or None


def _trim(run: tuple[str, ...]) -> tuple[str, ...]:
    start, end = 0, len(run)
    while start < end and run[start] in STOPWORDS:
        start += 1
    while end > start and run[end - 1] in STOPWORDS:
        end -= 1
    return run[start:end]
