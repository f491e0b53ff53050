"""A remark beside a new value about the other details kept, or a courtesy, is no part of the
value (trial 8 T185: "收件人电话不变" was saved inside the address)."""

import pytest

from shop.modifications import ChangeField, ChangeRequest, block_changes, check_value, read_change
from shop.pasted_details import read_pasted_details, without_remarks

ADDRESS = "湖北省武汉市洪山区珞喻路1037号光谷广场写字楼12层"


@pytest.mark.parametrize(
    "remark",
    [
        "收件人电话不变",
        "名字和电话都不用改",
        "其他不变",
        "其余信息保持不变 谢谢",
        "收货人不变，麻烦了",
        "手机号还是原来的",
    ],
)
def test_an_address_with_a_remark_is_the_address_alone(remark):
    text = f"改成 {ADDRESS} {remark}"
    assert read_change(text) == read_change(f"改成 {ADDRESS}")
    assert read_change(text).value == ADDRESS
    assert check_value(ChangeField.ADDRESS, text, None).value == ADDRESS


def test_a_remark_after_a_comma_is_left_out_too():
    assert check_value(ChangeField.ADDRESS, f"新地址：{ADDRESS}，电话不变哈", None).value == ADDRESS


def test_a_value_without_a_remark_is_kept_as_it_is():
    assert without_remarks("北京市朝阳区建国路88号SOHO现代城A座1203") == (
        "北京市朝阳区建国路88号SOHO现代城A座1203"
    )


def test_a_labelled_part_that_is_only_a_remark_changes_nothing():
    text = f"地址：{ADDRESS}，名字和电话都不用改"
    block = read_pasted_details(text)
    assert block is not None
    assert block.address == ADDRESS
    assert block.receiver is None
    assert block_changes(text) == ()


def test_a_block_address_followed_by_other_things_kept_is_the_address():
    block = read_pasted_details(f"收货人：蒋思远 地址：{ADDRESS} 其他不变 电话不变")
    assert block is not None
    assert block.address == ADDRESS
    assert block.phone_kept


def test_a_receiver_named_after_the_address_is_no_part_of_it():
    """Trial 9 T225: "…B座1608 收件人还是王建国" was said back and saved as the address."""
    text = "改成北京市朝阳区建国路93号万达广场B座1608 收件人还是王建国"
    assert (
        check_value(ChangeField.ADDRESS, text, None).value
        == "北京市朝阳区建国路93号万达广场B座1608"
    )
    assert read_change(text).value == "北京市朝阳区建国路93号万达广场B座1608"
    assert block_changes(text) == (ChangeRequest(ChangeField.RECEIVER, "王建国"),)


def test_another_receiver_named_after_the_address_is_a_change_beside_it():
    text = "改成广州市天河区体育西路1号2单元302 收件人王芳"
    assert read_change(text).value == "广州市天河区体育西路1号2单元302"
    assert block_changes(text) == (ChangeRequest(ChangeField.RECEIVER, "王芳"),)


def test_an_address_keeps_its_capital_letters():
    assert check_value(ChangeField.ADDRESS, "改成上海市徐汇区漕溪北路88号C座12楼", None).value == (
        "上海市徐汇区漕溪北路88号C座12楼"
    )


@pytest.mark.parametrize(
    "text",
    ["帮我改个地址 上海市浦东新区世纪大道100号", "麻烦改一下收货地址：上海市浦东新区世纪大道100号"],
)
def test_the_request_said_before_an_address_is_not_stored_in_it(text):
    assert check_value(ChangeField.ADDRESS, text, None).value == "上海市浦东新区世纪大道100号"


@pytest.mark.parametrize("who", ["我", "我自己", "本人"])
def test_a_receiver_said_as_a_pronoun_stays_who_it_is(who):
    """Trial 10 T264: "收货人还是我" saved 「我」 as the receiver."""
    text = f"改成成都市武侯区天府大道北段1700号环球中心E2区1805 收货人还是{who}"
    assert read_change(text).value == "成都市武侯区天府大道北段1700号环球中心E2区1805"
    assert block_changes(text) == ()
