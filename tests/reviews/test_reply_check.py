"""The reply checker: what it flags in a public reply (回评) and in an agent's private text, and
what it must leave alone."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reviews.reply_check import (
    RULES_FILE,
    PersonalDataType,
    ReplyRulesError,
    Violation,
    ViolationKind,
    check_private_text,
    check_reply,
    load_reply_rules,
    normalise,
    personal_data_type,
    reply_checker,
)

ABSOLUTE = ViolationKind.ABSOLUTE_CLAIM
INDUCEMENT = ViolationKind.INDUCEMENT
BLAME = ViolationKind.BLAME
PERSONAL = ViolationKind.PERSONAL_DATA

# Polite replies as a good agent writes them: none may be flagged.
CLEAN_REPLIES = (
    "亲，非常抱歉这次的快递耽误了您的时间，我们已经联系快递公司核查，客服会第一时间与您联系处理，"
    "欢迎随时咨询在线客服。",
    "您好，看到您反馈收到的杯子有破损，真的很抱歉。我们已加固了包装，破损的商品可以直接申请补发或"
    "退款，不需要寄回，给您添麻烦了。",
    "亲，关于尺码偏小的问题非常抱歉，详情页的尺码表我们已经重新核对并更新，您可以在订单页申请换大"
    "一码，来回运费由我们承担。",
    "感谢您的反馈！衣服洗后掉色确实影响穿着，建议首次洗涤时用冷水单独手洗，如果问题仍然存在，请联系"
    "在线客服为您办理退换。",
    "非常抱歉让您久等了。双十一期间订单量大，仓库发货比平时慢了两天，我们正在增加人手，后续订单会在"
    "48小时内发出。",
    "亲，客服回复慢是我们的问题，已经对当班同事进行了培训，以后会更及时地回复您。这次的事情我们会尽"
    "最大努力帮您处理好。",
    "您好，收到的商品与图片颜色有差异，可能是拍摄光线和屏幕显示的原因，我们会在详情页补充实物图。"
    "如果不满意，7天内可以无理由退货。",
    "抱歉这款面霜让您的皮肤出现不适，请先停止使用。我们的客服会联系您了解具体情况，并为您办理退款，"
    "祝您早日恢复。",
    "亲，水果在运输途中有部分磕碰，真的很抱歉。您可以拍照联系客服，坏果部分我们按比例退款，最后祝您"
    "生活愉快！",
    "谢谢您指出说明书的问题，中文说明确实写得不够清楚，我们已经在整理新版说明书和安装视频，有任何疑问"
    "都可以随时问我们。",
    "非常抱歉，这次漏发了配件，已经为您安排补发，物流单号会通过站内信发给您，给您带来不便，敬请谅解。",
    "亲，最近天气原因部分地区快递延误，我们会持续跟进物流的最新进展，有任何消息会及时告诉您。",
    "您反馈的异味问题我们很重视，新家具开箱后通风3到5天气味会明显减轻，如仍有明显异味，可以联系我们"
    "退换，运费我们来出。",
    "感谢您的购买和真实评价，电池续航没有达到您的预期，我们已将意见转给产品团队。如需帮助，售后客服"
    "每天9点到21点在线。",
    "抱歉给您带来了不好的购物体验，退款已经原路退回，预计1-3个工作日到账，我们会最大程度避免类似问题"
    "再次发生。",
    "开封后最好在3天内食用完，口感会更好；这次的包装漏气是我们的失误，已为您补发一份。",
    "这是我们自己的问题，不是您的问题：仓库操作不当贴错了标签，已为您补发正确的颜色。",
)


def found(text: str, kind: ViolationKind | None = None) -> list[str]:
    """The offending texts of a reply's violations (of `kind`), checking every offset."""
    violations = check_reply(text, "taobao")
    for v in violations:
        if v.kind not in (ViolationKind.TOO_LONG, ViolationKind.EMPTY):
            assert text[v.start : v.end] == v.found
    return [v.found for v in violations if kind is None or v.kind == kind]


