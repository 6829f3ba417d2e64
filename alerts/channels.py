"""IM bot channels beyond the HTTP status (pure).

Feishu/Lark, DingTalk and WeCom bots answer HTTP 200 even when they reject a message (a bad
signature, a missing keyword, a rate limit): the verdict is a code in the JSON body, e.g.
Feishu `{"code": 19021, "msg": "sign match fail …"}`, DingTalk and WeCom
`{"errcode": 310000, "errmsg": "…"}`; 0 means accepted. `body_error` reads it.

Signed-webhook modes (the bot's own "加签" secret, not the Standard Webhooks one):
- DingTalk: `timestamp` in milliseconds; sign = base64(HMAC-SHA256(key=secret,
  msg=f"{timestamp}\\n{secret}")), URL-encoded, appended to the URL as `&timestamp=…&sign=…`.
- Feishu: `timestamp` in seconds (a string); sign = base64(HMAC-SHA256(key=f"{timestamp}\\n
  {secret}", msg=b"")), added to the JSON body as `timestamp` and `sign`.
Both are computed per attempt (the bots accept a timestamp within an hour).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

import orjson

SIGNED_FORMATS = ("dingtalk", "feishu")
BODY_VERDICT = ("feishu", "dingtalk", "wecom")
_CODE_KEYS = {"feishu": ("code", "StatusCode"), "dingtalk": ("errcode",), "wecom": ("errcode",)}
_MSG_KEYS = ("msg", "errmsg", "StatusMessage")
_LABEL = {"feishu": "Feishu", "dingtalk": "DingTalk", "wecom": "WeCom"}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def prepare(fmt: str, bot_secret: str | None, url: str, body: str,
            now_s: float) -> tuple[str, str]:
    """The URL and body of one attempt, signed in the bot's own mode when it has a secret."""
    if not bot_secret or fmt not in SIGNED_FORMATS:
        return url, body
    if fmt == "dingtalk":
        ts = int(now_s * 1000)
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}timestamp={ts}&sign={quote_plus(dingtalk_sign(bot_secret, ts))}", body
    ts_s = int(now_s)
    data = orjson.loads(body)
    data.update(timestamp=str(ts_s), sign=feishu_sign(bot_secret, ts_s))
    return url, orjson.dumps(data).decode("utf-8")


def body_error(fmt: str, text: str) -> str | None:
    """The bot's rejection in words, or None when the body says the message was accepted
    (or the format has no body verdict)."""
    keys = _CODE_KEYS.get(fmt)
    if keys is None:
        return None
    try:
        data = orjson.loads(text) if text.strip() else {}
    except orjson.JSONDecodeError:
        return f"{_LABEL[fmt]} answered a body that is not JSON: {text[:120]!r}"
    if not isinstance(data, dict):
        return None
    for key in keys:
        code = data.get(key)
        if code is not None and code != 0:
            msg = next((str(data[m]) for m in _MSG_KEYS if data.get(m)), "")
            return f"{_LABEL[fmt]} refused the message: {key} {code}" + (f" ({msg})" if msg
                                                                          else "")[:300]
    return None
