"""One exception root for the alerts package."""


class AlertsError(Exception):
    """Base of every error raised by alerts/."""


class UnsafeUrl(AlertsError):
    """A webhook URL is refused by the SSRF guard (bad scheme, odd spelling, private address)."""


class InvalidSecret(AlertsError):
    """A webhook secret is not a `whsec_` base64 secret."""
