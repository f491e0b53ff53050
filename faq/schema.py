"""The shape of an FAQ entry, validated the same way from YAML, the API and the CLI."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.text import PlainText  # the one check for control characters, API and files alike
from faq import shop_facts

ENTRY_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
CATEGORY_CODE_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"  # a product category's code (shoes, fresh)

# Limits every entry is held to, from YAML, the API and the CLI alike. The search indexes every
# question, variant and answer, so one oversized entry slows every search (a 1 MB answer made
# each take 3-18 s). Today's entries: questions and variants at most 25 characters, at most 23
# variants, answers at most 221 characters, at most 10 category answers.
QUESTION_MAX = 200  # the column's length; a question or paraphrase is a sentence
VARIANTS_MAX = 50  # twice the most any entry has
ANSWER_MAX = 2000  # 9x the longest answer; as long as a shopper's longest chat message
CATEGORY_ANSWERS_MAX = 32  # one per product category, with room for more categories


class FaqEntryData(BaseModel):
    """An entry as written in `faq/entries.yaml` and accepted by the admin API."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=ENTRY_ID_PATTERN, description="stable id, e.g. shipping_fee")
    category: PlainText = Field(min_length=1, max_length=32)
    question: PlainText = Field(min_length=2, max_length=QUESTION_MAX)
    variants: list[Annotated[PlainText, Field(max_length=QUESTION_MAX)]] = Field(
        default_factory=list, max_length=VARIANTS_MAX
    )
    answer: PlainText = Field(min_length=2, max_length=ANSWER_MAX)
    # An answer for goods of one category (its code: shoes, fresh), in place of `answer`.
    category_answers: dict[
        Annotated[str, Field(pattern=CATEGORY_CODE_PATTERN)],
        Annotated[PlainText, Field(min_length=2, max_length=ANSWER_MAX)],
    ] = Field(default_factory=dict, max_length=CATEGORY_ANSWERS_MAX)
    # The product categories (codes) the entry is about, when it is about some only (大家电
    # delivery, fresh fruit, cosmetics): it never answers about an order or product in focus of
    # another category. Empty: every product. Codes, not names: an entry scoped to 大家电 would
    # fit no goods at all.
    scope: list[Annotated[str, Field(pattern=CATEGORY_CODE_PATTERN)]] = Field(
        default_factory=list, max_length=CATEGORY_ANSWERS_MAX
    )

    @field_validator("variants")
    @classmethod
    def _variants_not_blank(cls, variants: list[str]) -> list[str]:
        cleaned = [v.strip() for v in variants]
        if any(not v for v in cleaned):
            raise ValueError("其他问法里有空行，请删掉 / a variant is empty")
        return list(dict.fromkeys(cleaned))  # drop repeats, keep order

    @field_validator("answer")
    @classmethod
    def _quotes_known_facts(cls, answer: str) -> str:
        if unknown := shop_facts.unknown_names(answer):
            known = ", ".join(f"{{{name}}}" for name in shop_facts.QUOTED)
            raise ValueError(
                f"答案里的 {{{unknown[0]}}} 不是店铺信息，可以引用的有 {known} / "
                f"unknown placeholder {{{unknown[0]}}}; an answer may quote {known}"
            )
        return answer

    @field_validator("category_answers")
    @classmethod
    def _category_answers_quote_known_facts(cls, answers: dict[str, str]) -> dict[str, str]:
        for answer in answers.values():
            cls._quotes_known_facts(answer)
        return answers

    def fits(self, categories: frozenset[str] | None) -> bool:
        """Whether the entry may answer about goods of `categories` (the order or product the
        conversation is about; None: no goods in focus)."""
        return not self.scope or not categories or not categories.isdisjoint(self.scope)

    def answer_for(self, category_code: str | None, order_known: bool = False) -> str:
        """The answer as shoppers read it (shop facts it quotes filled in), specialised for a
        product category when the entry has one; `order_known`: the reader's order is
        verified, so the answer does not ask for its number."""
        text = self.category_answers.get(category_code or "", self.answer)
        return shop_facts.fill(text, order_known)