@pytest.mark.parametrize("reply", CLEAN_REPLIES)
def test_a_polite_realistic_reply_is_not_flagged(reply: str) -> None:
    assert check_reply(reply, "taobao") == []
    assert check_private_text(reply) == []


# --- absolute claims ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("我们家的面料是最好的。", "最好"),
        ("这是最佳选择", "最佳"),
        ("全网最低价，放心购买", "全网最低价"),  # 全网最低 and 最低价 overlap: one finding
        ("本店销量第一", "销量第一"),
        ("国家级品质", "国家级"),
        ("世界级工艺", "世界级"),
        ("顶级原料", "顶级"),
        ("极品好茶", "极品"),
        ("唯一指定供应商", "唯一"),
        ("国内首个通过认证", "首个"),
        ("100%正品", "100%"),
        ("百分之百满意", "百分之百"),
        ("百分百正品", "百分百"),
        ("绝对不会褪色", "绝对"),
        ("永久保修", "永久"),
        ("万能清洁剂", "万能"),
        ("祖传秘方", "祖传"),
        ("特效去痘", "特效"),
        ("这款最适合您", "最"),
        ("品质No.1的店铺", "No.1"),
        ("品质NO.1", "NO.1"),
        ("销量TOP1", "TOP1"),
        ("销量Top 1", "Top 1"),
        ("技术全球领先", "全球领先"),
        ("做到行业第一", "行业第一"),
        ("购买零风险", "零风险"),
        ("质量万无一失", "万无一失"),
        ("史无前例的优惠", "史无前例"),
        ("最多人选择的款式", "最"),  # 最多 before no number is a claim
    ],
)
def test_an_absolute_claim_in_a_reply_is_flagged(text: str, word: str) -> None:
    assert found(text, ABSOLUTE) == [word]


@pytest.mark.parametrize(
    "text",
    [
        "客服会第一时间联系您",
        "最后祝您生活愉快",
        "最近快递比较慢",
        "我们会尽最大努力为您解决",
        "会最大程度减少您的损失",
        "最晚明天发出",
        "这是您第一次在本店购买",
        "我们始终坚持顾客第一",
        "开封后最好在3天内喝完",
        "请在最佳赏味期内食用",
        "面料是100%棉的",
        "这是国家级非物质文化遗产技艺",
        "最新到货的批次已经检查过",
        "最起码要给您一个说法",
        "最多三天就能到",
        "退款最多2个工作日到账",
        "我们领先一步备好了货",  # 领先 alone is no claim
        "货号No.1023的那款",
        "为了避免误会，我们把说明写得更清楚了",
        "给您造成误会非常抱歉",
        "让您误会了，是我们没写清楚",
    ],
)
def test_a_harmless_service_phrase_covering_an_absolute_word_is_not_flagged(text: str) -> None:
    assert found(text) == []


def test_an_exception_cancels_only_the_match_it_covers() -> None:
    text = "客服会第一时间处理，品质第一"
    assert found(text, ABSOLUTE) == ["第一"]
    (v,) = check_reply(text)
    assert v.start == text.rindex("第一")


@pytest.mark.parametrize("kind", [ABSOLUTE, INDUCEMENT, BLAME], ids=lambda k: k.value)
def test_every_exception_in_the_rules_cancels_the_banned_words_it_covers(
    kind: ViolationKind,
) -> None:
    words = load_reply_rules().word_lists()[kind]
    assert words.exceptions, f"{kind} has no exceptions to test"
    for exception in words.exceptions:
        assert found(exception, kind) == [], exception
        # and the banned word inside it, alone, is flagged
        banned = next(b for b in words.banned if b in exception)
        assert found(banned, kind) == [banned], banned


def test_every_banned_word_alone_is_flagged() -> None:
    for kind, words in load_reply_rules().word_lists().items():
        for word in words.banned:
            assert word in found(word, kind), (kind, word)


