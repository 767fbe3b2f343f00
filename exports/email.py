"""E-mail delivery over SMTP: settings, the message, and sending it.

The SMTP password is never stored in the database: it comes from BILLFOLD_SMTP_PASSWORD or from a
file only its owner can read (smtp_password_file), which is refused if others can read it.
"""
from __future__ import annotations

import io
import smtplib
import ssl
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid

from jinja2 import Environment, StrictUndefined

from store.errors import ValidationError
from store.settings import get_setting, secret

BODY = """Dear {{ name }},

Please find attached {{ what }} {{ number }} for {{ amount }}{% if due %}, due on {{ due }}{% endif %}.

{% if reference %}Your reference: {{ reference }}
{% endif %}If you have any questions about it, reply to this e-mail or call us on {{ phone }}.

Kind regards,
{{ company }}
"""
_env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)  # plain text body
_body = _env.from_string(BODY)  # compiled once: compiling per message cost more than filling it in


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls, tls, none
    user: str
    sender: str
    password: str | None
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpSettings:
        host = get_setting("smtp_host")
        if not host:
            raise ValidationError("smtp_host", "is not set: billfold setting smtp_host HOST (and smtp_port, smtp_from)")
        security = get_setting("smtp_security") or "starttls"
        if security not in ("starttls", "tls", "none"):
            raise ValidationError("smtp_security", "is one of starttls, tls, none")
        port = int(get_setting("smtp_port") or (465 if security == "tls" else 587))
        return cls(host, port, security, get_setting("smtp_user"),
                   get_setting("smtp_from") or get_setting("company_email"), _password())


def _password() -> str | None:
    return secret("SMTP password", "BILLFOLD_SMTP_PASSWORD", "smtp_password_file")


def body_text(**values: str) -> str:
    return _body.render(**values)


def build_message(settings: SmtpSettings | str, to: str, subject: str, body: str, filename: str, pdf: bytes,
                  message_id: str | None = None) -> EmailMessage:
    """The message with the PDF attached; `settings` may be just the sender's address. The outbox
    gives the Message-ID it fixed when the message was queued, so a resend carries the same one."""
    sender = settings if isinstance(settings, str) else settings.sender
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id or make_msgid(domain=sender.partition("@")[2] or None)
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


@dataclass(frozen=True, slots=True)
class PreparedMessage:
    """A message already flattened to the bytes that go on the wire, as smtplib's send_message would
    flatten it, so the flattening can be done in another process and the sender only sends."""

    sender: str  # envelope
    recipients: tuple[str, ...]
    data: bytes
    message_id: str


def prepare_message(message: EmailMessage) -> PreparedMessage | None:
    """The wire form of `message`, or None when its addresses need SMTPUTF8 (send the message itself)."""
    sender = getaddresses([str(message["From"])])[0][1]
    recipients = tuple(a for _name, a in getaddresses([str(v) for v in message.get_all("To", [])]))
    if not "".join((sender, *recipients)).isascii() or message["Bcc"] is not None:
        return None
    with io.BytesIO() as out:
        BytesGenerator(out).flatten(message, linesep="\r\n")
        return PreparedMessage(sender, recipients, out.getvalue(), str(message["Message-ID"]))


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user and settings.password is not None:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


class SmtpSession:
    """One connection for a whole batch (a handshake per message would cost more than the message);
    after any failure the next message starts a fresh connection."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage | PreparedMessage) -> str:
        """Send; returns the Message-ID. Raises OSError or smtplib.SMTPException on any failure."""
        try:
            if self.client is None:
                self.client = _connect(self.settings)
            if isinstance(message, PreparedMessage):
                self.client.sendmail(message.sender, list(message.recipients), message.data)
            else:
                self.client.send_message(message)
        except BaseException:
            self.close()
            raise
        return message.message_id if isinstance(message, PreparedMessage) else str(message["Message-ID"])

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_transient(exc: BaseException) -> bool:
    """A failure worth trying again later: a 4xx reply, a refused or dropped connection, a timeout.
    A 5xx reply is the server's final word."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    # smtplib's errors are OSErrors too, but one such as "the server does not offer SMTPUTF8" (an address
    # written in another script) will say the same on every try: fail it now, with its reason.
    if isinstance(exc, smtplib.SMTPException):
        return False
    return isinstance(exc, OSError)


def describe_failure(exc: BaseException) -> str:
    """The failure as it is kept: the server's own reply where there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{to}: {code} {reply.decode(errors='replace')}"
                            for to, (code, reply) in exc.recipients.items())
        return f"{type(exc).__name__}: {replies}"
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {reply}"
    return f"{type(exc).__name__}: {exc}"


def send_message(settings: SmtpSettings, message: EmailMessage) -> str:
    """Send one message on its own connection."""
    with SmtpSession(settings) as session:
        return session.send(message)
