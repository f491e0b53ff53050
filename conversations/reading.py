"""How a shopper's message is meant, beyond the words its intent is classified from.

"不然我就取消了" names a cancellation, but as the consequence of a condition: it is a complaint
to answer, never a request to carry out. Plain Python 3.10 (only `re` and `enum`), so the Rasa NLU
process can use it too (bot/nlu/conditional_requests.py).
"""

import re
from enum import Enum

from core.places import CITY_PROVINCE, PROVINCES
from shop.carriers import CARRIERS
from shop.size_labels import SIZE_LABEL, SIZE_LADDER

# What a shopper threatens to do: undo the order, send it back, or complain further.
_CONSEQUENCE = r"(?:取消|退款|退货|退掉|退了|退单|拒收|投诉|差评|举报|12315|315|不要了)"
_COMPLAINT = r"(?:投诉|差评|举报|12315|315|曝光)"
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
            # 不退我就给差评, 不处理我就投诉: a bare 不… only before a complaint (不要了我就取消
            # is a cancel)
            rf"不[^，,。！!？?\s]{{1,6}}?{_THEN}{_COMPLAINT}",
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


# Where goods must not go, told beside anything (手机千万别发到家里去, 好的 别寄到原地址了):
# neither a yes nor a no to what was said back, a detail to hear.
_SENT_ELSEWHERE = re.compile(r"(?:别|不要)[发送寄放]到")
_NO = re.compile(
    r"不用|不要|算了|先不|别|不取消|不退|不申请|不改|不了|取消吧?不|"
    r"放弃|不想"
)
# Putting the decision off (等一下, 我想想, 回头再说): the request waits, never a yes or a no.
HESITATING = re.compile(r"等|想想|考虑|稍等|再说|犹豫|回头|晚点|不确定")
_UNSURE = re.compile(r"等|想想|考虑|稍等|再说|不确定|犹豫|回头|晚点|吗|么|嘛|\?|？|还是|或者|怎么")
# A question, even one that sounds like a yes (七天无理由对吧, 是不是包邮, 运费谁出): answered,
# and what was said back keeps waiting for its yes.
_QUESTION = re.compile(
    r"对吧|是吧|对不|是不是|对不对|行不行|好不好|能不能|可不可以|要不要|有没有|会不会|"
    r"多少|多久|几天|几号|哪|什么|啥|谁|为什么|咋"
)
# A button's payload (/affirm), as the widget sends it or as typed (the gateway turns a typed
# leading "/" into the full-width "／").
_BUTTON = re.compile(r"^[/／]([a-z_]+)$")
_YES = re.compile(
    # 没问题 as a yes stands alone or after another yes word; 充电头没问题 says a thing is fine
    r"确认|确定|是的|是滴|好的|好滴|好吧|好|可以|行|对|嗯|恩|ok|OK|同意|麻烦|就这样|要得|"
    r"(?:^|(?<=[\s，,。!！好的嗯对行那吧啊呀哦]))没问题|"
    r"取消吧|退吧|申请吧|帮我(取消|退|申请|开|办)|那就|要的|需要"
)


# An apology is no yes (不好意思 holds 好); a correction of what was said back (名字打错了, 不对
# 是…, 应该是…) is never its yes, whatever else the words say.
_APOLOGY = re.compile(r"不好意思|对不起|抱歉|sorry", re.IGNORECASE)
CORRECTING = re.compile(
    r"[打写输填搞弄记]错|(?<!没)错了|不对|应该是|更正|改一下|改成|改为|不是这个"
)


def answer_to_confirmation(text: str) -> Answer:
    """A yes only when the words say yes and nothing else: a hesitation or a question in the
    same message (等一下, 好的 我想想, 可以吗) keeps the request waiting, and so does a
    correction of what was said back (不好意思名字打错了 是…)."""
    words = (text or "").strip()
    if (intent := button_intent(words)) is not None:  # a button: /affirm or /deny
        return Answer.YES if intent == "affirm" else Answer.NO
    if words.startswith("/"):  # a button with more to it (/affirm{…}): never a plain yes
        return Answer.YES if words.startswith("/affirm") else Answer.NO
    if CORRECTING.search(words) or _SENT_ELSEWHERE.search(words):
        return Answer.UNSURE
    words = _APOLOGY.sub(" ", words)
    if _NO.search(words) and not is_question(words):  # 运费不用我出吧: asked, not refused
        return Answer.NO
    if _UNSURE.search(words) or _QUESTION.search(words) or not _YES.search(words):
        return Answer.UNSURE
    if is_question(words):  # 好的 然后呢: a question after the yes, answered first
        return Answer.UNSURE
    return Answer.YES


class TypedAnswer(str, Enum):  # noqa: UP042 (StrEnum is 3.11; the Rasa process runs 3.10)
    """How typed words answer the request said back to them (`answer_to_request`)."""

    YES = "yes"  # 取消, 确认取消, 对 不要了, 算了 退吧 确认: carried out
    NO = "no"  # 不取消了, 先不用, 别退: the order stays as it is
    EITHER = "either"  # 不要了 alone: could be either; asked with two buttons saying what each does
    UNSURE = "unsure"  # a hesitation or a question: nothing done, never the same prompt again


# The words that say the request itself back, by the request waiting (the slot's value). What a
# shopper types to confirm is most often the request's own verb (确认帮您取消吗 → 取消).
_CANCEL_SAID = r"取消(?:订单|掉|了吧|吧|了)?|不买了|退款吧"
_RETURN_SAID = r"(?:申请)?(?:退货|退换货?|换货|退掉|退了吧|退吧|换吧|退|换)"
_CLAIM_SAID = r"(?:提交|登记|申请|办理?)(?:吧|了吧)?"
_RESTATED = {
    "cancel_order": _CANCEL_SAID,
    "request_return_exchange": _RETURN_SAID,
    "quality_return": _RETURN_SAID,
    "request_repair": (
        r"(?:申请|登记|安排|送)?(?:维修|修|寄修|报修)(?:吧)?|登记(?:一下)?(?:吧)?|申请(?:吧)?"
    ),
    "invoice": r"(?:申请|开|补开|换开)(?:票|发票)?(?:吧)?",
    "price_protection": r"(?:申请|退|补)?(?:价保|保价|差价)|申请(?:吧)?",
    "case_remedy_reship": r"补发|重新发|再发|" + _CLAIM_SAID,
    "case_remedy_refund": r"退款|退钱|" + _CLAIM_SAID,
    "case_remedy_exchange": r"换货|换吧|" + _CLAIM_SAID,
}
# 不要了, 不想要了: the goods not wanted any more, said to a cancel: a yes, once something else
# says so (对 不要了, 不要了 取消吧); alone it could also be "don't (cancel)": asked.
_NOT_WANTED = re.compile(r"(?:我)?(?:不想要|不要|不需要)(?:这个|这单)?了")
# Words that say yes outright, beside the request said back.
_YES_WORD = re.compile(
    r"确认|确定|是的|是滴|对的?|嗯+|恩|好的?|行|可以|ok|OK|没问题|同意|要的|要得"
)
# 算了 before the request restated (算了 取消吧, 算了 退吧): a decision made, not a no.
_DECIDING = re.compile(r"算了|那就|还是|直接|赶紧|麻烦|帮我|给我|就|那")
# What may stand beside a yes and the request restated: fillers and punctuation.
_FILLER = re.compile(
    r"[吧了啊呀哈的吗呢~～!！。，,.\s]|谢谢?|多谢|辛苦|我|你|您|们|这个|这单|订单|一下|"
    # all of what was said back (两瓶都要, 全部, 都按这个): no more than the request itself
    r"(?:[两三四五六七八九十几\d]+[瓶件个双本台盒袋支套份])?(?:都要|都按这个|全都要|全部)|"
    r"就?按这个"
)