# --- inducement --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("好评返现5元", "好评返现"),
        ("确认收货后返现10元", "返现"),
        ("晒图返现金红包", "晒图返现金红包"),  # 晒图返, 返现 and 晒图 … 红包: one finding
        ("给个五星好评吧", "给个五星好评"),
        ("麻烦给个好评", "给个好评"),
        ("追评返5元", "追评返"),
        ("麻烦您改成好评", "改成好评"),
        ("麻烦您修改评价，我们给您补偿", "修改评价"),
        ("能删评吗", "删评"),
        ("请您删除评价", "删除评价"),
        ("撤销差评后退款", "撤销差评后退款"),
    ],
)
def test_a_review_inducement_in_a_reply_is_flagged(text: str, word: str) -> None:
    assert found(text, INDUCEMENT) == [word]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a review word near a reward, either way round
        ("评价后联系客服领红包", "评价后联系客服领红包"),
        ("追加评价返5元", "追加评价返"),
        ("晒图有奖", "晒图有奖"),
        ("带图评价送小礼品", "带图评价送小礼品"),
        ("给好评就退款", "好评就退款"),
        ("好评即可领取优惠券", "好评即可领取优惠券"),
        ("好评的话返5元", "好评的话返"),
        ("返现求好评", "返现求好评"),
        # asking for stars
        ("给个五星", "给个五星"),
        ("麻烦给个5星", "给个5星"),
        # a review word near a change asked for
        ("帮忙改一下评价", "改一下评价"),
        ("把差评删掉", "差评删掉"),
        ("差评可以撤销吗", "差评可以撤销"),
        ("补偿的话希望您能重新评价", "重新评价"),
        ("麻烦修改一下您的评价", "修改一下您的评价"),
        # spaces or punctuation put inside the words
        ("好 评 返 现", "好 评 返 现"),
        ("好，评，返，现", "好，评，返，现"),
        ("亲，好评-返-现哦", "好评-返-现"),
    ],
)
def test_an_inducement_in_a_private_text_is_flagged(text: str, word: str) -> None:
    (v,) = check_private_text(text)
    assert (v.kind, v.found, text[v.start : v.end]) == (INDUCEMENT, word, word)


@pytest.mark.parametrize(
    "text",
    [
        "感谢您的评价",
        "您的评价我们认真看了",
        "针对您评价中提到的问题，我们已经安排补发",
        "补偿与评价无关，无需修改评价",
        "我们会根据您的评价改进",
        "根据您的评价修改了详情页的尺码表",
        "感谢您的评价，退款已原路退回",
        "您评价中提到的退款问题已经处理",
        "您评价里说送货慢，我们已更换快递",
        "您的评价我们已转给领导",
        "感谢您的评价和夸奖",
        "感谢您的好评，送货速度我们会继续保持",  # a clause's end between them
        "本店不会要求您修改或删除评价",
    ],
)
def test_service_text_about_a_review_is_not_inducement(text: str) -> None:
    assert check_private_text(text) == []
    assert found(text) == []


def test_words_meeting_across_a_space_or_a_clause_end_are_not_one_word() -> None:
    assert found("配送管理混乱 说重了是我们的疏忽") == []  # not 乱说
    assert found("他用得上不？可能用得上") == []  # not 不可能
    assert found("亲，这是不 可 能 的", BLAME) == ["不 可 能"]  # spaced out: still the word


def test_an_exception_does_not_reach_across_a_clause_end() -> None:
    assert found("这款面料最好，在同类中很少见", ABSOLUTE) == ["最好"]  # no 最好在 tip


def test_saying_the_remedy_needs_no_change_of_review_is_not_inducement() -> None:
    assert check_private_text("补偿与评价无关，您无需修改评价。") == []
    assert check_private_text("我们不会要求您修改评价。") == []


def test_asking_to_change_a_review_in_a_private_text_is_inducement() -> None:
    text = "已经给您退了20元，麻烦您修改评价哦"
    (v,) = check_private_text(text)
    assert (v.kind, v.found, text[v.start : v.end]) == (INDUCEMENT, "修改评价", "修改评价")


