"""What every reader shares: decoding, the transcript record, speaker labels.

A reader turns one source file into a :class:`Transcript`: a list of turns
(speaker, text, times), a list of skipped pieces (with a reason) and a list of the
structural strings it consumed (speaker labels, timestamps, cue numbers, headers).
Those three account for every word of the source, which is how the lossless
property is checked (:func:`token_accounting`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import InputError

__all__ = [
    "RawTurn",
    "Transcript",
    "ReadOptions",
    "decode_bytes",
    "parse_time",
    "LabelFinder",
    "token_accounting",
    "clean_text",
    "transcript_id_for",
    "read_text_file",
    "read_file_bytes",
    "json_depth",
]

# --------------------------------------------------------------------------- records


@dataclass
class RawTurn:
    """One stretch of speech by one speaker, as read from the source."""

    speaker: str | None
    text: str
    start_s: float | None = None
    end_s: float | None = None
    where: str | None = None  # e.g. "line 12", "cue 4", "row 7"


@dataclass
class Transcript:
    """A source file read into turns, with everything it did not turn into speech."""

    transcript_id: str
    source: str
    format: str
    encoding: str | None
    turns: list[RawTurn] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (where, reason, text)
    markup: list[str] = field(default_factory=list)
    source_text: str = ""  # the decoded text the accounting is made against

    def skip(self, where: str, reason: str, text: str) -> None:
        if text.strip():
            self.skipped.append((where, reason, text))

    def add_turn(self, turn: RawTurn, *, merge: bool = True) -> None:
        """Append a turn; merge it into the previous one when the same known speaker goes on."""
        text = clean_text(turn.text)
        if not text:
            return
        turn.text = text
        prev = self.turns[-1] if self.turns else None
        if merge and prev is not None and turn.speaker and prev.speaker == turn.speaker:
            prev.text = f"{prev.text} {text}"
            if turn.end_s is not None:
                prev.end_s = turn.end_s
            return
        self.turns.append(turn)

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.turns:
            if t.speaker:
                seen.setdefault(t.speaker, None)
        return list(seen)


@dataclass
class ReadOptions:
    """Options a reader may use; every field has a default that fits common exports."""

    speaker_column: str | None = None
    text_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    speakers: tuple[str, ...] = ()  # known speaker names (help label detection)
    encoding: str | None = None  # force an encoding


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(
    data: bytes,
    *,
    file: str | Path,
    encoding: str | None = None,
    allow_empty: bool = False,
    transcript: bool = True,
) -> tuple[str, str]:
    r"""Decode a file's bytes; return ``(text, encoding)``.

    The one decoding path for every file the tool reads (transcripts, study.yaml,
    codebook.yaml, participants.csv, decisions.csv, the pseudonym key). Tries, in
    order: a forced ``encoding``; a byte-order mark (UTF-8, UTF-16, UTF-32); strict
    UTF-8; UTF-16 without a mark (NUL bytes every other byte); then line by line,
    strict UTF-8 else Windows-1252 (so one line pasted from an old Excel sheet does
    not garble the rest); and for a file with no UTF-8 in it at all that
    Windows-1252 cannot decode, charset-normalizer's best guess. Line endings
    become ``\n``.

    Raises
    ------
    InputError
        The file is empty (unless ``allow_empty``), holds binary data no text
        encoding explains, or has a line that is neither UTF-8 nor Windows-1252.
    """
    if not data.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        if allow_empty:
            return "", "utf-8"
        raise InputError(
            "the file is empty (no text in it)",
            fix="remove it from transcripts/ or export the transcript again"
            if transcript
            else "write the file again, or remove it",
            file=file,
        )
    text: str | None = None
    used = encoding
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(
                f"cannot be decoded as {encoding} ({exc.__class__.__name__} at byte "
                f"{getattr(exc, 'start', '?')})",
                fix=(
                    "remove the forced encoding from study.yaml (transcripts.encoding) to detect it"
                ),
                file=file,
            ) from None
    if text is None:
        for bom, name in _BOMS:
            if data.startswith(bom):
                try:
                    text, used = data.decode(name), name
                except UnicodeDecodeError:
                    text = None
                break
    if text is None:
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if text is None and len(data) >= 4:
        even, odd = data[0::2], data[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            text, used = _try(data, "utf-16-le")
        elif even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            text, used = _try(data, "utf-16-be")
    if text is None and b"\x00" not in data:
        text, used = _by_line(data, file)
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            text, used = str(best), best.encoding
    if text is None or "\x00" in text:
        raise InputError(
            "is not a text file (binary content no text encoding explains)",
            fix="save it as text (UTF-8)"
            + (
                "; a transcript may also be .docx, .vtt, .srt, .csv, .xlsx or .json"
                if transcript
                else ""
            ),
            file=file,
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, str(used)


def _by_line(data: bytes, file: str | Path) -> tuple[str | None, str]:
    """Each line strict UTF-8, else Windows-1252; None where no line has UTF-8 beyond ASCII."""
    lines = data.split(b"\n")
    out: list[str] = []
    utf8 = cp1252 = 0
    for i, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
            utf8 += not raw.isascii()
        except UnicodeDecodeError:
            try:
                line = raw.decode("cp1252")
                cp1252 += 1
            except UnicodeDecodeError:
                if utf8:
                    raise InputError(
                        "is neither UTF-8 nor Windows-1252 text",
                        fix="save the file as UTF-8 (in Excel: CSV UTF-8; in Notepad: "
                        "Save as, Encoding UTF-8)",
                        file=file,
                        where=f"line {i}",
                    ) from None
                return None, "cp1252"
        out.append(line)
    used = "utf-8+cp1252" if utf8 and cp1252 else "cp1252"
    return "\n".join(out), used


def read_text_file(
    path: str | Path, *, what: str = "a text file", allow_empty: bool = False
) -> str:
    """The decoded text of ``path`` (:func:`decode_bytes`), or an InputError naming it.

    A folder in the file's place, a file that cannot be opened (permissions, a
    broken link) and undecodable bytes are each one line naming the file and the fix.
    """
    path = Path(path)
    data = read_file_bytes(path, what=what)
    return decode_bytes(data, file=path, allow_empty=allow_empty, transcript=False)[0]


def read_file_bytes(path: str | Path, *, what: str = "a file") -> bytes:
    """The bytes of ``path``; a folder or an unreadable file is an InputError naming it."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"is a folder, not {what}", fix=f"put {what} in its place, or remove it", file=path
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror or exc.__class__.__name__})",
            fix="check that the file exists and that you may read it (permissions, a broken link)",
            file=path,
        ) from None


