"""Text that would show readers something other than what was typed is refused.

A project name travels into page titles, link previews, the JSON export, the PDF's title and the
command line. Three kinds of character make such text lie to its reader:

- C1 control characters (U+0080 to U+009F): terminals act on some of them (U+009B starts an
  escape sequence), and U+0085 is a line break to some programs and nothing to others.
- Bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): they
  reorder what follows, so "txt.exe" can display as "exe.txt".
- Invisible characters (zero-width space, word joiner, byte order mark, soft hyphen, Hangul
  fillers, tag characters and the like): two names that look identical differ.

Legitimate text keeps working: the zero-width joiner and non-joiner (U+200D, U+200C) are
accepted between letters, marks and symbols, where emoji sequences and scripts such as Persian,
Malayalam or Devanagari need them; tag characters are accepted inside an emoji flag sequence;
the left-to-right and right-to-left marks (U+200E, U+200F, U+061C) are accepted, since they only
nudge neutral characters and mixed Hebrew or Arabic text needs them.

No Django here: the engine's answers validation calls `refuse_misleading_text` for every text
answer, so the wizard, the JSON API and the command line all refuse the same things.
"""

import re
import unicodedata

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JOINERS = frozenset("\u200c\u200d")

_INVISIBLE = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels (invisible)
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    "\u2028\u2029"  # line and paragraph separators
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u206a-\u206f"  # deprecated format characters
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\ufff9-\ufffb"  # interlinear annotation
    "\U0001d173-\U0001d17a"  # musical formatting
    "\U000e0000-\U000e007f"  # tag characters (outside an emoji flag, see below)
    "]"
)
# A subdivision flag such as England's: black flag, tag letters, cancel tag.
_EMOJI_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMNS"


def _joins_visible_characters(text: str, index: int) -> bool:
    """A joiner must follow a letter, mark, number or symbol and precede another, except after a
    virama, where scripts such as Malayalam may end a word with one."""
    if index == 0 or not _visible(text[index - 1]):
        return False
    if unicodedata.combining(text[index - 1]) == 9:  # a virama
        return index + 1 == len(text) or text[index + 1] not in _JOINERS
    return index + 1 < len(text) and _visible(text[index + 1])


def misleading_character(text: str) -> tuple[int, str, str] | None:
    """The first character that would mislead a reader, as (position, what it is, why it is
    refused), or None when the text is safe to show."""
    flags = [(m.start(), m.end()) for m in _EMOJI_TAG_SEQUENCE.finditer(text)]
    for index, char in enumerate(text):
        code = ord(char)
        if 0x80 <= code <= 0x9F:
            return index, _describe(char), "a C1 control character"
        if char in _BIDI_CONTROLS:
            return index, _describe(char), "it reorders the text around it"
        if char in _JOINERS:
            if not _joins_visible_characters(text, index):
                return index, _describe(char), "outside a word or an emoji sequence"
            continue
        if _INVISIBLE.match(char):
            if 0xE0000 <= code <= 0xE007F and any(s < index < e for s, e in flags):
                continue
            return index, _describe(char), "an invisible character"
    return None


def refuse_misleading_text(text: str) -> None:
    """Raises ValueError, worded to follow the field's name, when `text` holds a character that
    would show readers something other than what was typed."""
    found = misleading_character(text)
    if found is not None:
        index, what, why = found
        raise ValueError(
            "must not contain control characters, invisible characters or direction overrides"
            f" (found {what} at character {index + 1}: {why})"
        )