def restates_request(text: str, pending: str | None) -> bool:
    """True when the message says the request waiting back in its own words, unnegated
    (取消, 确认取消, 那就退吧, 申请价保): the echo a Chinese yes is most often typed as."""
    said = _RESTATED.get(pending or "", _CLAIM_SAID)
    words = _NEGATED.sub(" ", text or "")  # 不取消 / 别退: no restatement
    return re.search(said, words) is not None


# What a return or exchange said back may be wanted as, beside its yes (确认 换卡其色33, 对 换L,
# 嗯 换大一码): a colour, a size or both, and nothing else.
_EXCHANGE_FOR = re.compile(
    r"(?:换成?|要)?(?P<target>(?:[\u4e00-\u9fff]{1,3}色)?\s*"
    rf"(?:\d{{2,3}}(?:\.5)?|{SIZE_LABEL}|大一[码号]|小一[码号])?[码号]?)(?:的)?"
)
RETURN_PENDING = frozenset({"request_return_exchange", "quality_return"})


def exchange_wanted(text: str) -> str | None:
    """The colour or size a return said back is wanted as, when the words beside the yes name
    one and nothing more (确认 换卡其色33 → 卡其色33); None otherwise."""
    rest = _YES_WORD.sub(" ", text or "")
    rest = _FILLER.sub("", _DECIDING.sub("", rest)).lower()
    if not rest.startswith(("换", "要")):
        return None
    found = _EXCHANGE_FOR.fullmatch(rest)
    target = found.group("target").strip() if found else ""
    return target.upper() if target in SIZE_LADDER else target or None


# A yes, then words of their own (对 改白色, 嗯 退吧 地址发我): the words say what the yes is to.
_YES_THEN_WORDS = re.compile(
    rf"^\s*(?:{_YES_WORD.pattern})[\s,，.。!！~～]*(?P<rest>\S.*)$", re.IGNORECASE
)


def words_after_a_yes(text: str) -> str | None:
    """The words after a leading yes (对 改白色 → 改白色), when there are words of their own
    (more than a yes or a filler); None otherwise."""
    found = _YES_THEN_WORDS.match(text or "")
    if found is None:
        return None
    rest = found.group("rest")
    return rest if _FILLER.sub("", _YES_WORD.sub("", rest)) else None


# The button's own word typed first (确认, 嗯确认, 好的 确定), then a question of its own.
_CONFIRMED_THEN = re.compile(
    rf"^\s*(?:(?:{_YES_WORD.pattern})[\s,，]*)?(?:确认|确定)(?:了|吧|的)?[\s,，.。!！~～]+"
    r"(?P<rest>\S.*)$"
)
# A question about how the request will go, not whether to make it (多久, 什么时候, 运费谁出).
_FACT_ASKED = re.compile(
    r"多久|几天|多长时间|什么时候|啥时候|几号|哪天|谁出|多少|哪里|哪儿|寄到哪|退到哪"
)


def confirmed_then_asked(text: str) -> str | None:
    """The question asked after the button's own word typed as a yes (确认 补发要多久到 →
    补发要多久到): the yes is outright, the question is about how the request will go; None
    for anything else (确认吗, 确认 能退吗 asks whether, 确认 不对 等一下 hesitates)."""
    rest = _said_after_the_yes(text)
    return rest if rest is not None and _FACT_ASKED.search(rest) else None


# A yes word that opens the message (对 补发, 好 就按这个): the reply is the yes first.
_OPENS_WITH_YES = re.compile(rf"^\s*(?:{_YES_WORD.pattern})")


def opens_with_yes(text: str) -> bool:
    """Whether the message opens with a yes word (对 补发), not only ends with one (按比例退钱就行:
    a choice, said back for its own yes)."""
    return bool(_OPENS_WITH_YES.match(text or ""))


def confirmed_first(text: str) -> bool:
    """Whether the message opens with the button's own word typed as a yes and goes on without
    taking it back (确认 换黑色L, 好 确认 照片等下传): the yes, with words about the request."""
    rest = _said_after_the_yes(text)
    return rest is not None and not is_question(rest)


def _said_after_the_yes(text: str) -> str | None:
    """What follows 确认 typed at the start, unless it refuses, hesitates or corrects."""
    found = _CONFIRMED_THEN.match(text or "")
    if found is None:
        return None
    rest = found.group("rest").strip()
    if _NEGATED.search(rest) or _PLAIN_NO.search(rest):
        return None
    if HESITATING.search(rest) or CORRECTING.search(rest) or "不是" in rest:
        return None
    return rest


