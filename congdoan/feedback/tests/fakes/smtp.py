"""A small SMTP server on 127.0.0.1:0 that accepts mail, or refuses it while told to.

Refusing answers ``421`` to the greeting and closes the connection, as a mail server that is
overloaded or being restarted does; smtplib raises SMTPConnectError. Used by the tests and by
`congdoan bench faults`.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, Self


@dataclass
class _State:
    refusing: bool = False
    messages: list[EmailMessage] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeSmtpServer:
    def __init__(self, port: int = 0) -> None:
        self.state = _State()
        state = self.state

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                with state.lock:
                    refusing = state.refusing
                    if refusing:
                        state.refused += 1
                if refusing:
                    self.reply("421 fake.smtp Service not available, try again later")
                    return
                self.reply("220 fake.smtp ESMTP")
                sender, rcpts = "", []  # type: tuple[str, list[str]]
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    verb = raw.decode("utf-8", "replace").strip().split(" ")[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 fake.smtp")
                    elif verb == "MAIL":
                        sender, rcpts = raw.decode().strip(), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        rcpts.append(raw.decode().strip())
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line or line in (b".\r\n", b".\n"):
                                break
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        parsed = message_from_bytes(b"".join(lines), policy=policy.default)
                        with state.lock:
                            state.messages.append(parsed)
                        self.reply("250 OK queued")
                    elif verb == "RSET" or verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")
                del sender

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def refuse(self, refusing: bool = True) -> None:
        with self.state.lock:
            self.state.refusing = refusing

    @property
    def messages(self) -> list[EmailMessage]:
        with self.state.lock:
            return list(self.state.messages)

    def settings_for(self) -> dict[str, Any]:
        """The Django settings that send mail here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }
