"""Email over SMTP: the alert's text as a UTF-8 message to the channel's recipients.

The address is `smtp://user:password@host:port` (STARTTLS when the server offers it) or
`smtps://…` (TLS from the start). The Message-ID is made from the delivery id, so a message
tried again is recognisably the same. 4xx SMTP replies are tried again, 5xx are permanent.
"""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from connectors.alerts import Message, SendError
from reviews.alert_channels import Channel

TIMEOUT_S = 15
log = logging.getLogger(__name__)


def send(channel: Channel, message: Message) -> None:
    address = urlsplit(channel.url)
    if address.scheme not in {"smtp", "smtps"} or not address.hostname:
        raise SendError(f"not an smtp:// or smtps:// address: {address.scheme}://…", permanent=True)
    if not channel.recipients:
        raise SendError("the email channel has no recipients (to_env unset)", permanent=True)
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = channel.spec.mail_from
    mail["To"] = ", ".join(channel.recipients)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<{message.id}@kefu-alerts>"
    mail.set_content(message.markdown)
    smtp_class = smtplib.SMTP_SSL if address.scheme == "smtps" else smtplib.SMTP
    port = address.port or (465 if address.scheme == "smtps" else 25)
    try:
        with smtp_class(address.hostname, port, timeout=TIMEOUT_S) as smtp:
            if address.scheme == "smtp":
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
            if address.username:
                smtp.login(unquote(address.username), unquote(address.password or ""))
            refused = smtp.send_message(mail)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise SendError(
            f"SMTP recipients refused: {exc.recipients!r}"[:300],
            str(max(codes)),
            all(code >= 500 for code in codes),
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", str(exc.smtp_code), exc.smtp_code >= 500
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
    if refused:  # some recipients took it: sent (trying again would double it for them)
        log.warning("alert %s: recipients refused %s", message.id, refused)