def answer_to_request(text: str, pending: str | None) -> TypedAnswer:
    """How typed words answer the request `pending` said back for a yes: a yes when they say
    yes or restate the request and nothing else (取消, 对 不要了 取消, 算了 退吧 确认), a no when
    they decline it, EITHER when they could truly be either (不要了 alone to a cancel, 好 不取消),
    UNSURE for a hesitation or a question (answered, nothing done)."""
    words = (text or "").strip()
    base = answer_to_confirmation(words)
    if button_intent(words) is not None or words.startswith(("/", "／")):
        return TypedAnswer(base.value)
    if keeps_it(words):  # 其实我挺想要的 就是等太久了, 那我再等等: the order stays
        return TypedAnswer.NO
    if is_conditional_request(words):  # 那你现在就给我退 不退我就给差评: a push, never a no
        return TypedAnswer.UNSURE
    if is_question(words) or HESITATING.search(words) or _SENT_ELSEWHERE.search(words):
        return TypedAnswer.UNSURE
    said = _RESTATED.get(pending or "", _CLAIM_SAID)
    cancelling = pending == "cancel_order"
    not_wanted = cancelling and _NOT_WANTED.search(words) is not None
    rest = _NOT_WANTED.sub(" ", words) if cancelling else words  # 对不要了取消: no negation
    negated = _NEGATED.search(rest) is not None or re.search(r"先不|不用|别|算了吧?$", rest)
    restated = not negated and re.search(said, rest) is not None
    yes_word = _YES_WORD.search(rest) is not None
    if negated:  # 好 不取消了, 先不用: the order stays as it is
        return TypedAnswer.NO
    leftover = _FILLER.sub("", _DECIDING.sub("", _YES_WORD.sub("", re.sub(said, "", rest))))
    if pending in RETURN_PENDING and yes_word and exchange_wanted(words) is not None:
        return TypedAnswer.YES  # 确认 换卡其色33: the yes, with what it is wanted as
    if restated or (not_wanted and yes_word):
        return TypedAnswer.YES if not leftover else TypedAnswer.UNSURE
    if not_wanted:
        return TypedAnswer.EITHER if not leftover else TypedAnswer.UNSURE
    return TypedAnswer(base.value)


# Words that ask something: a question word, or a yes/no question on a fact (…对吧, …吗, ？).
_ASKING = re.compile(
    r"吗|么|嘛|呢|[?？]|怎么|怎样|如何|咋|(?:不|没)[^，,。\s]{1,6}吧\s*$|"
    # 能快点不, 可以先发不: asked with a 不 at its end, or its clause's (能开专票不 会计说…)
    r"(?:能|可以|可不可以|行|会|有)[^，,。\s]{1,6}不(?=\s|$|[，,。!！~～])|" + _QUESTION.pattern
)
# Question words that ask for a fact whatever else the message says (谁出, 多久, 寄到哪).
QUESTION_WORDS = re.compile(
    r"谁|多少|多久|多长时间|几天|几号|哪|什么|啥|怎么|怎样|如何|咋|为什么|然后呢|下一步"
)
# What a yes, a hesitation or a filler says beside the asking words: no question of its own
# (可以吗, 考虑一下可以吗, 好吗, 确定吗).
_NOT_ASKED = re.compile(
    r"好的?|好滴|嗯+|恩|哦|噢|那个?|行|可以|对|是|确认|确定|真的|我|你|们|的|了|吧|啊|呀|哈|"
    r"等一?下|等等|稍等|想想|考虑一?下?|再说|再|犹豫|晚点|回头|一下|吗|么|嘛|呢|"
    r"[?？!！。，,.~…\s]"
)
# A no that stands whatever is asked beside it (算了 运费多少来着: the request is declined).
_PLAIN_NO = re.compile(r"算了|不用了|不要了|不需要了|先不|放弃|不办了|不弄了|不申请了")


def is_question(text: str) -> bool:
    """True when a message answering a request said back asks something of its own (七天无理由
    对吧, 运费谁出, 好 那我怎么弄, 要我自己寄回去吗, 运费不用我出吧): it is answered, never
    taken as a yes, a no or a hesitation. 可以吗, 等一下 and a plain no (算了, 先不…, 不取消了)
    ask nothing."""
    words = (text or "").strip()
    if not words or words.startswith(("/", "／")) or not _ASKING.search(words):
        return False
    if _PLAIN_NO.search(words) or _NEGATED.search(words):
        return False
    return bool(QUESTION_WORDS.search(words)) or len(_NOT_ASKED.sub("", words)) >= 2


# Asking what to do next for the request said back (好 那我怎么弄, 然后呢, 要怎么操作): its steps.
_HOW_TO_GO_ON = re.compile(
    r"怎么(?:弄|办|操作|申请|搞|做|处理|退|换|走|来)|咋(?:弄|办|搞|整)|如何(?:操作|申请|办)|"
    r"然后呢|然后怎么|下一步|接下来|流程|步骤|手续|要我做什么|我要做什么|需要我做|我该"
)


def asks_how_to_go_on(text: str) -> bool:
    """True when the shopper asks what to do next about the request said back (好 那我怎么弄,
    然后呢, 流程是啥): answered with its steps."""
    return bool(_HOW_TO_GO_ON.search(text or ""))


def button_intent(text: str) -> str | None:
    """The intent a button's payload names (/deny, ／request_human), or None for words."""
    found = _BUTTON.match((text or "").strip())
    return found.group(1) if found else None


# 不用改 / 先不取消 / 别退了: the request's verb under a negation, a few characters apart at most.
_NOT = r"(?:不用|不需要|不要|无需|没必要|用不着|先不|不想|别|不)(?:再|都|也|帮我|给我|去|了)?"
_NEGATED = re.compile(_NOT + r"(?:修改|改|换|变更|取消|退款|退货|退)")
# A cancel or a return taken back (不取消了, 先不退): no word about a change of the order.
CANCEL_OR_RETURN_TAKEN_BACK = re.compile(_NOT + r"(?:取消|退款|退货|退)(?:订单|掉)?了?")
# A cancel taken back (不取消了, 不要取消): what else the words ask is the request.
_CANCEL_TAKEN_BACK = re.compile(_NOT + r"取消(?:订单|掉)?了?")
# (a delivery wish is a change too: 不取消了 那这个周六下午送行不行, 放快递柜吧)
_CHANGE_ASKED = re.compile(r"换|改|(?<![发赠])送(?!人|礼|的)|放(?:快递柜|丰巢|门卫|驿站|门口)")


def cancel_taken_back_for_a_change(text: str) -> bool:
    """Whether the words take a cancel back and ask for a change instead (那就换雾霾蓝 四件套
    不取消了, 不要取消 只把四件套换成雾霾蓝, 算了不取消了 那周六下午送行不行): the change is the
    request, never the cancel."""
    if _CANCEL_TAKEN_BACK.search(text or "") is None:
        return False
    rest = _CANCEL_TAKEN_BACK.sub(" ", text)
    return _CHANGE_ASKED.search(rest) is not None and _NEGATED.search(rest) is None


# What else the message asks of the order beside the negation (改电话就行, 帮我催一下).
_ASKS_AFTER_NEGATION = re.compile(r"但是|不过|而是|帮我|给我|麻烦|能不能|可以|要|改|换|取消|退")


