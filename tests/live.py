"""A live connection for tests: the Socket.IO test client as a page's script uses it."""

from __future__ import annotations

from forum.extensions import socketio


class Live:
    """A page's live connection. Each event is handled in an application context of its own, as by a separate
    server process (so nothing a handler loads lingers in the test's context, or the other way round)."""

    def __init__(self, app, flask_client=None, token: str | None = None):
        self.app = app
        with app.app_context():
            self.client = socketio.test_client(app, namespace="/live", flask_test_client=flask_client,
                                               auth={"token": token} if token else None)
        assert self.client.is_connected("/live")

    def ask(self, event: str, *args):
        """Emit ``event`` and return the server's acknowledgement."""
        with self.app.app_context():
            return self.client.emit(event, *args, namespace="/live", callback=True)

    def subscribe(self, topic: str, **extra) -> dict:
        """Subscribe to ``topic``; the acknowledgement."""
        return self.ask("subscribe", {"topic": topic, **extra})

    def follow(self, topic: str) -> dict:
        """Ask to follow a moderation queue; the acknowledgement."""
        return self.ask("moderation.subscribe", {"topic": topic})

    def events(self, name: str | None = None) -> list:
        """The payloads received since the last call (of events called ``name``, or (name, payload) pairs)."""
        received = [(event["name"], event["args"][0] if event["args"] else None)
                    for event in self.client.get_received("/live")]
        return [payload for event, payload in received if event == name] if name else received

    @property
    def connected(self) -> bool:
        """Whether the connection is still open."""
        return self.client.is_connected("/live")

    def close(self) -> None:
        """Close the connection, as when the page goes away."""
        with self.app.app_context():
            self.client.disconnect(namespace="/live")