def _try(data: bytes, name: str) -> tuple[str | None, str]:
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        return None, name


# --------------------------------------------------------------------------- text helpers

#: every control character becomes a space (a tab, a vertical tab from Word, a stray
#: escape byte): none is speech, and a space never glues two words together. So do a
#: byte-order mark inside the text and the zero-width space (a word break). Format
#: characters stay: soft hyphens, zero-width (non-)joiners and word joiners (Persian,
#: Hindi, emoji), direction marks (Arabic, Hebrew)
_SPACES = {
    **{c: " " for c in range(0x20)},
    **{c: " " for c in range(0x7F, 0xA0)},
    0xFEFF: " ",
    0x200B: " ",
}


def clean_text(text: str) -> str:
    r"""Normalise a piece of speech: NFC, single spaces, no stray control characters.

    Tabs, line breaks, every other control character and lone surrogates become
    one space (so no two words are glued together); format characters that carry
    meaning (soft hyphen, ZWJ, ZWNJ, word joiner, direction marks) are kept. Linear
    in the length of ``text``.

    Examples
    --------
    >>> clean_text("Interviewer\tHow are   you?\n fine")
    'Interviewer How are you? fine'
    >>> clean_text("mi\u200cxaham co\u00adop") == "mi\u200cxaham co\u00adop"  # ZWNJ, soft hyphen
    True
    """
    text = text.translate(_SPACES)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from a broken UTF-16 file)
        text = "".join(" " if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


#: deepest nesting of JSON the readers parse (the json module recurses once per level)
MAX_JSON_DEPTH = 200
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def json_depth(text: str, *, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep the brackets of ``text`` nest (outside strings), counting up to ``limit + 1``.

    A linear scan, so that a file of 50,000 ``[`` is refused before ``json.loads``
    recurses into it.

    Examples
    --------
    >>> json_depth('{"a": [1, {"b": "]]"}]}')
    3
    """
    depth = deepest = 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif tok in "]}":
            depth -= 1
    return deepest


_TIME = re.compile(
    r"^\s*(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?\s*$"
)


def parse_time(value: object, *, unit: str = "s") -> float | None:
    """Seconds from ``12.5``, ``"1:02"``, ``"00:01:02.500"`` or ``"00:01:02,500"``.

    ``unit="ms"`` reads plain numbers as milliseconds (whisper TSV). Returns ``None``
    for empty values; raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, int | float):
        if value != value:  # NaN
            return None
        return float(value) / (1000.0 if unit == "ms" else 1.0)
    s = str(value).strip()
    if not s or s.lower() in {"nan", "none", "null"}:
        return None
    m = _TIME.match(s)
    if m:
        h = int(m["h"] or 0)
        frac = int((m["f"] or "0").ljust(3, "0")) / 1000.0
        return h * 3600 + int(m["m"]) * 60 + int(m["s"]) + frac
    return float(s) / (1000.0 if unit == "ms" else 1.0)


def transcript_id_for(path: Path) -> str:
    """A stable id from the file name: its stem, in lower case, with safe characters."""
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "_", path.stem).strip("_.-").lower()
    return stem or "transcript"


# --------------------------------------------------------------------------- speaker labels

#: words that make a label a speaker label even when it appears only once
ROLE_WORDS = (
    "interviewer",
    "interviewee",
    "moderator",
    "facilitator",
    "researcher",
    "respondent",
    "participant",
    "speaker",
    "host",
    "guest",
    "customer",
    "agent",
    "unknown",
)

#: a timestamp, never cut out of a longer word or number ("[00:07120" is not one)
_TS = r"(?:(?:[\[(]|(?<!\w))(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?[\])]?(?!\w))"
_LABEL_PATTERNS = (
    # **Name:** [00:00:03] text   (Descript)
    re.compile(
        rf"^\s*\*\*(?P<label>[^*\n]{{1,40}}?)\s*:?\s*\*\*\s*:?\s*(?P<ts>{_TS})?\s*(?P<text>.*)$"
    ),
    # [Name] text   /  [Name]: text
    re.compile(r"^\s*\[(?P<label>[^\]\d\n][^\]\n]{0,39})\]\s*:?\s*(?P<text>.*)$"),
    # [00:01:02] Name: text
    re.compile(rf"^\s*(?P<ts>{_TS})\s+(?P<label>[^\W\d_][^:\n]{{0,39}}?)\s*:\s*(?P<text>.*)$"),
    # Name (00:01:02): text   /  Name [00:01:02]: text   / Name: [00:01:02] text / Name: text
    re.compile(
        rf"^\s*(?P<label>[^\W\d_][\w .'’()&-]{{0,39}}?)\s*(?P<ts>{_TS})?"
        rf"\s*:\s*(?P<ts2>{_TS})?\s*(?P<text>.*)$"
    ),
)

#: how much of a line the label patterns look at (keeps them linear on very long lines)
_LABEL_HEAD = 200

_BAD_LABEL_WORDS = re.compile(
    r"\b(the|and|but|because|that|this|was|were|is|are|you|i|it|so|if|then|when|what|how|why|"
    r"note|notes|http|https|www)\b",
    re.IGNORECASE,
)


def label_key(label: str) -> str:
    """Key under which label variants count as one speaker (case, spacing, punctuation)."""
    return re.sub(r"[\W_]+", "", label.lower())


@dataclass
class LabelMatch:
    label: str
    text: str
    prefix: str  # the structural part consumed (label, brackets, timestamps)
    start_s: float | None


class LabelFinder:
    """Finds speaker labels at the start of lines, cues or cells.

    A candidate label (``Name:``, ``[Name]``, ``**Name:**``, with optional
    timestamps) is accepted when it appears at least twice in the file, names a
    role (``Interviewer 1``, ``moderator``…), or is a configured speaker. Variants
    that differ only in case, spacing or punctuation (``Interviewer1`` /
    ``INTERVIEWER 1``) are one speaker, shown as their most frequent spelling.
    """

    def __init__(self, pieces: list[str], *, speakers: tuple[str, ...] = ()) -> None:
        known = {label_key(s) for s in speakers}
        counts: Counter[str] = Counter()
        spellings: dict[str, Counter[str]] = {}
        shapes: dict[str, bool] = {}
        filled = 0
        for piece in pieces:
            if piece.strip():
                filled += 1
            m = self._candidate(piece)
            if m is None:
                continue
            key = label_key(m.label)
            counts[key] += 1
            spellings.setdefault(key, Counter())[m.label] += 1
            shapes[key] = len(m.label.split()) <= 3 and m.label[0].isupper()
        # a file where most lines start with a label: a name-shaped label counts even once
        structured = sum(counts.values()) >= 2 and sum(counts.values()) >= 0.5 * filled
        self.accepted: dict[str, str] = {}
        for key, n in counts.items():
            role = any(key.startswith(w) for w in ROLE_WORDS)
            if n >= 2 or role or key in known or (structured and shapes[key]):
                # the most frequent spelling; on a tie, one with a capital first letter
                best = max(spellings[key].items(), key=lambda kv: (kv[1], kv[0][:1].isupper()))
                self.accepted[key] = best[0]

    @staticmethod
    def _candidate(piece: str) -> LabelMatch | None:
        line, newline, rest = piece.lstrip().partition("\n")
        if not line.strip():
            return None
        head = line[:_LABEL_HEAD]  # a label and its timestamps stand in the first characters
        for pat in _LABEL_PATTERNS:
            m = pat.match(head)
            if not m:
                continue
            label = " ".join(m["label"].split()).strip(" -")
            if not label or len(label.split()) > 5 or _BAD_LABEL_WORDS.search(label):
                continue
            if not any(ch.isalpha() for ch in label):
                continue
            text = line[m.start("text") :]
            prefix = line[: m.start("text")] if text else line
            text = text + newline + rest
            ts = None
            for g in ("ts", "ts2"):
                if g in pat.groupindex and m[g]:
                    try:
                        ts = parse_time(m[g].strip("[]()"))
                    except ValueError:
                        ts = None
            return LabelMatch(label=label, text=text, prefix=prefix, start_s=ts)
        return None

    def __bool__(self) -> bool:
        return bool(self.accepted)

    def match(self, piece: str) -> LabelMatch | None:
        """The accepted label at the start of ``piece`` (speaker spelled canonically), or None."""
        m = self._candidate(piece)
        if m is None:
            return None
        key = label_key(m.label)
        if key not in self.accepted:
            return None
        m.label = self.accepted[key]
        return m


# --------------------------------------------------------------------------- accounting

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def token_accounting(transcript: Transcript, segment_texts: list[str] | None = None) -> dict:
    """Account for every word of the source: speech, skipped or markup.

    Returns a dict with ``source_words`` (word tokens in the source that are not
    structure), ``speech_words`` (those found in the turns, or in ``segment_texts``
    when given), ``skipped_words``, ``missing`` (source words found nowhere — should
    be empty), ``extra`` (words in speech that the source does not have — should
    be empty) and ``coverage`` (share of source speech words in segments or skipped).
    """
    source = words(transcript.source_text)
    markup = words(" ".join(transcript.markup))
    speech = words(
        " ".join(segment_texts if segment_texts is not None else [t.text for t in transcript.turns])
    )
    skipped = words(" ".join(s[2] for s in transcript.skipped))
    content = source - markup
    accounted = speech + skipped
    missing = content - accounted
    extra = accounted - content
    total = sum(content.values())
    return {
        "source_words": total,
        "speech_words": sum(speech.values()),
        "skipped_words": sum(skipped.values()),
        "missing": dict(missing),
        "extra": dict(extra),
        "coverage": 1.0 if total == 0 else 1 - sum(missing.values()) / total,
    }
