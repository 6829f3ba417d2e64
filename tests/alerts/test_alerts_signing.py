from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from alerts import signing
from alerts.errors import InvalidSecret

# the test vector published with the Standard Webhooks specification
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = '{"test": 2432232314}'
VECTOR_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_published_test_vector() -> None:
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIG
    # the prefix is optional, as in the reference implementations
    assert signing.sign(VECTOR_SECRET.removeprefix("whsec_"), VECTOR_ID, VECTOR_TS,
                        VECTOR_BODY) == VECTOR_SIG


def test_reference_library_verifies_our_headers() -> None:
    secret = signing.new_secret()
    body = '{"type": "alert.created", "data": {"title": "降价97%"}}'
    headers = signing.headers([secret], "msg_1", int(time.time()), body)
    assert Webhook(secret).verify(body, headers) == {"type": "alert.created",
                                                     "data": {"title": "降价97%"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)


def test_rotation_overlap_signs_with_both_secrets() -> None:
    old, new = signing.new_secret(), signing.new_secret()
    body = "{}"
    headers = signing.headers([new, old], "msg_2", int(time.time()), body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)  # receivers not yet updated keep working
    Webhook(new).verify(body, headers)


def test_secrets_are_whsec_base64_with_enough_key() -> None:
    assert signing.new_secret().startswith("whsec_")
    assert len(signing.secret_key(signing.new_secret())) == 24
    with pytest.raises(InvalidSecret):
        signing.secret_key("whsec_not base64!")
    with pytest.raises(InvalidSecret):
        signing.secret_key("whsec_c2hvcnQ=")  # 5 bytes