# A change of mind that keeps the order as it is (其实我挺想要的, 想了想还是留着吧, 那我再等等): the
# order stays, whatever cancel or return was weighed before.
_KEEPS_IT = re.compile(
    r"(?:(?:其实|还是|还|真的)(?:我)?(?:挺|很|蛮|是|还是)?想要|还是要)(?:这个|这单|它)?(?:的|了|啊|呀|吧)*"
    r"(?=$|[\s，,。.!！~…]|就是|但是|只是|不过|可是)|"
    r"(?:还是|就)留着|留着(?:吧|用|算了|自己用)|再等等|再等几天|继续等|等着吧"
)
# Before those words, a refusal (不想再等了, 没法继续等) or the wait put to the shopper (你让我再
# 等等？, 还要我再等几天): nothing kept.
_NOT_KEPT_BEFORE = re.compile(
    r"(?:不|没|别|没法|受不了)(?:想|能|要|用|愿意?|会|打算)?$|[让叫要]我$"
)
# After them, a question (再等等？, 继续等吗): asked, not decided.
_ASKED_AFTER = re.compile(r"^[了啊呀吧呢]*(?:吗|么|嘛|[?？])")
# A cancel or a return asked for beside it (还是要取消, 留着干嘛 退了吧): no keeping.
_UNDO_ASKED = re.compile(r"(?:帮我|给我|我要|要)(?:取消|退)|(?:取消|退)(?:吧|掉|了吧)")


def keeps_it(text: str) -> bool:
    """True when the shopper changes their mind and keeps the order as it is (其实我挺想要的
    就是等太久了, 本来想退的 想了想还是留着吧, 那我再等等) and asks for no cancel or return;
    never a wait refused or asked about (我不想再等几天了, 你让我再等等？)."""
    words = re.sub(r"\s", "", text or "")
    kept = any(
        not _NOT_KEPT_BEFORE.search(words[: found.start()])
        and not _ASKED_AFTER.match(words[found.end() :])
        for found in _KEEPS_IT.finditer(words)
    )
    return kept and not _UNDO_ASKED.search(_NEGATED.sub(" ", words))


# Back to what was just turned down (还是换黑的吧, 那还是退吧, 算了还是换吧): no new request.
_SETTLES_BACK = re.compile(
    r"^(?:嗯|哎|唉|那|算了|想了想)*(?:还是|要不还是|那还是)(?:要|给我)?(?:换|退|补发|登记|申请|办)"
    r"[^，,。？?不别]{0,8}(?:吧|好了)?$"
)


def settles_back(text: str) -> bool:
    """Whether the words go back to what was just turned down (还是换黑的吧)."""
    return _SETTLES_BACK.search(re.sub(r"[\s…~～.!！]", "", text or "")) is not None


# One detail said to stay as it is, and nothing else (电话不变, 收件人还是我, 其他都不变): said
# beside a change of another detail, no no to it.
_DETAIL = r"(?:收件人|收货人|电话|手机号?|号码|名字|姓名|地址|其他|其它|别的|其余|其他信息)"
_A_DETAIL_STAYS = re.compile(
    rf"^(?:那|就|然后)?{_DETAIL}(?:和|跟)?{_DETAIL}?(?:都|也)?"
    r"(?:不变|照旧|还是原来的|还是我|一样|没变)(?:的|哈|啊|呀|了)?$"
)


def says_a_detail_stays(text: str) -> bool:
    """Whether the words only say that one detail of the order stays as it is (电话不变,
    收件人还是我): information beside a change, never a no to it."""
    return _A_DETAIL_STAYS.search(re.sub(r"[\s，,。.!！~～]", "", text or "")) is not None


def is_negated_request(text: str) -> bool:
    """True when the message says a change, cancel or return is NOT wanted (电话都不用改,
    那先不取消, 别退了) and asks for nothing else: it answers no, it requests nothing."""
    words = text or ""
    if keeps_it(words):  # 本来想退的 想了想还是留着吧: a no to the return once weighed
        return True
    if _NEGATED.search(words) is None:
        return False
    rest = _NEGATED.sub(" ", words)  # every negation: 我不取消了 你别给我取消了
    return _ASKS_AFTER_NEGATION.search(rest) is None


# A return request taken back (取消退货, 退货申请怎么撤销, 不想退了 鞋留着): read only where the
# order has a return request open (shop.return_withdrawal), so 不退了 to a return just said back
# stays that request's no.
_WITHDRAWAL_VERB = r"(?:取消|撤销|撤回|撤掉|关闭|关掉|不要了|不办了)"
_RETURN_NOUN = r"(?:退货|退换货|退款|售后)(?:申请|单)?"
_WITHDRAWS_RETURN = re.compile(
    rf"{_WITHDRAWAL_VERB}(?:这个|那个|这次|那次|我的|掉)?{_RETURN_NOUN}"
    rf"|{_RETURN_NOUN}[^,，。!！?？\s]{{0,6}}{_WITHDRAWAL_VERB}"
    rf"|{_NOT}(?:退货|退)了"
    r"|(?:还是|就|先)?(?:留着|自己留着|留下)(?:用|吧|了|穿)"
)


def withdraws_return(text: str) -> bool:
    """Whether the words take back a return asked for before (能取消退货吗, 不想退了)."""
    return bool(_WITHDRAWS_RETURN.search(re.sub(r"\s", "", text or "")))


# A shopper leaving or putting the decision off: 我再想想, 算了不用了, 先这样吧, 回头再说.
_CLOSING = re.compile(
    r"(?:我|那我)?再(?:想想|考虑|看看|琢磨)|考虑一下|先这样|就这样吧|回头再说|以后再说|"
    r"算了|不用了|没事了|没别的|拜拜|再见|先不买|先不看|"
    r"不用(?:再)?(?:查|找)了"  # 那不用查了吧: nothing more to look for
)
# A question or a new request in the same message is answered, not taken as a goodbye.
_STILL_ASKING = re.compile(
    r"吗|么|呢|\?|？|怎么|多少|能不能|可不可以|行不行|好不好|为什么|凭什么|几"
)


def says_leaving(text: str) -> bool:
    """Whether the words say the shopper is leaving or putting the talk off (先这样, 拜拜, 不用查
    了), whatever they ask on the way out."""
    return bool(_CLOSING.search(text or ""))


def asks_without_leaving(text: str) -> bool:
    """Whether a message read as a goodbye is a question with no word of leaving in it (过保了就
    没办法了吗), not one asked on the way out (那先这样吧 有问题再找你们好吗)."""
    return is_question(text) and not says_leaving(text)


def is_closing(text: str) -> bool:
    """True when the message ends the talk or puts it off (好 我再想想, 算了不用了 谢谢)
    and asks nothing more."""
    words = text or ""
    return bool(_CLOSING.search(words)) and not _STILL_ASKING.search(words)


_ORDER_CHANGE_VERB = re.compile(r"取消|退|改|换|修改|不要了")


