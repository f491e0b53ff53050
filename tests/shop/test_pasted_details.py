"""Receiver details pasted as one block are read part by part (trial 7 T135: the whole block was
said back as the new address)."""

import pytest

from shop.modifications import (
    ChangeField,
    ChangeRequest,
    ValueProblem,
    block_changes,
    check_address,
    check_value,
    read_change,
)
from shop.pasted_details import PastedDetails, read_pasted_details

STREET = "湖北省武汉市洪山区珞喻路152号华师一附中对面3栋2单元1104室"


@pytest.mark.parametrize(
    "text",
    [
        f"收货人：周明远 / 地址：{STREET} / 电话不变",
        f"收件人:周明远\n收货地址:{STREET}\n手机号还是原来的",
        f"姓名 周明远  详细地址：{STREET}  联系电话：同上",
        f"收货人周明远，地址{STREET}，电话不用改",
    ],
)
def test_a_block_with_the_phone_kept_gives_the_address_the_name_and_no_new_phone(text):
    assert read_pasted_details(text) == PastedDetails(
        address=STREET, receiver="周明远", phone=None, phone_kept=True
    )


def test_a_block_with_a_new_mobile_gives_it():
    details = read_pasted_details(f"姓名：周明远\n手机：139 0271 4466\n详细地址：{STREET}")
    assert details is not None
    assert (details.address, details.receiver, details.phone) == (STREET, "周明远", "13902714466")


def test_the_region_and_the_street_of_a_copied_address_are_one_address():
    details = read_pasted_details(
        "所在地区：湖北省 武汉市 洪山区\n详细地址：珞喻路152号3栋1104\n收件人：Mia Chen"
    )
    assert details is not None
    assert details.address == "湖北省武汉市洪山区珞喻路152号3栋1104"
    assert details.receiver == "Mia Chen"


def test_an_unlabelled_copied_line_of_name_mobile_and_address_is_read_by_shape():
    details = read_pasted_details(f"周明远，13902714466，{STREET}")
    assert details == PastedDetails(address=STREET, receiver="周明远", phone="13902714466")


@pytest.mark.parametrize(
    "text",
    [STREET, f"新地址：{STREET}", "地址改一下", "电话不变", "你好，在吗，问一下", "收货人写谁"],
)
def test_a_message_that_is_no_block_is_read_as_before(text):
    assert read_pasted_details(text) is None


def test_the_address_of_a_block_is_only_its_address_part():
    text = f"收货人：周明远 地址：{STREET} 电话不变"
    assert check_address(text) == STREET
    assert check_value(ChangeField.ADDRESS, text, None).value == STREET
    assert read_change(text) == ChangeRequest(ChangeField.ADDRESS, STREET)


def test_a_block_without_a_city_is_asked_for_again_like_any_address():
    checked = check_value(ChangeField.ADDRESS, "收货人：周明远 地址：珞喻路152号3栋1104", None)
    assert checked.value is None
    assert checked.rejected is not None
    assert checked.rejected.problem == ValueProblem.ADDRESS_WITHOUT_CITY


def test_the_name_and_a_new_phone_of_a_block_are_changes_beside_the_address():
    text = f"收货人：周明远 地址：{STREET} 电话：13902714466"
    assert block_changes(text) == (
        ChangeRequest(ChangeField.RECEIVER, "周明远"),
        ChangeRequest(ChangeField.PHONE, "13902714466"),
    )
    assert block_changes(f"收货人：周明远 地址：{STREET} 电话不变") == (
        ChangeRequest(ChangeField.RECEIVER, "周明远"),
    )
    assert block_changes(STREET) == ()


def test_a_receiver_is_a_name_without_digits():
    assert check_value(ChangeField.RECEIVER, "改成王思雨", None).value == "王思雨"
    rejected = check_value(ChangeField.RECEIVER, "王思雨123", None).rejected
    assert rejected is not None
    assert rejected.problem == ValueProblem.INVALID_RECEIVER
    assert read_change("收货人改成王思雨") == ChangeRequest(ChangeField.RECEIVER, "王思雨")
