"""Which address the phone page listens on: the one asked for, or the laptop's
address on its local network, found without sending anything."""

from __future__ import annotations

import ipaddress
import socket

from gluteterm.core.errors import GlutetermError

LOOPBACK = "127.0.0.1"
#: A documentation address (RFC 5737): connecting a UDP socket to it picks the
#: interface of the default route and sends no packet.
PROBE = "192.0.2.1"


class BindError(GlutetermError):
    """An address the phone page cannot listen on; the message says what to give."""


def checked_bind(text: str) -> str:
    """`text` as an IP address to listen on, or BindError saying why not."""
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        raise BindError(
            f"--phone-bind: '{text}' is not an IP address; give one such as 192.168.1.20 "
            "or 127.0.0.1 (names are not looked up)"
        ) from None
    if address.is_multicast or address.is_unspecified:
        raise BindError(
            f"--phone-bind: {address} is not one computer's address; give the laptop's own "
            "address on the network the phone is on, or 127.0.0.1"
        )
    return str(address)


def default_bind() -> tuple[str, str]:
    """The address of the default route's interface, and "" ; or 127.0.0.1 and why."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((PROBE, 9))  # UDP: chooses a route, sends nothing
            found = str(probe.getsockname()[0])
    except OSError:
        found = ""
    if not found or found.startswith("0.") or ipaddress.ip_address(found).is_loopback:
        return LOOPBACK, (
            "No local network found: the phone page is on this computer only (127.0.0.1). "
            "Connect to the phone's network, or give --phone-bind ADDRESS."
        )
    return found, ""


def url_host(address: str) -> str:
    """`address` as the host part of a URL (an IPv6 address in brackets)."""
    return f"[{address}]" if ":" in address else address
