"""Bot channels: a 200 with an error code in the body is a failure; DingTalk's and Feishu's
signed modes (checked here the way the bots check them, against the loopback receiver)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, unquote_plus, urlsplit

from alerts import channels
from alerts.delivery import Sender
from alerts.settings import AlertSettings
from tests.alerts.receiver import Receiver, Reply

WHSEC = "whsec_" + base64.b64encode(b"k" * 24).decode()
BOT = "SEC0123456789abcdef"
FEISHU_BODY = json.dumps({"msg_type": "post", "content": {"post": {}}})
DING_BODY = json.dumps({"msgtype": "markdown", "markdown": {"title": "t", "text": "x"}})


def sender() -> Sender:
    return Sender(AlertSettings(allow_list=["127.0.0.1/32"], retry_time_scale=0.001))


def test_body_verdicts() -> None:
    assert channels.body_error("feishu", '{"code":0,"msg":"success"}') is None
    assert channels.body_error("feishu", '{"code":19021,"msg":"sign match fail"}') == (
        "Feishu refused the message: code 19021 (sign match fail)")
    assert channels.body_error("dingtalk", '{"errcode":310000,"errmsg":"keywords not in '
                               'content"}') == ("DingTalk refused the message: errcode 310000 "
                                                "(keywords not in content)")
    assert channels.body_error("wecom", '{"errcode":0,"errmsg":"ok"}') is None
    assert channels.body_error("slack", "ok") is None and channels.body_error("generic", "") is None


def test_a_200_with_an_error_code_is_a_failed_attempt() -> None:
    rx = Receiver([WHSEC])
    try:
        rx.respond(Reply(body=b'{"errcode":310000,"errmsg":"sign not match"}'))
        out = sender().send(rx.url, "msg_1", DING_BODY, (WHSEC,), "dingtalk")
        assert not out.ok and out.status_code == 200
        assert out.error == "DingTalk refused the message: errcode 310000 (sign not match)"
        rx.respond(Reply(body=b'{"code":19021,"msg":"sign match fail or timestamp is not '
                              b'within one hour from current time"}'))
        assert not sender().send(rx.url, "msg_2", FEISHU_BODY, (WHSEC,), "feishu").ok
        rx.respond(Reply(body=b'{"errcode":0,"errmsg":"ok"}'))
        assert sender().send(rx.url, "msg_3", DING_BODY, (WHSEC,), "wecom").ok
    finally:
        rx.stop()


def test_dingtalk_signed_mode_puts_timestamp_and_sign_in_the_url() -> None:
    rx = Receiver([WHSEC])
    try:
        rx.respond(Reply(body=b'{"errcode":0,"errmsg":"ok"}'))
        assert sender().send(rx.url + "/robot/send?access_token=abc", "msg_d", DING_BODY,
                             (WHSEC,), "dingtalk", BOT).ok
        query = parse_qs(urlsplit(rx.requests[-1].path).query)
        ts = query["timestamp"][0]
        assert query["access_token"] == ["abc"] and len(ts) == 13  # milliseconds
        # what DingTalk computes: base64(HMAC-SHA256(secret, f"{ts}\n{secret}"))
        expected = base64.b64encode(hmac.new(BOT.encode(), f"{ts}\n{BOT}".encode(),
                                             hashlib.sha256).digest()).decode()
        assert unquote_plus(query["sign"][0]) == expected or query["sign"][0] == expected
        assert rx.requests[-1].verified  # the Standard Webhooks signature still holds
    finally:
        rx.stop()


def test_feishu_signed_mode_adds_timestamp_and_sign_to_the_body() -> None:
    rx = Receiver([WHSEC])
    try:
        rx.respond(Reply(body=b'{"code":0,"msg":"success"}'))
        assert sender().send(rx.url, "msg_f", FEISHU_BODY, (WHSEC,), "feishu", BOT).ok
        sent = json.loads(rx.requests[-1].body)
        ts = sent["timestamp"]
        assert isinstance(ts, str) and len(ts) == 10  # seconds, as a string
        # what Feishu computes: base64(HMAC-SHA256(key=f"{ts}\n{secret}", msg=""))
        key = f"{ts}\n{BOT}".encode()
        assert sent["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        assert sent["msg_type"] == "post" and rx.requests[-1].verified
    finally:
        rx.stop()
