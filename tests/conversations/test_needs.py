"""A second need in the same message is found, beside the one its intent serves."""

import pytest

from conversations.needs import (
    Need,
    NeedTold,
    further_questions,
    need_told,
    needs_in,
    other_needs,
    parts_apart,
)


def test_needs_are_found_once_each_in_the_order_they_are_named():
    assert needs_in("发票开了吗 还有物流到哪了 发票要公司抬头") == [Need.INVOICE, Need.TRACKING]


def test_a_tracking_question_that_also_asks_for_the_invoice_leaves_the_invoice():
    assert other_needs("物流到哪了 发票开了吗", "track_order") == [Need.INVOICE]


def test_a_faq_message_is_about_its_first_faq_need_and_leaves_the_parcel():
    assert other_needs("发票开了吗 还有物流到哪了", "faq") == [Need.TRACKING]


def test_a_policy_question_with_a_parcel_question_leaves_the_parcel():
    assert other_needs("运费多少 还有物流到哪了", "faq") == [Need.TRACKING]


def test_small_talk_serves_no_need_so_every_named_need_is_left():
    assert other_needs("谢谢 发票开了吗", "thank") == [Need.INVOICE]


def test_a_late_parcel_and_where_it_is_are_one_need():
    assert needs_in("发票开了吗 快递怎么还没到 到哪了") == [Need.INVOICE, Need.DELAY]
    assert other_needs("快递怎么还没到 到哪了", "report_delivery_delay") == []
    assert other_needs("到哪了 怎么还没到", "track_order") == []


def test_a_message_with_one_need_leaves_nothing():
    assert other_needs("你好 在吗 我的快递到哪了", "track_order") == []
    assert other_needs("", "greet") == []


def test_a_need_inside_the_one_question_is_that_question():
    assert other_needs("你们家电保修多久", "faq") == []
    assert other_needs("开普通发票 西安禾木商贸有限公司", "inform") == []


def test_when_an_unshipped_order_ships_is_one_need_with_its_order_number_before_it():
    # trial 19, T608: 还没发货? was offered again as a question of its own after the answer
    words = "6260181590830166 尾号6384 还没发货?啥时候发"
    for intent in ("track_order", "report_delivery_delay", "inform"):
        assert other_needs(words, intent) == []
        assert further_questions(words, intent) == []


def test_when_it_ships_is_asked_in_several_ways_but_never_of_the_invoice_or_a_photo():
    assert needs_in("几号能发出") == [Need.TRACKING]
    assert needs_in("咋还不发货") == [Need.DELAY]
    assert needs_in("啥时候发票能开") == [Need.INVOICE]
    assert needs_in("什么时候发给你照片") == []


def test_whether_it_can_go_back_is_the_return_never_a_refund_or_a_price_difference():
    assert needs_in("我就试了一下 能退吗") == [Need.RETURN]
    assert needs_in("这个能退不") == [Need.RETURN]
    assert needs_in("能退差价吗") == [Need.PRICE_PROTECTION]
    assert needs_in("退款能退到卡上吗") == [Need.REFUND]


def test_a_message_is_parted_where_a_further_question_starts():
    assert _texts_apart("猪肉脯少了一包 只收到一包 还有那个绘本现在领券26 能退差价不") == [
        "猪肉脯少了一包 只收到一包",
        "那个绘本现在领券26 能退差价不",
    ]
    assert _texts_apart("快递到哪了 都三天了 帮我查查") == ["快递到哪了 都三天了 帮我查查"]
    assert _texts_apart("发票开了吗 还有物流到哪了 另外能开专票吗") == [
        "发票开了吗",
        "物流到哪了",
        "能开专票吗",
    ]


def test_money_not_seen_is_the_refund_asked_for():
    # trial 21, T683: 之前退的肉脯钱也没看到 went unread beside the dress's late parcel
    assert need_told("之前退的肉脯钱也没看到 帮我看下") == NeedTold(need=Need.REFUND)


def test_a_clause_asking_only_for_help_is_no_question_of_its_own():
    # trial 21, T683: 「帮我看下」 was offered as a question with a button of its own
    assert further_questions("你好 麻烦帮我看下", "greet") == []
    assert further_questions("裙子四天没动了 还有 帮我查查吧", "report_delivery_delay") == []
    assert further_questions("退货 另外帮我看看这个有没有白色", "request_return_exchange") == [
        "帮我看看这个有没有白色"
    ]


def test_whether_it_arrives_in_time_asks_for_the_parcel_never_the_money():
    assert need_told("周六要穿去喝喜酒的 能到吗") == NeedTold(need=Need.TRACKING)
    assert need_told("后天之前到得了吗") == NeedTold(need=Need.TRACKING)
    assert Need.TRACKING not in needs_in("退款今天能到账吗")
    assert Need.TRACKING not in needs_in("一般几天到支付宝")


def test_a_clause_telling_another_need_starts_a_part_of_its_own():
    # trial 22, T731: no 还有 between the dress's stall and the jerky's refund
    assert _texts_apart(
        "哎呀我那个裙子四天了物流一动不动 猪肉脯退款说退了也没看到 你们怎么回事啊"
    ) == [
        "哎呀我那个裙子四天了物流一动不动",
        "猪肉脯退款说退了也没看到 你们怎么回事啊",
    ]
    assert _texts_apart("猪肉脯少了一包 只收到一包") == ["猪肉脯少了一包 只收到一包"]


def _texts_apart(text: str) -> list[str]:
    return [part.text for part in parts_apart(text)]


def test_each_part_carries_the_need_it_tells():
    dress, jerky = parts_apart("哎呀我那个裙子四天了物流一动不动 猪肉脯退款说退了也没看到")
    assert dress.told is not None
    assert dress.told.problem is not None
    assert jerky.told == NeedTold(need=Need.REFUND)


def test_when_goods_out_of_stock_arrive_is_the_stock_answers_not_a_parcel_to_track():
    # trial 27, T922 t3: 啊没货 啥时候到 offered 查物流 beside the restock date
    assert other_needs("啊没货 啥时候到", "ask_stock") == []
    # a parcel asked after beside the stock is still offered
    assert other_needs("这个有货吗 另外我上次买的那单到哪了", "ask_stock") == [Need.TRACKING]


@pytest.mark.parametrize("text", ["还有我的靴子也超时了", "显示器承诺的时间早过了还在路上"])
def test_a_promised_time_passed_is_a_delay(text):
    # trial 28, T983 t4: 靴子也超时了 with its order number got two buttons
    assert needs_in(text) == [Need.DELAY]