def is_closing_without_request(text: str) -> bool:
    """A closing that names no cancel, return or change (算了不用了 让室友帮我拿吧 谢谢), so a
    cancel or change the classifier heard in it is not there (算了 取消吧 still is one)."""
    return is_closing(text) and not _ORDER_CHANGE_VERB.search(text or "")


# Asking to be told the shop's address (地址发我, 地址再发我一遍, 退货地址是啥, 寄回哪里): on an
# order it is where a return goes, never a change of the delivery address or a goodbye.
_ADDRESS_ASKED = re.compile(
    r"地址.{0,4}?(?:发|给|告诉|说)(?:一下|下)?我"
    r"|(?:发|给|告诉)我.{0,4}?地址"
    r"|(?:退货|寄回|退回|售后|退换货?)的?地址"
    r"|地址(?:是|在)?(?:多少|什么|啥|哪)"
    r"|寄(?:回|回去|到)?(?:哪|什么地方)(?!了)"
)
# The delivery address changed, checked or named as the shopper's own: an order change.
_ADDRESS_OF_THE_ORDER = re.compile(
    r"改|修改|变更|换(?:个|一下|成)?地址|地址换|写错|填错|新地址|收货地址|我的地址|我家地址|发货地|哪里?发货|从哪"
)


def asks_for_the_address(text: str) -> bool:
    """True when the shopper asks to be told the address goods go back to (地址发我, 退货地址是
    啥, 算了 地址再发我一遍), not to change or check their own (改地址, 地址改成…, 我的地址发我
    看下)."""
    words = text or ""
    return bool(_ADDRESS_ASKED.search(words)) and not _ADDRESS_OF_THE_ORDER.search(words)


# An explicit demand for a person or a formal complaint (我要投诉, 叫你们人工来).
_WANTS_PERSON = re.compile(
    r"投诉|人工|真人|找你们领导|经理|主管|活人|(?:找|叫|换|让)(?:个|一个|位)?(?:能做主|说了算|管事)的"
)


def wants_a_person(text: str) -> bool:
    """True when the shopper demands a person or files a complaint outright; a threat made
    on a condition (再不发货我就投诉) is answered first, not handed over, and a question about
    the people (人工客服几点上班, 转人工要等多久) is no demand."""
    words = text or ""
    return (
        bool(_WANTS_PERSON.search(words))
        and not _ABOUT_THE_PEOPLE.search(words)
        and not is_conditional_request(words)
    )


# Asking in words to be put through to a person (转个人问问修的事, 那你找个人跟我说, 让能处理的人
# 跟我说, 找个人帮我特殊处理一下, 转人工 问维修的事); not someone to take a parcel (找个人帮我拿),
# nor a question about the people (人工客服几点上班, 转人工要等多久).
_ASKS_FOR_PERSON = re.compile(
    r"转(?:个|一个|给)?(?:人工|真人|活人|客服|人)(?!员)|(?:找|要|叫|来|换|有没有)(?:个|一个|位)?(?:人工|真人|活人)|"
    r"(?:找|换|叫|来|让|派)(?:你们|你家)?(?:个|一个|位)?"
    r"(?:能处理的?|管事的?|负责的?|能管的?|懂的?|能做主的?|说了算的?)?(?:人|客服|同事)"
    r"来?(?:(?:跟|和|给)我(?:说|聊|谈|讲|处理|解决|回|打电话|联系|对接)"
    r"|帮我(?:特殊|单独)?(?:处理|解决|看看|看一下|跟进|核实|查查|查一下))"
    # the person offered, taken up in a word (转吧, 那就转一下): nothing else is ever 转-ed
    r"|^\s*(?:那|好|行|嗯|可以)?\s*(?:就|你)?转(?:吧|一下|过去|给他们)+\s*$"
)
_ABOUT_THE_PEOPLE = re.compile(r"几点|上班|下班|什么时候|多久|多长时间|要等|排队|电话多少|工作时间")


def asks_for_a_person(text: str) -> bool:
    """True when the message asks to be put through to a person, in any words; a question
    about the people (几点上班) or a threat on a condition (再不处理我就找人工) is not one."""
    words = (text or "").replace(" ", "")
    return (
        bool(_ASKS_FOR_PERSON.search(words))
        and not _ABOUT_THE_PEOPLE.search(words)
        and not is_conditional_request(words)
    )


# Pushing back on an answer the bot cannot change (降价才三天啊 怎么就不行了, 差个几天而已 你们通融
# 下呗, 凭什么): heard with understanding, the answer kept, a person offered; never argued with.
_PUSHES_BACK = re.compile(
    r"怎么就不行|为什么不行|为啥不行|凭什么|通融|就差|而已|行个方便|帮帮忙|不讲理|太死板|"
    r"这么死板|不能灵活|能不能特殊|特殊处理|破个例|才(?:[一二两三四五六七八九十几\d]+)(?:天|个?小时|分钟)|"
    # the rule too much for so little (就一支口红还要去医院？, 这么麻烦)
    r"就(?:一|1|这么)(?:支|个|件|瓶|盒|双|本|袋|点)\S{0,8}还(?:要|得)|这么麻烦|也太麻烦|"
    # other shops do better (别家都是保价60天的)
    r"别家|别的店|别人家|人家都|其他家|其他店|别的平台"
)


def pushes_back(text: str) -> bool:
    """True when the shopper pushes back on what they were just told (通融下呗, 才三天啊)."""
    return bool(_PUSHES_BACK.search((text or "").replace(" ", "")))


# Asking who to turn to when the bot can do no more (那我找谁, 我问谁去, 过了时间还没到找谁,
# 这事谁管): a person, not a goodbye, not the last answer again. Who signed or took a parcel
# (谁签的, 找谁代收) is the parcel's record, not this.
_WHO_TO_TURN_TO = re.compile(
    r"(?:找|问|联系|投诉|反映|反馈)(?:谁|哪个|哪位|哪里|哪儿|什么人|啥人)(?!代|签|收)|"
    r"谁(?:来)?(?:管|负责|能管|能处理|能解决|给我解决|给我处理)|"
    r"(?:找|问)(?:哪个|什么)部门|有没有(?:人|能)管"
)
# The shop's phone asked for (客服电话多少, 有没有热线, 给个电话 我打过去): the same people, in
# this chat, and the shopper told there is no phone line.
_SHOPS_PHONE = re.compile(
    r"(?:客服|人工|店铺|商家|你们)的?(?:电话|热线|联系电话)(?:是|号码|号)?(?:多少|给我|发我|有吗|有没有|呢)|"
    r"有没有(?:客服|人工)?(?:电话|热线)|(?:^|客服|人工)(?:电话|热线)(?:是)?多少|"
    r"^(?:那)?给(?:个|我个?)(?:电话|号码|联系方式)|我(?:要)?打(?:电话)?过去"
)


