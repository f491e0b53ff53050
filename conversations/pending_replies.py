"""Typed replies to a request said back for a yes, beyond a plain yes or no.

`conversations.reading.answer_to_request` tells a yes, a no, either and a hesitation apart. Three
kinds of reply it cannot tell apart from those lose or misread what the shopper said:

- a yes that says it is going ahead in words of its own (那就退吧 帮我申请, 先给我办着, 就这么办,
  帮我提交吧): a yes, never the card again;
- the request (or the remedy said back) restated with a wish of its own (补发还走顺丰吧
  别又给压坏了, 退款就行 钱退微信): a detail about the request, never a no because a 别
  or a 不 stands in it;
  the request keeps waiting and the wish is heard;
- the photos asked for said taken (照片拍了 快递面单也拍进去了, 拍好了): heard, never asked again,
  never a yes.

Plain Python (only `re`), like `conversations.reading`.
"""

import re
from dataclasses import dataclass

from conversations.reading import (
    _CLAIM_SAID,
    _FILLER,
    _NEGATED,
    _RESTATED,
    _YES_WORD,
    HESITATING,
    TypedAnswer,
    answer_to_request,
    button_intent,
    is_question,
)

# Words that say "go ahead with it" without naming the request (帮我申请, 先给我办着, 就这么办).
_GO_AHEAD = re.compile(
    r"(?:那就|就|先|帮我|给我|麻烦|赶紧|直接|你)*"
    r"(?:申请|提交|办理?|登记|弄|处理|安排)(?:一下|着|上|了|吧|掉)*|"
    r"就?这么办|就?这样办|就按(?:这个|这样|你说的|刚才说的)(?:开|办|来|弄)?|没问题|行了|可以了"
)
# Words that join a yes to its go-ahead (那就…, 对 …, 好 …).
_JOINING = re.compile(r"那就|那|就|先|还是|算了|直接|赶紧|帮我|给我|麻烦")
# A no aimed at the request as a whole, whatever else the message says.
_PLAIN_NO = re.compile(r"算了吧?$|不用了|不要了|不需要了|先不|放弃|不办了|不弄了|不申请了|不提交")
# The photos asked for, said taken or sent (照片拍了, 拍好了 连快递单一起, 我拍了三张, 传好了).
_PHOTOS_TAKEN = re.compile(
    r"(?:照片|图片|图|面单|快递单)?(?:都|也|已经|我)?(?:拍|照|传|上传)(?:好|完|了)|"
    r"拍了(?:[一二两三四五六七八九十\d]+张)|拍进去了?|(?:照片|图)(?:都|已经)?有了|"
    # 照片发了, 图发你了, and the picture itself as the chat shows it ([照片], [图片])
    r"(?:照片|图片|图)(?:都|也|已经|我)?发(?:好|完|过|了|给你|你)|\[(?:照片|图片|图)\]"
)


RETURN = "request_return_exchange"  # a return or exchange said back
# The return chosen of a return-or-exchange (那退了吧 不换了, 不换了 退掉吧): the 不 is the
# exchange's.
_RETURN_NOT_EXCHANGE = re.compile(
    r"退(?:了|掉|货)?吧[^，,。?？]{0,6}不(?:用|要)?换|不(?:用|要)?换了?[^，,。?？]{0,6}退(?:了|掉|货)?吧"
)


@dataclass(frozen=True)
class ReplyRead:
    """How typed words answer the request said back: `answer` as `answer_to_request` reads it,
    refined; `restated` when they say the request back or say to go ahead with it; `detail`
    when they restate it with a wish of their own (never a no); `photos_taken` when they say
    the photos asked for are taken."""

    answer: TypedAnswer
    restated: bool = False
    detail: bool = False
    photos_taken: bool = False


def said_words(pending: str | None, remedy: str | None = None) -> str:
    """The pattern of the words that say the request waiting back (`remedy`: the remedy a
    claim was said back with, as a `pending_request` value such as `case_remedy_reship`)."""
    return _RESTATED.get(remedy or pending or "", _CLAIM_SAID)


def _restates(words: str, said: str) -> bool:
    """Whether the words say the request back, not under a no (不用补发了 退钱吧 does not say a
    resend back)."""
    unsaid = re.sub(rf"(?:不想|不要|不用|不需要|别|不)(?:再|给我|帮我)?(?:{said})", " ", words)
    return re.search(said, unsaid) is not None


def says_photos_taken(text: str) -> bool:
    """True when the shopper says the photos are taken or sent (照片拍了, 拍好了 连快递单一起)."""
    words = re.sub(r"\s", "", text or "")
    return _PHOTOS_TAKEN.search(words) is not None and "没拍" not in words


def goes_ahead(text: str, pending: str | None, remedy: str | None = None) -> bool:
    """True when the words say yes to the request by saying to go ahead with it (那就退吧 帮我申请,
    先给我办着, 对 确认, 就按这个开) and nothing else: no question, no hesitation, no no."""
    words = (text or "").strip()
    if not words or button_intent(words) or words.startswith(("/", "／")):
        return False
    if is_question(_GO_AHEAD.sub(" ", words)) or HESITATING.search(words):
        return False  # 就这么办 asks nothing; 怎么申请 does
    if _PLAIN_NO.search(words) or _NEGATED.search(words):
        return False
    said = said_words(pending, remedy)
    if not (_restates(words, said) or _GO_AHEAD.search(words)):
        return False
    leftover = _FILLER.sub("", _JOINING.sub("", _YES_WORD.sub("", _GO_AHEAD.sub("", words))))
    leftover = re.sub(said, "", leftover)
    return not leftover


def read_reply(text: str, pending: str | None, remedy: str | None = None) -> ReplyRead:
    """How typed words answer the request `pending` said back (`remedy`: the remedy a claim
    was said back with): a go-ahead is a yes, the request restated with a wish of its own is a
    detail (never a no), photos said taken are heard; anything else as `answer_to_request`."""
    words = (text or "").strip()
    answer = answer_to_request(words, pending)
    if button_intent(words) is not None or words.startswith(("/", "／")):
        return ReplyRead(answer)
    said = said_words(pending, remedy)
    restates = _restates(words, said) and _NEGATED.search(words) is None
    if pending == RETURN and _RETURN_NOT_EXCHANGE.search(words) and not is_question(words):
        # 卡其31没有？那退了吧 不换了: the return of the two said back, a yes
        return ReplyRead(TypedAnswer.YES, restated=True)
    if goes_ahead(words, pending, remedy):
        return ReplyRead(TypedAnswer.YES, restated=True)
    if _PLAIN_NO.search(words) or (_NEGATED.search(words) and not restates):
        return ReplyRead(answer, restated=False)
    if says_photos_taken(words) and not is_question(words):
        return ReplyRead(TypedAnswer.UNSURE, photos_taken=True)
    asks = is_question(_GO_AHEAD.sub(" ", words)) or HESITATING.search(words)
    if restates and answer != TypedAnswer.YES and not asks:
        # 补发还走顺丰吧 别又给压坏了: about the request, never a no
        return ReplyRead(TypedAnswer.UNSURE, restated=True, detail=True)
    return ReplyRead(answer, restated=restates and answer == TypedAnswer.YES)