# --- blame -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("是您自己没有看清楚", "您自己"),
        ("这是你自己的问题", "你自己的问题"),
        ("属于使用不当造成的损坏", "使用不当"),
        ("属于操作不当", "操作不当"),
        ("这是恶意差评", "恶意差评"),
        ("职业差评师请绕道", "职业差评师"),
        ("请不要胡说", "胡说"),
        ("不要乱说", "乱说"),
        ("这不可能", "不可能"),
        ("我们没有错", "我们没有错"),
        ("请不要诬陷我们", "诬陷"),
        ("不要乱评", "不要乱评"),
        ("是您误会了", "您误会"),
        ("这中间可能有误会", "误会"),
        ("您看错了，是蓝色的", "您看错"),
        ("您没看清楚说明", "您没看清"),
    ],
)
def test_blaming_the_customer_in_a_reply_is_flagged(text: str, word: str) -> None:
    assert found(text, BLAME) == [word]


def test_the_shop_taking_the_blame_is_not_blame() -> None:
    assert found("是我们自己的问题，也是我们操作不当") == []
    assert found("这不是您的问题，请放心") == []


def test_blaming_the_customer_in_a_private_text_is_flagged() -> None:
    assert [v.kind for v in check_private_text("这是你自己的问题")] == [BLAME]


# --- personal data -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "data", "kind"),
    [
        ("您的手机13812345678已登记", "13812345678", PersonalDataType.PHONE),
        ("电话138-1234-5678", "138-1234-5678", PersonalDataType.PHONE),
        ("电话 138 1234 5678 ", "138 1234 5678", PersonalDataType.PHONE),
        ("座机0571-88886666", "0571-88886666", PersonalDataType.PHONE),
        ("手机尾号5678的顾客", "尾号5678", PersonalDataType.PHONE),
        ("身份证11010519491231002X", "11010519491231002X", PersonalDataType.ID_CARD),
        ("证件110105********002X已核对", "110105********002X", PersonalDataType.ID_CARD),
        ("邮箱 zhang.san@example.com", "zhang.san@example.com", PersonalDataType.EMAIL),
        ("加QQ：12345678", "QQ：12345678", PersonalDataType.IM_ACCOUNT),
        ("微信号是 wang_xiaomei", "微信号是 wang_xiaomei", PersonalDataType.IM_ACCOUNT),
        ("订单号：20231111", "订单号：20231111", PersonalDataType.ORDER_NUMBER),
        ("编号2345678901234567的订单", "2345678901234567", PersonalDataType.ORDER_NUMBER),
        ("王女士您好", "王女士", PersonalDataType.NAME),
        ("李明先生您好", "李明先生", PersonalDataType.NAME),
        ("感谢欧阳先生", "欧阳先生", PersonalDataType.NAME),
        ("收件人：张伟，已签收", "收件人：张伟", PersonalDataType.NAME),
        (
            "寄到浙江省杭州市西湖区文三路478号3栋2单元501室",
            "浙江省杭州市西湖区文三路478号3栋2单元501室",
            PersonalDataType.ADDRESS,
        ),
        ("阳光小区5栋1单元302", "阳光小区5栋1单元302", PersonalDataType.ADDRESS),
        ("送到1号楼502室", "1号楼502室", PersonalDataType.ADDRESS),
        ("座机(010)12345678", "(010)12345678", PersonalDataType.PHONE),
        ("座机（010）12345678", "（010）12345678", PersonalDataType.PHONE),
        ("座机010 12345678", "010 12345678", PersonalDataType.PHONE),
        ("座机010-12345678", "010-12345678", PersonalDataType.PHONE),
        ("手机+86 138 1234 5678", "+86 138 1234 5678", PersonalDataType.PHONE),
        ("电话一三八一二三四五六七八", "一三八一二三四五六七八", PersonalDataType.PHONE),
        ("李明明先生您好", "李明明先生", PersonalDataType.NAME),
        ("王先生您好", "王先生", PersonalDataType.NAME),
        ("欧阳娜娜女士", "欧阳娜娜女士", PersonalDataType.NAME),
        ("收件人：欧阳娜娜", "收件人：欧阳娜娜", PersonalDataType.NAME),
        ("已联系快递员张伟", "快递员张伟", PersonalDataType.NAME),
        ("客服王芳会联系您", "客服王芳", PersonalDataType.NAME),
        ("我叫张小花", "我叫张小花", PersonalDataType.NAME),
        ("送到幸福小区三栋二单元501", "幸福小区三栋二单元501", PersonalDataType.ADDRESS),
        ("朝阳区建国路八十八号", "朝阳区建国路八十八号", PersonalDataType.ADDRESS),
        ("寄往杭州市西湖区文三路", "杭州市西湖区文三路", PersonalDataType.ADDRESS),
        (
            "上海市浦东新区张杨路1280弄15号1203室",
            "上海市浦东新区张杨路1280弄15号1203室",
            PersonalDataType.ADDRESS,
        ),
        (
            "寄到湖北省武汉市洪山区珞喻路726号保利华都4栋2单元502室",  # one address, not two parts
            "湖北省武汉市洪山区珞喻路726号保利华都4栋2单元502室",
            PersonalDataType.ADDRESS,
        ),
    ],
)
def test_personal_data_in_a_reply_is_flagged(text: str, data: str, kind: PersonalDataType) -> None:
    assert found(text, PERSONAL) == [data]
    assert personal_data_type(data) == kind


