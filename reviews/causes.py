"""The coarse causes of a negative review (the taxonomy's names); each decides a queue."""

from enum import StrEnum


class ReviewCause(StrEnum):
    PRODUCT = "product"
    LOGISTICS = "logistics"
    SERVICE = "service"
    PRICE = "price"
    OTHER = "other"  # none of the above; never together with another cause


class ReviewSubCause(StrEnum):
    """The finer causes (`cause.sub`, as reviews/cues.yaml and the labelled sets name them)."""

    PRODUCT_DEFECT = "product.defect"
    PRODUCT_POOR_QUALITY = "product.poor_quality"
    PRODUCT_NOT_AS_DESCRIBED = "product.not_as_described"
    PRODUCT_SIZE_FIT = "product.size_fit"
    PRODUCT_FAKE = "product.fake"
    PRODUCT_NOT_FRESH = "product.not_fresh"
    PRODUCT_SMELL = "product.smell"
    PRODUCT_PACKAGING = "product.packaging"
    LOGISTICS_SLOW = "logistics.slow"
    LOGISTICS_DAMAGED_IN_TRANSIT = "logistics.damaged_in_transit"
    LOGISTICS_LOST = "logistics.lost"
    LOGISTICS_WRONG_OR_MISSING_ITEM = "logistics.wrong_or_missing_item"
    LOGISTICS_COURIER = "logistics.courier"
    SERVICE_ATTITUDE = "service.attitude"
    SERVICE_SLOW_REPLY = "service.slow_reply"
    SERVICE_AFTER_SALES = "service.after_sales"
    PRICE_OVERPRICED = "price.overpriced"
    PRICE_PRICE_DROP = "price.price_drop"
    PRICE_NOT_WORTH = "price.not_worth"
