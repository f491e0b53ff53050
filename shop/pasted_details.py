"""Receiver details pasted as one block: each part read apart, so the address is only the address.

Shoppers paste what their phone copied or what they wrote for a courier, on one line or several,
with Chinese or ASCII colons: "收货人：… 地址：…省…市…区…号 电话不变", "姓名:… 手机:… 详细地址:…",
"所在地区：浙江省 杭州市 西湖区 详细地址：…", or a copied line "name，mobile，address". The reader
returns the parts it found (`PastedDetails`), or None for a message that is no such block.
"""

import re
import unicodedata
from dataclasses import dataclass

from core.text import normalise
from shop.orders import check_phone

# A label of the block, by the part it names; the longest label is tried first at each place.
LABELS = {
    "receiver": ("收货人姓名", "收件人姓名", "收货人", "收件人", "联系人", "姓名", "名字"),
    "region": ("所在地区", "所在地", "省市区", "地区"),
    "address": ("收货地址", "收件地址", "详细地址", "新地址", "地址"),
    "phone": ("联系电话", "手机号码", "手机号", "电话号码", "手机", "电话"),
}
_PART_OF_LABEL = {label: part for part, labels in LABELS.items() for label in labels}
# A label starts the message or follows a separator, and is followed by a colon, a space or the
# value itself (收货人林晓雯, 电话不变).
_LABEL = re.compile(
    r"(?:^|(?<=[\s/|,，;；、。]))("
    + "|".join(sorted(_PART_OF_LABEL, key=len, reverse=True))
    + r")\s*(?:[:：]\s*)?"
)
# What a value ends with before the next part: separators and spaces.
_EDGES = " /|,，;；、。.\t"
# Words that keep a part as it is (电话不变, 手机号还是原来的, 电话同上, 名字不用动).
_KEPT_WORDS = (
    r"(?:也|都|就|还是)?(?:保持不变|不变|没变|不用改|不用变|不改|别改|不换|不用换|不用动|别动|"
    r"一样|同上|照旧|还是原来的?|用原来的?)"
)
KEPT = re.compile(rf"^{_KEPT_WORDS}")
# A part of the receiver's details named in a remark beside a value (收件人电话, 名字, 其他).
_A_PART = (
    r"(?:(?:收件人|收货人|联系人)的?(?:姓名|名字|电话号码|电话|手机号码|手机号|手机)?|姓名|名字|"
    r"电话号码|联系电话|电话|手机号码|手机号|手机|联系方式|其他|其它|其余|别的|剩下的)(?:信息)?"
)
# A remark beside a value about the other parts kept (收件人电话不变, 名字和电话都不用改, 其他不变)
# or a courtesy (麻烦了, 谢谢): never part of the value.
_REMARK = re.compile(
    rf"{_A_PART}(?:\s*[和跟及、]\s*{_A_PART})*\s*{_KEPT_WORDS}(?:的|了|哈|哦)?"
    r"|麻烦(?:你|您)?(?:了|啦)|谢谢(?:你|您|了|啦)?|多谢|辛苦(?:你|您)?(?:了|啦)|感谢"
)
# Before a name that stays as it is (收件人还是王建国, 收货人仍是我爱人): not part of the name.
_SAME_AS = re.compile(r"^(?:还是|仍然是|仍是|依然是|依旧是|就是|也是|是|写|填)")
# A person's name: letters of any script, a middle dot, a space between Latin names; no digits.
_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[·•.\- ]){0,19}$")
MAX_NAME_CHARS = 20
# An unlabelled piece is the address when it has a place word and a number.
_ADDRESS_SHAPE = re.compile(r"[省市区县路街道号].*\d|\d.*[号栋幢楼室]")


@dataclass(frozen=True)
class PastedDetails:
    """The parts of a pasted block (None where it has none): the address as one string (the
    region and the street joined), the receiver's name, a new mobile, and whether the shopper
    said the phone stays as it is."""

    address: str | None = None
    receiver: str | None = None
    phone: str | None = None
    phone_kept: bool = False