def test_a_masked_phone_in_a_reply_is_personal_data() -> None:
    assert found("已联系您138****5678的手机", PERSONAL) == ["138****5678"]


@pytest.mark.parametrize(
    "text",
    [
        "这位先生您好",
        "感谢您和先生的支持",
        "我们3号发货，5号前送到",
        "退款58元已原路退回，预计1-3个工作日到账",
        "48小时内发出",
        "请联系收货人确认",
        "微信支付的订单也可以退",
        "订单已发货",
        "客服会联系您",
        "客服马上会联系您",
        "三天内发出",
        "二次包装后发出",
        "第三方检测报告",
        "感谢这位先生的建议",
        "谢谢老先生的支持",
        "我是店长，这件事我会跟进",
        "我是江苏的仓库发的货",
        "市区路况不好，配送慢了",
        "全市大街小巷都能送到",
        "快递在镇上街道的驿站",
    ],
)
def test_numbers_and_titles_that_identify_nobody_are_not_personal_data(text: str) -> None:
    assert found(text) == []


def test_personal_data_is_fine_in_a_private_text() -> None:
    assert check_private_text("王女士，已为您改到手机13812345678，订单号2345678901234567") == []


# --- normalisation and offsets -----------------------------------------------------------------


def test_full_width_characters_are_matched_as_half_width() -> None:
    assert found("１００％正品", ABSOLUTE) == ["１００％"]
    assert found("ＱＱ：１２３４５６７８", PERSONAL) == ["ＱＱ：１２３４５６７８"]
    assert found("电话１３８－１２３４－５６７８", PERSONAL) == ["１３８－１２３４－５６７８"]


def test_offsets_are_into_the_original_text_when_normalising_changes_its_length() -> None:
    text = "嗯……①号仓库说这款是最好的，好评返现"  # "…" and "①" normalise to "..." and "1"
    norm, origin = normalise(text)
    assert len(norm) != len(text)
    assert origin is not None
    assert len(origin) == len(norm)
    violations = check_reply(text)
    assert [(v.kind, v.found) for v in violations] == [(ABSOLUTE, "最好"), (INDUCEMENT, "好评返现")]
    for v in violations:
        assert text[v.start : v.end] == v.found


def test_a_character_expanded_by_normalising_maps_back_to_itself() -> None:
    text = "联系㈱电话13812345678"  # "㈱" normalises to "(株)"
    (v,) = check_reply(text)
    assert v.found == "13812345678"
    assert (v.start, v.end) == (text.index("138"), len(text))


