"""How a shopper's message is meant, beyond the words its intent is classified from.

"不然我就取消了" names a cancellation, but as the consequence of a condition: it is a complaint
to answer, never a request to carry out. Plain Python 3.10 (only `re` and `enum`), so the Rasa NLU
process can use it too (bot/nlu/conditional_requests.py).
"""

import re
from enum import Enum

# What a shopper threatens to do: undo the order, send it back, or complain further.
_CONSEQUENCE = r"(?:取消|退款|退货|退掉|退了|退单|拒收|投诉|差评|举报|12315|315|不要了)"
# "(我)就 / 我会 / 直接 …" between the condition and the consequence, a few characters at most.
_THEN = r"(?:那?我?(?:就|会|要|只能|直接)|那我)[^，,。！!？?]{0,6}?"

_CONDITIONAL = re.compile(
    "|".join(
        (
            # 不然/要不然/否则/要不 … 取消
            rf"(?:不然|要不然|否则|要不)(?:的话)?[，,\s]*(?:{_THEN})?{_CONSEQUENCE}",
            # 再不发货/再不处理/还不到 … 就 取消
            rf"(?:再|还|一直)(?:不|没)[^，,。！!？?]{{1,12}}?[，,\s]*{_THEN}{_CONSEQUENCE}",
            # 如果/要是/假如 … (的话) 就 取消
            rf"(?:如果|要是|假如|万一)[^。！!？?]{{1,20}}?{_THEN}{_CONSEQUENCE}",
            # … 的话 就 取消
            rf"的话[，,\s]*{_THEN}{_CONSEQUENCE}",
            # 再这样 / 再等 … 就 取消
            rf"再(?:这样|等|拖)[^，,。！!？?]{{0,10}}?{_THEN}{_CONSEQUENCE}",
            # 大不了退了
            rf"大不了[^，,。！!？?]{{0,4}}{_CONSEQUENCE}",
        )
    )
)


def is_conditional_request(text: str) -> bool:
    """True when the message makes a cancel, return or complaint depend on a condition
    (不然我就取消了, 再不发货我就退款, 如果明天还不到就退货): a threat, not an instruction."""
    return bool(_CONDITIONAL.search(text or ""))


class Answer(str, Enum):  # noqa: UP042 (StrEnum is 3.11; the Rasa process runs 3.10)
    """How a message answers a request the bot said back for a yes."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"  # 等一下, 我想想, 可以吗? — never taken as a yes


_NO = re.compile(r"不用|不要|算了|先不|别|不取消|不退|不申请|不改|不了|取消吧?不|放弃|不想")
_UNSURE = re.compile(r"等|想想|考虑|稍等|再说|不确定|犹豫|回头|晚点|吗|么|嘛|\?|？|还是|或者|怎么")
_YES = re.compile(
    r"确认|确定|是的|是滴|好的|好滴|好吧|好|可以|行|对|嗯|恩|ok|OK|没问题|同意|麻烦|就这样|"
    r"取消吧|退吧|申请吧|帮我(取消|退|申请|开|办)|那就|要的|需要"
)


def answer_to_confirmation(text: str) -> Answer:
    """A yes only when the words say yes and nothing else: a hesitation or a question in the
    same message (等一下, 好的 我想想, 可以吗) keeps the request waiting."""
    words = (text or "").strip()
    if words.startswith("/"):  # a button: /affirm or /deny
        return Answer.YES if words.startswith("/affirm") else Answer.NO
    if _NO.search(words):
        return Answer.NO
    if _UNSURE.search(words) or not _YES.search(words):
        return Answer.UNSURE
    return Answer.YES
