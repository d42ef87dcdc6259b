"""A real SMTP server on loopback for the end-to-end tests (aiosmtpd).

Every message it accepts is kept in MAIL_DIR as two files: NNNNNN.eml (the bytes as
received) and NNNNNN.json (envelope recipients, the parsed headers and the decoded
text and HTML parts), written atomically so a reader never sees half a file.

    python smtp_sink.py HOST PORT MAIL_DIR
"""

import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    def _write(self, name, data):
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {"text": "", "html": ""}
        for part in message.walk():
            if part.is_multipart() or part.get_content_disposition() == "attachment":
                continue
            kind = part.get_content_type()
            if kind in ("text/plain", "text/html"):
                parts["text" if kind == "text/plain" else "html"] += part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "text": parts["text"],
            "html": parts["html"],
        }
        self._write(f"{n:06d}.eml", raw)
        self._write(f"{n:06d}.json", json.dumps(record, indent=1).encode())
        print(f"smtp-sink: #{n} to {','.join(envelope.rcpt_tos)}: {record['subject']}", flush=True)
        return "250 Message accepted for delivery"


def main():
    host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname=host, port=port)
    controller.start()
    print(f"smtp-sink: listening on {host}:{port}, keeping messages in {directory}", flush=True)
    asyncio.run(wait_for_signal())
    controller.stop()


async def wait_for_signal():
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


if __name__ == "__main__":
    main()
