"""What a public reply (回评) to a negative review says, as facts: which problem it acknowledges
(in the reviewer's own words where they can be quoted), what the shop does about it, whether the
shop contacts the customer. words.replies turns the facts into sentences; reviews.drafting
checks them.
"""

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import normalise, person_names
from reviews.causes import ReviewCause
from reviews.offers import gravest_problem

ISSUE_MAX = 24  # characters of the reviewer's words quoted; a longer clause is not quoted
ISSUE_MIN = 3
# Leading words that join the clause to what came before and mean nothing on their own.
LEADING = re.compile(
    r"^(?:但是|可是|不过|就是|只是|而且|然后|结果|还有|并且|而|但|可|就|还|又|也|都|真的|感觉)+"
)
TRAILING = re.compile(r"[啊呀吧呢哦嘛啦哈吗~～…\.。,，!！?？、\s]+$")
# What a reviewer may say but a shop never repeats in public: insults, abuse, accusations.
UNQUOTABLE = re.compile(
    r"垃圾|骗|坑|差评|恶心|傻|滚|妈|操|尼玛|屎|狗|烂透|辣鸡|sb|SB|tm|TM|卧槽|无良|黑心|奸商|"
    r"投诉|举报|12315|工商|假货|山寨|过敏|[0-9]{4,}|[a-zA-Z]{6,}|[一二三四五六七八九〇零幺两]{4,}|"
    r"单号|电话|手机号|号码|地址|微信|qq|[a-z]+[0-9]{3,}"  # what may lead to a person
)
# Praise: a clause that praises is not the problem, whatever the analysis took it for.
PRAISE = re.compile(r"挺好|很好|真好|不错|满意|喜欢|很棒|点赞|好用|好吃|好看|给力")
NEGATION = re.compile(r"[不没别未]")
# What a quote keeps, as the reviewer wrote it (no emoji, no brackets; full-width kept).
KEEP = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z０-９ａ-ｚＡ-Ｚ，,、 ]")


@dataclass(frozen=True)
class ReplyFacts:
    """One reply's content, before words."""

    label: str  # the problem acknowledged: `cause.sub`, or the cause
    cause: ReviewCause  # the problem's cause: what the shop does about it
    issue: str | None  # the reviewer's own words for it, when they can be quoted
    also: str | None  # a second problem of another cause, acknowledged briefly
    product: str | None  # the product's name as the next buyer knows it
    contact: bool  # the shop contacts the customer to put it right (an offer is drafted)
    seed: int  # which variants (the review's number among similar ones: words.replies spreads)


def quotable_issue(clause: str | None) -> str | None:
    """The reviewer's clause cleaned for quoting, or None when it should not be quoted."""
    if not clause:
        return None
    text = "".join(KEEP.findall(clause)).strip(" ，,、")
    text = TRAILING.sub("", LEADING.sub("", text))
    plain = normalise(text)  # half-width, lower case: what the patterns read
    if not ISSUE_MIN <= len(text) <= ISSUE_MAX or UNQUOTABLE.search(plain) or _praises(plain):
        return None
    if person_names(text):  # a name in a public reply: the reviewer's, a courier's, an agent's
        return None
    return text


def _praises(text: str) -> bool:
    """Whether the clause praises (a praise word with no negation just before it)."""
    return any(
        not NEGATION.search(text[max(m.start() - 2, 0) : m.start()]) for m in PRAISE.finditer(text)
    )


def _label(cause: str, sub_causes: Sequence[str]) -> str:
    subs = [s for s in sub_causes if s.startswith(f"{cause}.")]
    return subs[0] if subs else cause


def reply_label(causes: Sequence[str], sub_causes: Sequence[str]) -> str:
    """The problem a reply acknowledges: the one its offer is for (the gravest, as the
    compensation policy ranks them)."""
    return gravest_problem(causes, sub_causes)


def reply_facts(
    causes: list[str],
    sub_causes: list[str],
    evidence: dict[str, str],
    product: str | None,
    contact: bool,
    seed: int | str,
) -> ReplyFacts:
    """The facts of the reply to a negative review with this analysis."""
    ordered = causes or [ReviewCause.PRODUCT.value]
    label = reply_label(ordered, sub_causes)
    main = label.partition(".")[0]
    second = next((c for c in ordered if c not in (main, ReviewCause.OTHER)), None)
    return ReplyFacts(
        label=label,
        cause=ReviewCause(main),
        issue=quotable_issue(evidence.get(main)),
        also=_label(second, sub_causes) if second else None,
        product=product or None,
        contact=contact,
        seed=seed if isinstance(seed, int) else zlib.crc32(seed.encode()),
    )