def asks_for_the_shops_phone(text: str) -> bool:
    """Whether the shopper asks for the shop's phone (客服电话多少, 给个电话 我打过去)."""
    return bool(_SHOPS_PHONE.search((text or "").replace(" ", "")))


def asks_who_to_turn_to(text: str) -> bool:
    """Whether the shopper asks who to turn to (那就没办法了吗 我找谁, 那我问谁去, 这事谁管) or
    for the shop's phone."""
    return bool(_WHO_TO_TURN_TO.search((text or "").replace(" ", ""))) or asks_for_the_shops_phone(
        text
    )


# Words that tie a complaint to the shopper's order (its parcel, its goods, its money).
_ABOUT_AN_ORDER = re.compile(
    r"订单|取消|补偿|发货|快递|物流|包裹|到货|送到|没到|不动|收到|退款|退货|换货|质量|坏了|破了|起球|掉色|"
    r"发票|差价|拍了|买了|买的"
)


def is_about_an_order(text: str) -> bool:
    """True when a complaint names the order's parcel, goods or money (再不发货我就退款,
    买的衣服洗了一次就掉色), not only the shop or the service (什么破规定, 服务太差)."""
    return bool(_ABOUT_AN_ORDER.search(text or ""))


# The shopper's own purchase named (买的那本书, 收到的杯子, 刚到手): a problem told of it is theirs,
# not a question before buying (这书会不会缺页).
_OWN_PURCHASE = re.compile(r"买的|买了|收到|到手|拿到|刚到|寄来的|发来的|送来的")


# Goods in the shopper's hands: tried once, never opened, judged as they are (口红我就试了一
# 下, 音箱没拆过, 颜色太红了 不适合我; not 没拆过的能退吗 or 不喜欢能退吗, asked of any goods,
# nor 太贵了, nor 会不会太小了, a worry before buying).
_IN_HAND = re.compile(
    r"(就|只)(试|涂|穿|戴|用)了(一下|一次|一回)|(试|涂)了(一?下|一次)|没(拆|拆封|开封|用|穿)过(?!的)"
    r"|不适合我|(?<![会怕])(?<!担心)(?<!要是)(?<!如果)(?<!万一)"
    r"太(红|艳|暗|深|浅|亮|大|小|长|短|紧|松|肥|瘦|薄|厚)了"
)


def has_in_hand(text: str) -> bool:
    """True when the words say the shopper holds the goods (我就试了一下, 没拆过)."""
    return bool(_IN_HAND.search(text or ""))


def names_own_purchase(text: str) -> bool:
    """True when the words speak of goods the shopper already bought, received or holds."""
    return bool(_OWN_PURCHASE.search(text or "")) or has_in_hand(text)


_HYPOTHETICAL = re.compile(
    r"(?:要是|如果|万一|假如|假设|到时候)[^。！!]{0,20}?(?:呢|怎么办|咋办|怎么弄|怎么处理|吗|么|嘛|[?？])"
)


def is_hypothetical(text: str) -> bool:
    """A question about what would happen (那要是到时候还没到呢, 万一丢了怎么办): it asks
    about a problem, it does not report one, so nothing is opened without a yes."""
    return bool(_HYPOTHETICAL.search(text or ""))


# The shopper says there is no order to look at: 就问问, 先问问, 没具体单子, 还没买, 打算买.
_NO_ORDER = re.compile(
    r"(?:就|只|只是|就是|先|随便|顺便)(?:问问|问一下|问下|咨询一下|了解一下)|问问而已|"
    r"没(?:有)?(?:具体|什么)?的?(?:单子|订单)|"
    r"还没(?:有)?(?:买|下单|拍|付款)|没(?:买|下单|拍)(?:呢|过)|还没决定|"
    r"(?:打算|准备|想|考虑|在考虑)(?:要)?(?:买|入手|下单|拍)|买之前|下单(?:之)?前|"
    # 我想过几天再买 怕买了又降价: the purchase put off
    r"(?:过几天|过两天|过段时间|等几天|晚点|以后|回头|改天)再(?:买|下单|拍)|怕买了"
)
# A question about goods or cases in general, not a report: 买了不合适能退吗 (if I buy and it
# does not fit), 没发货直接取消的呢 (orders of that kind), 一般多久.
_IN_GENERAL = re.compile(
    r"(?<![我刚才天周月号])买(?:了|回来|回去|到)[^，,。！!？?]{0,14}?"
    r"(?:能|可以|可不可以|能不能|会|还能|给|包)[^，,。！!？?]{0,8}?(?:吗|么|嘛|不|没|[?？])|"
    r"(?<![我你他她])的(?:话)?呢|一般|通常|的(?:订单|单子|东西|商品)(?:能|可以|还能|也能|会|要)|"
    r"(?:下单|付款|支付|发货|签收|收货|拆封|拆开)(?:之|以)?(?:后|前)[^，,。！!？?]{0,8}?(?:能|可以|还能)|"
    # 买完降价退差价吗, 下单就能开票吗: the purchase as a condition, nothing said to have happened
    r"(?<![我刚才天周月号])(?:买完|下单就|一下单|付完款)[^，,。！!？?了]{0,8}?"
    r"(?:能|可以|会|给|退|补|开|送|发)[^，,。！!？?了]{0,6}?(?:吗|么|嘛|不|[?？])|"
    # 发啥快递, 你们走哪家物流: how the shop ships (发的啥快递 asks after a parcel sent)
    r"(?:发|走|用)(?:什么|啥|哪家|哪个|哪种)(?:快递|物流)|"
    # 你们能发顺丰吗, 支持京东快递不: whether the shop ships with a carrier (能改发顺丰吗: a change)
    r"(?:能|可以|可不可以|能不能|会不会|支持|有没有)(?<!改)(?:发|走|用|寄)?(?:"
    + "|".join(CARRIERS)
    + r")(?:快递|速运|物流|快运)?(?:吗|么|嘛|不|没|[?？])|"
    # 今天下单周五前能到吗, 现在拍明天发吗: a purchase still to make (今天下单的, 下单了: made)
    r"(?<![我刚才])(?:今天|今晚|现在|马上|这会儿?|明天|明早)(?:下单|拍下?|买|付款)(?![了的过])"
    r"[^。！!]{0,14}?(?:(?:能|可以|会|来得及|赶得上)[^。！!]{0,8}?(?:吗|么|嘛|不|没|[?？])|"
    # 黑色42今天拍 成都几天能到: when it would come, asked with a question word
    r"(?:几天|多久|哪天|什么时候|啥时候)(?:能|会|可以)?(?:送|收)?到)"
)


