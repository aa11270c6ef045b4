"""
A real SMTP server that accepts mail and counts it, for tests and the benchmark.

It listens on 127.0.0.1 on a port the system picks (port 0), so parallel runs never clash.
"""

import logging
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Sink:
    """aiosmtpd handler: records who got what; answers RCPT with a chosen reply per address."""

    def __init__(self, keep_messages=True):
        self.keep_messages = keep_messages
        self.received = Counter()
        self.messages = []
        self.replies = {}  # address -> SMTP reply for RCPT TO, e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        if self.keep_messages:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SinkController(Controller):
    def _trigger_server(self):
        # Bound to port 0: learn the real port before the readiness check connects to it.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_sink(keep_messages=True):
    sink = Sink(keep_messages=keep_messages)
    controller = SinkController(sink, hostname="127.0.0.1", port=0)
    controller.start()
    return sink, controller