def test_violations_are_ordered_by_start() -> None:
    text = "您自己看，好评返现，最好的，王女士"
    violations = check_reply(text)
    assert [v.kind for v in violations] == [BLAME, INDUCEMENT, ABSOLUTE, PERSONAL]
    assert [v.start for v in violations] == sorted(v.start for v in violations)


# --- length and emptiness ----------------------------------------------------------------------


def test_a_reply_over_the_platforms_limit_is_too_long() -> None:
    text = "抱" * 612
    (v,) = check_reply(text, "taobao")
    assert v == Violation(ViolationKind.TOO_LONG, 0, 0, text[500:], limit=500)
    assert check_reply("抱" * 500, "taobao") == []


def test_an_unknown_or_unnamed_platform_gets_the_default_limit() -> None:
    default = load_reply_rules().limits.default
    assert check_reply("抱" * default, "some-new-platform") == []
    assert [v.limit for v in check_reply("抱" * (default + 1))] == [default]


def test_a_platform_is_named_in_any_case() -> None:
    assert load_reply_rules().limit(" TMALL ") == load_reply_rules().limits.platforms["tmall"]


def test_length_is_not_checked_in_a_private_text() -> None:
    assert check_private_text("抱" * 2000) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\u3000\t"])
def test_a_blank_reply_is_empty(text: str) -> None:
    assert check_reply(text) == [Violation(ViolationKind.EMPTY, 0, 0, text)]


def test_a_private_text_checks_only_inducement_and_blame() -> None:
    text = "这是最好的面料，王女士电话13812345678"
    assert check_private_text(text) == []
    assert {v.kind for v in check_reply(text)} == {ABSOLUTE, PERSONAL}


# --- the rules file ----------------------------------------------------------------------------


def test_the_shipped_rules_load() -> None:
    rules = load_reply_rules()
    assert rules.limit("taobao") == 500
    assert all(words.banned for words in rules.word_lists().values())


def _rules_file(tmp_path: Path, replace: str, by: str) -> Path:
    text = RULES_FILE.read_text(encoding="utf-8")
    assert replace in text
    path = tmp_path / "reply_rules.yaml"
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "by", "says"),
    [
        ("limits:", "limit:", "limit"),  # an unknown key
        ("最多[0-9", "最多(0-9", "not a regular expression"),
        ("[返回, ", "[退回, ", "contain no partner word"),
        ("    - 胡说", "    - '!!'", "only punctuation"),
        ("    - TOP1", "    - NO 1", "repeats"),  # "NO 1" is "No.1" as matched
        ("  default: 500", "  default: 0", "default"),
        ("    taobao: 500", "    Taobao: 500", "Taobao"),
        ("    - 第一时间", "    - 第一时间\n    - 最好", "both banned and excepted"),
        ("    - 第一时间", "    - 准时发货", "cancel nothing"),
        ("    - 胡说", "    - 乱说", "repeats"),
        ("    - 胡说", "    - ''", "blame"),
    ],
)
def test_an_invalid_rules_file_is_an_error_naming_the_file(
    tmp_path: Path, replace: str, by: str, says: str
) -> None:
    path = _rules_file(tmp_path, replace, by)
    with pytest.raises(ReplyRulesError, match="invalid reply rules") as raised:
        load_reply_rules(path)
    assert str(path) in str(raised.value)
    assert says in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_missing_rules_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReplyRulesError, match=r"nothing\.yaml"):
        load_reply_rules(tmp_path / "nothing.yaml")


def test_a_full_width_word_in_the_rules_file_is_matched(tmp_path: Path) -> None:
    path = _rules_file(tmp_path, "    - 胡说", "    - 胡说\n    - ＯＫ吗")
    assert [v.found for v in reply_checker(path).check_private_text("这样ok吗")] == ["ok吗"]


# --- sharing ------------------------------------------------------------------------------


def test_the_checker_is_built_once_and_shared_by_threads() -> None:
    assert reply_checker() is reply_checker()
    texts = [*CLEAN_REPLIES, "好评返现，最好的，王女士"] * 20
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(check_reply, texts)) == [check_reply(t) for t in texts]
