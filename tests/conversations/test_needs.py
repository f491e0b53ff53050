"""A second need in the same message is found, beside the one its intent serves."""

from conversations.needs import Need, needs_in, other_needs


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
