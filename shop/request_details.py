"""What the shopper adds to a request said back for their yes, heard without a yes or a no.

"补发还走顺丰吧 别又给压坏了" while a resend waits, "照片拍了 快递面单也拍进去了" after the photos
were asked for: a good agent says it heard them (the wish goes on the claim the staff read, the
photos are uploaded in the order) and that the request still waits for its yes. Nothing is done.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestDetailHeard:
    """A wish about the request waiting on order `order_no` (`wish`: the words, written on the
    claim with it when `noted`), or the photos said taken (`photos_taken`)."""

    order_no: str
    wish: str | None = None
    noted: bool = False
    photos_taken: bool = False
