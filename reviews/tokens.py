"""The pipeline's tokenizer (one token per character) and fast character-offset helpers.

spaCy recomputes `doc.text` from the tokens on every access and `doc.char_span` walks them; a
review Doc keeps its text and the character offset of each token in `doc.user_data` instead.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry
from spacy.vocab import Vocab

CHAR_TOKENIZER = "reviews.char_tokenizer.v1"
_TEXT = "reviews.text"
_OFFSETS = "reviews.offsets"  # the character offset of each token


def text_of(doc: Doc) -> str:
    """doc.text, computed once (spaCy joins the tokens on every access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def char_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """The tokens that cover characters start-end (like doc.char_span's "expand", faster)."""
    offsets = doc.user_data.get(_OFFSETS)
    if offsets is None:
        offsets = doc.user_data[_OFFSETS] = [token.idx for token in doc]
    first = bisect_right(offsets, start) - 1
    last = bisect_left(offsets, end)
    if first < 0 or last <= first:
        return None
    return Span(doc, first, last, label=label)


class CharTokenizer:
    """One token per character; a single space after a character is its trailing whitespace."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if " " not in text:  # most reviews: one token per character, nothing else to do
            doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text))
            doc.user_data[_TEXT] = text
            doc.user_data[_OFFSETS] = list(range(len(text)))
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        offsets: list[int] = []
        for i, char in enumerate(text):
            if char == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:
                words.append(char)
                spaces.append(False)
                offsets.append(i)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[_TEXT] = text
        doc.user_data[_OFFSETS] = offsets
        return doc

    def to_bytes(self, **_kwargs: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs: object) -> "CharTokenizer":
        return self

    def to_disk(self, _path: object, **_kwargs: object) -> None:
        return None

    def from_disk(self, _path: object, **_kwargs: object) -> "CharTokenizer":
        return self


def create_char_tokenizer(segmenter: str = "char") -> Callable[[Language], CharTokenizer]:
    """`segmenter` is accepted (the zh default config names one) and must be "char"."""
    if segmenter != "char":
        raise ValueError("reviews.char_tokenizer.v1 only splits characters")
    return lambda nlp: CharTokenizer(nlp.vocab)


# Registered by a call rather than as a decorator: spaCy's registries (catalogue) are untyped,
# and a decorator would make the function untyped too.
registry.tokenizers(CHAR_TOKENIZER, func=create_char_tokenizer)
