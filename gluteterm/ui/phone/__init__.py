"""The phone: a page on the local network that follows and steers the session.

Nothing here is imported until the user asks for the phone (`--phone`, `o`, the
`phone` setting): the web server (aiohttp) and the QR encoder (segno) cost
start-up time that a session without the phone should not pay.
"""
