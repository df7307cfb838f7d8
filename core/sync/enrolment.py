"""Enrol this device with a server: spend the one-time code, keep the token, remember the server.

Used by `butik enrol` and by the demo (which enrols its till with its own embedded server).
"""

from __future__ import annotations

from core.db import Store
from core.secrets import check_store, set_token
from core.sync import state
from core.sync.client import SyncClient


def enrol(store: Store, server_url: str, code: str, name: str) -> tuple[dict, str]:
    """Enrol with `code`; returns the server's answer and where the token is kept.

    The secret store is checked before the code is spent, so a machine without a keyring fails
    with a clear message and the code stays usable.
    """
    url = server_url.rstrip("/")
    where = check_store(url)
    client = SyncClient(url, retries=1)
    try:
        answer = client.enrol(code.strip(), name)
    finally:
        client.close()
    set_token(url, answer["token"])
    with store.write() as s:
        previous = state.get(s, state.SERVER_URL)
        values = {state.SERVER_URL: url, state.DEVICE_ID: answer["device_id"], state.DEVICE_NAME: name,
                  state.DEVICE_KIND: answer.get("kind") or "",
                  state.REGISTER_CODE: answer.get("register_code") or None}
        if previous and previous != url:
            # another server's feed positions mean nothing here: bootstrap again
            values.update({state.CURSOR: None, state.BOOTSTRAP_SEQ: None,
                           state.BOOTSTRAP_TABLE: None, state.BOOTSTRAP_AFTER: None})
        state.put(s, **values)
        s.commit()
    return answer, where