def without_remarks(value: str) -> str:
    """A value (an address above all) without the remarks beside it about the other parts kept
    or a courtesy: "…8栋1502 名字电话都不变" → "…8栋1502", "…3号 其他不变 谢谢" → "…3号"."""
    kept = _REMARK.sub(" ", value)
    return re.sub(r"\s+", " ", kept).strip(_EDGES) if kept != value else value


def read_pasted_details(text: str) -> PastedDetails | None:
    """The receiver details of a pasted block, or None when the message is no block: labelled
    parts (two at least), or an unlabelled copied line of a name,
    a mobile and an address separated by commas or lines."""
    clean = normalise(text, keep_case=True)  # a name keeps its capitals
    return _labelled(clean) or _unlabelled(text)


def _labelled(clean: str) -> PastedDetails | None:
    labels = list(_LABEL.finditer(clean))
    if not labels:
        return None
    parts: dict[str, str] = {}
    kept: set[str] = set()
    before = clean[: labels[0].start()].strip(_EDGES)
    if before and _ADDRESS_SHAPE.search(before):  # 改成…1608 收件人还是王建国: the address first
        parts["address"] = before
    for at, label in enumerate(labels):
        end = labels[at + 1].start() if at + 1 < len(labels) else len(clean)
        part = _PART_OF_LABEL[label.group(1)]
        value = clean[label.end() : end].strip(_EDGES)
        if value and not without_remarks(label.group(1) + value):
            kept.add(part)  # 名字和电话都不用改: a remark that the part stays, no value
            value = ""
        parts.setdefault(part, value)
    phone_words = parts.get("phone", "")
    phone_kept = "phone" in kept or bool(KEPT.match(phone_words))
    if len(parts) < 2:
        return None  # one label is a value said with its name (新地址：…), read as before
    street = without_remarks(parts.get("address") or "")
    if KEPT.match(street):
        street = ""
    region = re.sub(r"\s+", "", parts.get("region", ""))
    address = (region + street) if region and not street.startswith(region) else street
    receiver = _SAME_AS.sub("", parts.get("receiver", ""))
    return PastedDetails(
        address=address or None,
        receiver=receiver if is_a_name(receiver) else None,
        phone=None if phone_kept else check_phone(phone_words),
        phone_kept=phone_kept,
    )


def _unlabelled(text: str) -> PastedDetails | None:
    """A copied "name，mobile，address" (in any order, by commas or lines): each piece is read
    by its shape; None unless all three are there."""
    pieces = [p.strip(_EDGES) for p in re.split(r"[,，;；\n]", unicodedata.normalize("NFKC", text))]
    pieces = [p for p in pieces if p]
    if not 3 <= len(pieces) <= 5:
        return None
    phones = [p for p in pieces if check_phone(p) and not re.sub(r"[\d\s\-+()]", "", p)]
    names = [p for p in pieces if is_a_name(p) and len(p) <= 6]
    rest = [p for p in pieces if p not in phones and p not in names and not p.isdigit()]
    if len(phones) != 1 or len(names) != 1 or len(rest) != 1 or not _ADDRESS_SHAPE.search(rest[0]):
        return None
    return PastedDetails(
        address=re.sub(r"\s+", " ", rest[0]), receiver=names[0], phone=check_phone(phones[0])
    )


# Words for a person that are no name (收货人还是我: the receiver stays who it is).
_NOT_A_NAME = re.compile(r"^(?:我|我自己|本人|自己|他|她|他自己|她自己|原来的人|原来那个人)$")


def is_a_name(words: str) -> bool:
    """Whether the words are a person's name (no digits, not too long, no kept-word, no
    pronoun: 我 is who the receiver already is)."""
    return (
        bool(words)
        and len(words) <= MAX_NAME_CHARS
        and bool(_NAME.match(words))
        and not KEPT.match(words)
        and not _NOT_A_NAME.match(words)
    )
