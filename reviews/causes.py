"""The coarse causes of a negative review (the taxonomy's names); each decides a queue."""

from enum import StrEnum


class ReviewCause(StrEnum):
    PRODUCT = "product"
    LOGISTICS = "logistics"
    SERVICE = "service"
    PRICE = "price"
    OTHER = "other"  # none of the above; never together with another cause
