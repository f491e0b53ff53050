"""A personal invoice carries the name the shopper gives as its title (trial 5, T70: 抬头张丽娟
was shown and recorded as 个人)."""

import pytest

from shop.invoice_reading import person_named, read_invoice_wish
from shop.invoices import PERSONAL_TITLE, InvoiceDetails, wished_details
from shop.models import InvoiceTitleType


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("个人的 抬头张丽娟", "张丽娟"),
        ("个人抬头 写王磊就行", "王磊"),
        ("抬头写刘洋吧", "刘洋"),
        ("个人发票，抬头是 孙悦", "孙悦"),
        ("开个人的 名字叫欧阳娜娜", "欧阳娜娜"),
        ("抬头：陈晓明", "陈晓明"),
    ],
)
def test_a_shopper_who_gives_a_name_for_a_personal_invoice_gets_that_name_as_the_title(text, name):
    wish = read_invoice_wish(text)
    assert (wish.title_type, wish.person) == (InvoiceTitleType.PERSONAL, name)
    details = wished_details(wish)
    assert isinstance(details, InvoiceDetails)
    assert details.title == name


@pytest.mark.parametrize(
    "text",
    [
        "抬头写错了 帮我换开",
        "个人的 抬头随便写",
        "开个人的",
        "个人的就行",
        "抬头是个人",
        "抬头开成个人了",
    ],
)
def test_words_that_name_no_person_are_never_taken_for_a_name(text):
    assert person_named(text) is None


def test_a_personal_invoice_without_a_name_is_still_titled_personal():
    details = wished_details(read_invoice_wish("开个人的普票"))
    assert isinstance(details, InvoiceDetails)
    assert details.title == PERSONAL_TITLE


def test_a_company_title_is_never_read_as_a_persons_name():
    wish = read_invoice_wish("抬头 张氏贸易有限公司 要专票")
    assert wish.person is None
    assert wish.title_type == InvoiceTitleType.COMPANY


@pytest.mark.parametrize("text", ["没申请过吗 那现在开 个人就行", "个人就行", "个人吧", "个人"])
def test_a_personal_title_chosen_in_a_word_is_read(text):
    assert read_invoice_wish(text).title_type == InvoiceTitleType.PERSONAL


@pytest.mark.parametrize("text", ["我个人觉得无所谓", "开成个人了 要改公司"])
def test_personal_in_passing_or_as_what_went_wrong_is_no_personal_title(text):
    assert read_invoice_wish(text).title_type != InvoiceTitleType.PERSONAL
