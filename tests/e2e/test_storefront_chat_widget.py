"""The storefront chat widget in a phone-sized headless Chromium."""

import re

import httpx
import pytest

from core.settings import PROJECT_ROOT, get_settings

PHONE = {"width": 390, "height": 844}
AGENT_TOKEN = "test-agent-token"  # tests/staff.py
SLOW_START = """() => {
  const fetch = window.fetch;
  window.conversationsStarted = 0;
  window.fetch = async (url, options) => {
    if (url === "/api/chat") {
      window.conversationsStarted += 1;
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    return fetch(url, options);
  };
}"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/")
    yield page
    context.close()


def _conversation_id(page) -> str:
    return page.evaluate("localStorage.getItem('kefu-conversation-id')")


def test_a_shopper_chats_with_the_bot_and_clicks_a_button_for_a_human(page, live_server):
    page.click("#chat-open")
    page.wait_for_selector(".msg.bot")  # the welcome line
    page.fill("#chat-input", "你好 在吗")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=收到：你好 在吗")
    assert page.locator(".msg.shopper .bubble").first.inner_text() == "你好 在吗"

    page.locator(".buttons button", has_text="转人工客服").last.click()
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    assert page.locator(".msg.shopper .bubble").last.inner_text() == "转人工客服"
    (PROJECT_ROOT / "results").mkdir(exist_ok=True)
    page.screenshot(path=str(PROJECT_ROOT / "results" / "storefront-chat-phone.png"))


def test_agent_replies_are_pushed_even_after_a_network_drop(page, live_server):
    page.click("#chat-open")
    page.fill("#chat-input", "转人工")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    conversation_id = _conversation_id(page)
    agent_url = f"{live_server}/api/agent/conversations/{conversation_id}/messages"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}

    httpx.post(agent_url, json={"text": "您好，我是客服小美"}, headers=headers).raise_for_status()
    page.wait_for_selector("text=您好，我是客服小美", timeout=5000)

    page.context.set_offline(True)
    page.wait_for_selector("#chat-offline:not([hidden])", timeout=10000)
    httpx.post(agent_url, json={"text": "已经帮您催件了"}, headers=headers).raise_for_status()
    page.context.set_offline(False)
    page.wait_for_selector("text=已经帮您催件了", timeout=15000)
    ids = page.eval_on_selector_all(".msg[data-id]", "els => els.map(e => e.dataset.id)")
    real = [i for i in ids if i != "0"]
    assert len(real) == len(set(real)), "a message was shown twice"


def test_the_header_says_who_answers_and_waiting_messages_are_acknowledged(page, live_server):
    page.click("#chat-open")
    status = page.locator("#chat-status")
    assert status.inner_text() == "机器人助手"
    page.fill("#chat-input", "转人工")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    page.wait_for_function(
        "() => document.getElementById('chat-status').dataset.handledBy === 'human'"
    )
    assert status.inner_text() == "人工客服 · 排队中"
    assert "人工客服" in page.locator(".msg.system .bubble").last.inner_text()  # the wait

    notices = page.locator(".msg.system .bubble").count()
    page.fill("#chat-input", "在吗 还要等多久")
    page.press("#chat-input", "Enter")
    page.wait_for_function(  # acknowledged, not dropped: the wait said again
        f"() => document.querySelectorAll('.msg.system .bubble').length > {notices}"
    )
    assert "人工" in page.locator(".msg.system .bubble").last.inner_text()

    conversation_id = _conversation_id(page)
    url = f"{live_server}/api/agent/conversations/{conversation_id}"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    httpx.post(f"{url}/messages", json={"text": "您好，我来帮您看"}, headers=headers)
    page.wait_for_function(
        "() => document.getElementById('chat-status').textContent === '人工客服 · 客服小美'",
        timeout=5000,
    )
    httpx.post(f"{url}/hand-back", headers=headers).raise_for_status()
    page.wait_for_function(
        "() => document.getElementById('chat-status').textContent === '机器人助手'", timeout=5000
    )


def _chat(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_selector(f"text=收到：{text}")


def test_the_widget_keeps_the_issued_id_and_its_secret_stays_out_of_the_pages_reach(
    page, live_server
):
    page.click("#chat-open")
    _chat(page, "你好")
    conversation_id = _conversation_id(page)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", conversation_id)  # issued by the server
    assert "kefu_chat_secret" not in page.evaluate("document.cookie")  # HttpOnly
    [cookie] = [c for c in page.context.cookies() if c["name"] == "kefu_chat_secret"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (
        True,
        "Strict",
        "/api/chat/",
    )
    assert cookie["value"] not in page.evaluate("JSON.stringify(localStorage)")

    page.reload()  # the same conversation, its transcript caught up
    page.click("#chat-open")
    page.wait_for_selector("text=收到：你好")
    assert _conversation_id(page) == conversation_id


@pytest.mark.parametrize("kept", ["none", "made-up id"])
def test_a_message_sent_while_the_widget_is_still_starting_reaches_one_conversation(
    page, live_server, kept
):
    if kept == "made-up id":
        page.evaluate("localStorage.setItem('kefu-conversation-id', 'demo-1')")
        page.reload()
    page.evaluate(SLOW_START)  # a slow server: the shopper types before the conversation exists
    page.click("#chat-open")
    page.fill("#chat-input", "你好")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=收到：你好")
    assert page.evaluate("window.conversationsStarted") == 1, "two conversations were started"
    assert page.input_value("#chat-input") == ""
    assert page.locator("#chat-offline").is_hidden()


@pytest.mark.parametrize("lost", ["cookie cleared", "made-up id"])
def test_a_widget_whose_conversation_is_refused_starts_a_new_one(page, live_server, lost):
    page.click("#chat-open")
    _chat(page, "你好")
    before = _conversation_id(page)
    if lost == "cookie cleared":
        page.context.clear_cookies()
    else:
        before = "demo-1"  # e.g. kept by the widget before the server issued conversations
        page.evaluate("localStorage.setItem('kefu-conversation-id', 'demo-1')")
    page.reload()
    page.click("#chat-open")
    page.wait_for_function(f"() => localStorage.getItem('kefu-conversation-id') !== '{before}'")
    _chat(page, "在吗")  # the new conversation answers, and its stream is open
    assert page.locator("text=收到：你好").count() == 0  # the other transcript is not shown
    assert page.locator("#chat-offline").is_hidden()


def test_a_shopper_who_sends_too_fast_is_asked_to_wait_and_keeps_the_text(
    page, live_server, monkeypatch
):
    monkeypatch.setattr(get_settings(), "chat_message_rate_limit", "2/minute")
    page.click("#chat-open")
    page.wait_for_selector(".msg.bot")
    for text in ("第一句", "第二句"):
        page.fill("#chat-input", text)
        page.press("#chat-input", "Enter")
        page.wait_for_selector(f"text=收到：{text}")
    page.fill("#chat-input", "第三句")
    page.press("#chat-input", "Enter")

    page.wait_for_selector("#chat-slow:not([hidden])")
    assert "请稍等" in page.locator("#chat-slow").inner_text()
    assert page.input_value("#chat-input") == "第三句"  # nothing the shopper wrote is lost
    assert page.locator("#chat-offline").is_hidden()


def test_a_stream_refused_once_opens_again_and_agent_replies_still_arrive(page, live_server):
    refused = []

    def events(route):
        if refused:
            route.continue_()
            return
        refused.append(route.request.url)  # as while the database restarts: EventSource gives up
        route.fulfill(status=503, headers={"Retry-After": "5"}, json={"detail": "稍后重试"})

    page.route("**/events*", events)
    page.click("#chat-open")
    page.fill("#chat-input", "转人工")
    page.press("#chat-input", "Enter")
    page.wait_for_selector("text=好的，马上为您转接人工客服。")
    agent_url = f"{live_server}/api/agent/conversations/{_conversation_id(page)}/messages"
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}

    httpx.post(agent_url, json={"text": "您好，我是客服小美"}, headers=headers).raise_for_status()
    page.wait_for_selector("text=您好，我是客服小美", timeout=10000)
    assert refused
    page.wait_for_selector("#chat-offline", state="hidden")
