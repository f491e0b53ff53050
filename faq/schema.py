"""The shape of an FAQ entry, validated the same way from YAML, the API and the CLI."""

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENTRY_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class FaqEntryData(BaseModel):
    """An entry as written in `faq/entries.yaml` and accepted by the admin API."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=ENTRY_ID_PATTERN, description="stable id, e.g. shipping_fee")
    category: str = Field(min_length=1, max_length=32)
    question: str = Field(min_length=2, max_length=200)
    variants: list[str] = Field(default_factory=list)
    answer: str = Field(min_length=2)
    category_answers: dict[str, str] = Field(default_factory=dict)

    @field_validator("variants")
    @classmethod
    def _variants_not_blank(cls, variants: list[str]) -> list[str]:
        cleaned = [v.strip() for v in variants]
        if any(not v for v in cleaned):
            raise ValueError("a variant is empty")
        return list(dict.fromkeys(cleaned))  # drop repeats, keep order

    def answer_for(self, category_code: str | None) -> str:
        """The answer, specialised for a product category when the entry has one."""
        if category_code and category_code in self.category_answers:
            return self.category_answers[category_code]
        return self.answer