# When goods would arrive, asked ahead (下周三之前能到上海吗, 几天能到, 周末前来得及吗): not where a
# parcel is (到哪了, 到了没, 怎么还没到 ask after one sent).
_ARRIVAL_AHEAD = re.compile(
    r"(?:能|可以|会)(?:送|收)?到[^，,。！!？?\s]{0,6}?(?:吗|么|嘛|不|[?？])|几天(?:能|可以|会)?(?:送|收)?到|"
    r"多久(?:能|可以|会)?(?:送|收)?到|来得及|赶得上|(?:哪天|什么时候|啥时候)(?:能|可以|会)(?:送|收)?到|"
    r"(?:能|可以)(?:约|指定)[^，,。！!？?\s]{0,6}?(?:送|到)"  # 能约明天送到吗, 可以指定周六送吗
)
_ARRIVAL_OF_A_PARCEL = re.compile(r"到哪|到了没|还没到|没到|怎么还|咋还|物流|单号|显示")


# When goods bought now would leave or come (今天下单什么时候发货, 现在拍几点能发, 付款后多久发,
# 几点前下单当天发): a purchase still to make, none told made (下单了, 昨天下单, 下单三天了).
_SHIPPING_AHEAD = re.compile(
    r"(?:下单|拍下?|买|付款|付完款|支付)(?:的话|之后|以后|后)?(?![了的过])[^。！!了]{0,10}?"
    r"(?:什么时候|啥时候|几点|多久|多长时间|几天|哪天|当天|今天|明天)(?:能|会|可以|就)?"
    r"(?:发|寄|出库|送|到)|"
    # 周末发货不, 节假日发吗: whether the warehouse ships on those days
    r"(?:周末|周六|周日|礼拜[六天日]|星期[六天日]|节假日|假期)(?:也|能|会|正常|照常)?(?:发货|发)"
)
_PLACES = "|".join(sorted([*PROVINCES, *CITY_PROVINCE], key=len, reverse=True))
# How long goods take to a place, or to the shopper (寄到成都要几天, 新疆几天能到, 发过来要多久).
_TO_A_PLACE = re.compile(
    rf"(?:寄|发|送|邮|快递)(?:到|去|往)?(?:{_PLACES})[^。！!]{{0,6}}?(?:几天|多久|多长时间|几日)|"
    rf"(?:{_PLACES})(?:的话)?(?:要|大概|一般)?(?:几天|多久)(?:能|可以|会)?(?:到|收到|送到)|"
    r"(?:发|寄)过来(?:要|大概|一般)?(?:几天|多久|多长时间)|"
    rf"(?:几天|多久|多长时间)(?:能|可以|会)?(?:送|寄|发)?到(?:{_PLACES})|"
    rf"(?<![已都])(?:到|送到)(?:{_PLACES})[^。！!了]{{0,4}}?(?:几天|多久|哪天|什么时候|啥时候)"
)
# A purchase told made, or a parcel already under way: its own order is asked after.
_MADE = re.compile(
    r"昨天|前天|上周|上个?月|前几天|(?:天|周|星期|礼拜|月)(?:前|之前)|已经|早就|天了|\d+号|"
    r"(?:刚|才|早上|中午|上午)(?:下单|下的单|买|拍|付)|下的单|"
    r"(?:我|妈|爸|老公|老婆|朋友|同事|家里人|孩子)(?:买|拍|订)的(?!话)|"
    r"我的(?:包裹|快递|货|件)|我那个|发货了(?:吗|没)|发了(?:吗|没)|"
    # a complaint about the wait (说好的两天到, 等了一个星期了, 快递太慢了): the parcel under way
    r"说好|等了|太慢|好慢|这么慢|还没|怎么还"
)


# Whether goods go to a place at all (能寄西藏吗, 发香港不, 送不送新疆, 国外能发吗).
_SHIPS_TO = re.compile(
    rf"(?:寄|发|送|邮|配送)(?:到|去|往)?(?:{_PLACES}|国外|海外)(?:吗|么|嘛|不|没|[?？])|"
    rf"(?:{_PLACES}|国外|海外)(?:那边|地区)?(?:能|可以|能不能|可不可以|也能)(?:寄|发|送|配送|邮)|"
    rf"(?:寄|发|送)不(?:寄|发|送)(?:到)?(?:{_PLACES}|国外|海外)"
)


# Another place asked after an answer about sending goods (那寄呼和浩特呢, 寄西宁的话呢, 新疆呢).
_ANOTHER_PLACE = re.compile(
    rf"^(?:那|那么|那如果|那要是|如果|要是)?(?:寄|发|送|邮)?(?:到|去|往)?(?:{_PLACES})"
    r"(?:的话|那边|地区)?(?:呢|吗|嘛|怎么算|多少|几天)?[?？]*$"
)


def asks_about_another_place(text: str) -> bool:
    """Whether the message only names another place to send goods to (那寄西宁呢): the question
    just asked, about that place."""
    return bool(_ANOTHER_PLACE.match((text or "").replace(" ", "")))


def asks_if_it_ships_to(text: str) -> bool:
    """Whether the message asks if goods are sent to a place at all (能寄西藏吗, 送不送新疆)."""
    return bool(_SHIPS_TO.search((text or "").replace(" ", "")))


def tells_of_an_order_made(text: str) -> bool:
    """Whether the words tell of a purchase made or a parcel under way (昨天下单, 我那个包裹,
    等了一个星期了), whatever they ask."""
    return bool(_MADE.search((text or "").replace(" ", "")))


def asks_shipping_ahead(text: str) -> bool:
    """Whether the message asks when goods bought now would ship or come, or how long they take
    to a place (今天下单什么时候发货, 寄到成都要几天), not after a parcel already sent (到哪了,
    还没到) or an order told made (昨天下单的 什么时候发)."""
    words = (text or "").replace(" ", "")
    if _ARRIVAL_OF_A_PARCEL.search(words) or _MADE.search(words) or names_another_thing_sent(words):
        return False
    return bool(_SHIPPING_AHEAD.search(words) or _TO_A_PLACE.search(words))


# Something else sent, or sending on other terms, that the sending rules of goods bought here do
# not answer: an invoice, a return, custom-made or gift-wrapped goods, a subsidy, a forwarder,
# a refused parcel, split parcels, installation, bulk orders, a coupon or points for postage.
_ANOTHER_THING_SENT = re.compile(
    r"发票|开票|专票|普票|退货|退回|寄回|换货|退款|刻字|定制|礼品包装|包装费|国补|补贴|集运|转运|"
    r"拒收|拒签|分开发|拆单|分单|安装|批量|采购|券|积分|新人|首单|会员"
)


