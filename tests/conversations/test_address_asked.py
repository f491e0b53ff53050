"""Asking to be told the address (地址发我, 算了 地址再发我一遍) is a request for where a return
goes, never a change of the delivery address or a goodbye; 改地址 and 地址改成… stay changes
(trial 10, T262.5 and T271.5)."""

import pytest

from conversations.reading import asks_for_the_address


@pytest.mark.parametrize(
    "text",
    [
        "行 那就退吧 地址发我",
        "算了 地址再发我一遍 单号填哪",
        "退货地址给我一下",
        "把地址发给我吧",
        "发我个地址 我今天寄",
        "寄回哪里啊",
        "你们售后地址是啥",
    ],
)
def test_a_request_to_be_told_the_address_is_read(text):
    assert asks_for_the_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "地址改成杭州市西湖区文三路100号",
        "我要改地址",
        "地址写错了",
        "地址我发你了",
        "我把新地址发给你",
        "我的地址发我看下对不对",
        "收货地址是什么来着",
        "你们从哪发货",
        "快递寄到哪了",
        "算了 不用了",
    ],
)
def test_a_change_or_a_check_of_the_orders_own_address_is_not(text):
    assert not asks_for_the_address(text)