def names_another_thing_sent(text: str) -> bool:
    """Whether the words are about sending something other than goods bought here, or on other
    terms (退货寄到杭州要几天, 纸质发票寄到上海要几天, 刻字的下单后几天发货, 拒收要付运费吗)."""
    return bool(_ANOTHER_THING_SENT.search((text or "").replace(" ", "")))


def asks_arrival_ahead(text: str) -> bool:
    """Whether the message asks when goods would arrive (要两盒 下周三之前能到上海吗, 几天能到),
    not after a parcel already on its way (到哪了, 怎么还没到): with no order in the
    conversation and a product in focus, a question about the purchase being weighed."""
    words = (text or "").replace(" ", "")
    return bool(_ARRIVAL_AHEAD.search(words)) and not _ARRIVAL_OF_A_PARCEL.search(words)


# The phone tail the lookup asks for is not known to the asker (他手机号我不知道, 尾号不记得了).
_TAIL_UNKNOWN = re.compile(
    r"(?:手机号?|电话|尾号|后四位|后4位)[^，,。！!？?]{0,4}?"
    r"(?:不知道|不清楚|不记得|记不得|记不清|忘了|忘记了|没有|不晓得)"
)


def says_tail_unknown(text: str) -> bool:
    """Whether the shopper says they do not know the phone tail (帮朋友查 他手机号我不知道)."""
    return bool(_TAIL_UNKNOWN.search(text or ""))


def says_no_order(text: str) -> bool:
    """The shopper says there is no order to look at (就问问 没具体单子, 还没买 先问问): a
    request waiting for the order number stops, and the question asked is answered."""
    return bool(_NO_ORDER.search(text or ""))


def asks_in_general(text: str) -> bool:
    """A question about how things go, not about an order the shopper placed: what would happen
    (要是…呢), asked before buying (就问问, 还没买), or about a kind of purchase or order (买了
    不合适能退吗, 没发货直接取消的呢). It reports nothing and asks for no order."""
    words = (text or "").replace(" ", "")
    return is_hypothetical(words) or says_no_order(words) or bool(_IN_GENERAL.search(words))


# A short follow-up with no subject of its own (好了没, 然后呢, 那现在呢, 那要多久, 在哪看): it asks
# about what the conversation was last on, never a greeting or a yes.
_BARE_FOLLOW_UP = re.compile(
    r"^(?:(?:哦|噢|嗯|那个|那|所以|请问)\s*)*"
    r"(?:好了(?:吗|么|没|没有)|弄好了(?:吗|没)|办好了(?:吗|没)|然后呢|(?:那)?现在呢|现在怎么样了?|"
    r"怎么样了|进度呢|(?:还)?(?:要|得|需要)?多久(?:能好|能到)?|在哪(?:里|儿)?(?:看|查)|到了没)"
    r"\s*(?:啊|呀|呢|了|吗|哈|[?？!！。.~]*)*$"
)


def is_bare_follow_up(text: str) -> bool:
    """True for a short question with no subject of its own (好了没, 然后呢, 那要多久, 在哪看):
    it is read with what the conversation was last on."""
    return bool(_BARE_FOLLOW_UP.match((text or "").strip()))


# What a shopper may deny having asked for, or ask about as done before: undo, send back, change.
_EARLIER_VERB = r"(?:取消|退款|退货|退掉|退单|退|修改|改|换)"
# 我没取消啊, 我又没申请退货, 我没说要退款, 我根本没点取消: they did not ask for it.
_DENIED = re.compile(
    r"(?:我|本人)[^，,。！!？?\s]{0,3}?(?:没|没有|并没有|从来没|从没)(?:说|要|点|申请|让|叫|要求|同意|想|打算)?"
    r"(?:过)?(?:要|让)?(?:你们)?(?:帮我|给我)?" + _EARLIER_VERB + r"(?!成功|掉|得|上|不了)"
)
# 怎么被取消了, 谁给我取消的, 上次不是给改了吗, 不是已经改过了吗, 之前改好了怎么还是旧的: about
# something done to the order before, not a request to do it now.
_EARLIER_ACTION = re.compile(
    r"(?:被|谁(?:给我|帮我|让你们)?)" + _EARLIER_VERB + r"|"
    r"(?:上次|之前|以前|前面|刚才|已经|早就)[^，,。！!？?\s]{0,4}?"
    + _EARLIER_VERB
    + r"(?:过|好)?了?(?:吗|嘛|么|呀|啊|的|[?？])|"
    r"(?:上次|之前|以前|已经)[^，,。！!？?\s]{0,4}?" + _EARLIER_VERB + r"(?:过|好)"
)
# What the message asks beside it (帮我取消吧, 再改一次, 给我退了): a request after all.
_ASKS_TO_DO = re.compile(
    r"(?:帮我|给我|麻烦|我要|我想|想要|需要|再)(?:再)?"
    + _EARLIER_VERB
    + r"|"
    + _EARLIER_VERB
    + r"吧"
)


def denies_asking(text: str) -> bool:
    """True when the shopper says they did not ask for a cancel, a return or a change (我没取消啊,
    我没申请退货, 我没说要退款): a question about what happened to the order."""
    return bool(_DENIED.search(text or ""))


def is_about_earlier_action(text: str) -> bool:
    """True when the message denies having asked for a cancel, a return or a change, or asks
    about one done before (我订单怎么被取消了, 上次不是给改了吗, 不是已经退了吗), and asks for
    none now: it asks about the order's state, never for the request. 先不取消了 is a no, not
    this; 我没取消成功 帮我取消 is a request."""
    words = text or ""
    spans = [*_DENIED.finditer(words), *_EARLIER_ACTION.finditer(words)]
    if not spans:
        return False
    rest = words
    for found in spans:
        rest = rest.replace(found.group(0), " ")
    return _ASKS_TO_DO.search(rest) is None


# A reproach, asked as a question but wanting no fact (质量问题也不管?, 东西坏了还要审?, 为了一支
# 口红?, 你们这质量?, 你们仓库是色盲吗, 不是说前天就到吗); pushing back on a rule is `pushes_back`.
_REPROACH = re.compile(
    r"谁规定|也不管|都不管|还要审|"
    r"为了一[支个件双瓶盒本][^，。,]{0,6}[?？]|"
    r"^(?:你们)?这(?:质量|服务|态度|效率)[?？啊呢]*$|"
    r"色盲|眼瞎|瞎了|"
    r"^不是说.{1,12}(?:吗|嘛)[?？]*$"
)


def reproaches(clause: str) -> bool:
    """Whether a clause reproaches the shop (谁规定的, 为了一支口红?, 你们这质量?): a question
    that wants to be heard, not an answer to click for."""
    return bool(_REPROACH.search(re.sub(r"\s", "", clause or "")))
