"""The demo world: both sandboxes on 127.0.0.1 with sample data, and a CrocoQB data folder
pointed at them. Used by `crocoqb demo`, the GUI's `--demo`, the frozen self-test and tests.

The demo uses its own data folder and keychain service ("CrocoQB-demo"), so it never touches a
user's real settings or secrets.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

DEMO_LOCATION = "loc_demo"
DEMO_REALM = "9130350000000001"
RELAY_CLIENT_ID = "crocoqb-relay-client"
RELAY_CLIENT_SECRET = "relay-secret"  # the sandbox's own relay credentials, not a user secret
DEMO_KEYRING_SERVICE = "CrocoQB-demo"


@dataclass
class DemoWorld:
    home: Path
    croco: Any  # CrocoSandbox
    qbo: Any  # QboSandbox
    api_key: str
    location_id: str = DEMO_LOCATION
    realm_id: str = DEMO_REALM
    _activity_stop: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self._activity_stop.set()
        self.croco.stop()
        self.qbo.stop()

    # -- sample activity in CrocoClick (what a business does during a day) -------------------------
    def add_activity(self, round_no: int = 1) -> None:
        """Invoices sent, an order-form sale and an invoice payment, as CrocoClick users make them. The
        card payments go through Stripe, which withholds its fee; every third round a customer gets part
        of the workshop back."""
        loc = self.location_id
        c = self.croco
        contacts = c.contacts(loc)
        alice, bruno = contacts[0], contacts[1]
        inv = c.create_invoice(loc, contact_id=alice["id"], number=f"INV-{2000 + round_no * 10}", send=True,
                               items=[{"name": "Coaching session", "quantity": 2, "unitPrice": "75.00",
                                       "taxes": [{"name": "Sales tax", "rate": 8.875}]},
                                      {"name": "Workbook", "quantity": 1, "unitPrice": "19.9900"}],
                               discount={"type": "percentage", "value": "10"})
        c.record_payment(loc, contact_id=alice["id"], source_type="invoice", invoice_id=inv["id"],
                         amount=inv["totals"]["total"], method=_stripe_card("visa", "4242"),
                         fee=stripe_fee(inv["totals"]["total"]))
        workshop = c.record_payment(loc, contact_id=bruno["id"], source_type="order_form",
                                    source_name="Spring workshop funnel",
                                    items=[{"name": "Spring workshop", "quantity": 1, "unitPrice": "149.00"}],
                                    method=_stripe_card("mastercard", "4444"), fee=stripe_fee("149.00"))
        if round_no % 3 == 0:
            c.refund_payment(loc, workshop["id"], "49.00", reason="Missed the afternoon session")
        c.create_invoice(loc, contact_id=contacts[2]["id"], number=f"INV-{2001 + round_no * 10}", send=True,
                         items=[{"name": "Website audit", "quantity": 1, "unitPrice": "450.00"}])

    def pay_out(self) -> dict[str, Any] | None:
        """What Stripe does every few minutes in the demo: the payout in transit reaches the bank
        (event payout.paid), the pending one leaves (in transit), and the unsettled balance (card
        payments less fees and refunds) becomes a new pending payout. Returns the new payout, if any."""
        loc = self.location_id
        c = self.croco
        for payout in c.payouts(loc):
            if payout["status"] == "in_transit":
                c.set_payout_status(loc, payout["id"], "paid")
            elif payout["status"] == "pending":
                c.set_payout_status(loc, payout["id"], "in_transit")
        if not c.unsettled_items(loc, "stripe"):
            return None
        return dict(c.create_payout(loc, provider="stripe"))

    def start_activity_thread(self, every_s: float = 30.0, rounds: int = 10, payout_every_s: float = 180.0) -> None:
        """Sample activity every `every_s` seconds (`rounds` times) and a payout step every
        `payout_every_s` seconds (until the world stops)."""
        def loop() -> None:
            for n in range(2, rounds + 2):
                if self._activity_stop.wait(every_s):
                    return
                try:
                    self.add_activity(n)
                except Exception:  # the demo must never crash the app
                    return

        def payouts() -> None:
            while not self._activity_stop.wait(payout_every_s):
                try:
                    self.pay_out()
                except Exception:  # the demo must never crash the app
                    return

        threading.Thread(target=loop, name="demo-activity", daemon=True).start()
        threading.Thread(target=payouts, name="demo-payouts", daemon=True).start()


def stripe_fee(amount: str) -> str:
    """Stripe's usual card fee in the demo: 2.9 % + 0.30, to the cent."""
    fee = Decimal(amount) * Decimal("0.029") + Decimal("0.30")
    return str(fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _stripe_card(brand: str, last4: str) -> dict[str, str]:
    return {"type": "card", "brand": brand, "last4": last4, "provider": "stripe"}


def start_demo_world(home: Path | None = None, *, time_scale: float = 1.0, seed: bool = True,
                     qbo_preset: str = "us", country: str = "US", currency: str = "USD") -> DemoWorld:
    """Starts both sandboxes (with sample data unless `seed` is false) and points a CrocoQB data
    folder at them (sets CROCOQB_HOME and CROCOQB_KEYRING_SERVICE for this process)."""
    from crocoqb_desktop.sandbox.croco_server import CrocoSandbox
    from crocoqb_desktop.sandbox.qbo_server import QboSandbox

    home = home or Path(tempfile.mkdtemp(prefix="crocoqb-demo-"))
    os.environ["CROCOQB_HOME"] = str(home)
    os.environ.setdefault("CROCOQB_KEYRING_SERVICE", DEMO_KEYRING_SERVICE)

    # Intuit keeps a rotated-out refresh token valid for 24 hours (qbo-reference §1.4), which is what
    # saves a client that died between receiving a new token and storing it
    qbo = QboSandbox(time_scale=time_scale, refresh_grace_s=24 * 3600)
    qbo.start()
    qbo.add_company(DEMO_REALM, preset=qbo_preset, name="Atelier Lumière LLC")
    croco = CrocoSandbox(time_scale=time_scale, qbo_authorize_url=qbo.authorize_url, qbo_token_url=qbo.token_url,
                         qbo_revoke_url=qbo.revoke_url, qbo_api_base=qbo.api_base,
                         qbo_client_id=RELAY_CLIENT_ID, qbo_client_secret=RELAY_CLIENT_SECRET)
    croco.start()
    qbo.register_client(RELAY_CLIENT_ID, RELAY_CLIENT_SECRET, [croco.return_page_url])
    api_key = "ck_test_" + secrets.token_urlsafe(24)
    croco.add_location(DEMO_LOCATION, name="Atelier Lumière", country=country, currency=currency)
    croco.add_api_key(api_key, [DEMO_LOCATION])
    if seed:
        _seed(croco, qbo)

    from crocoqb_desktop.settings import Settings

    settings = Settings()
    settings.set("croco.api_base", croco.url)
    settings.set("croco.location_id", DEMO_LOCATION)
    settings.set("qbo.oauth", "relay")
    if time_scale != 1.0:
        # a time-compressed sandbox: compress the client's limiters the same way
        settings.set("croco.requests_per_10s", int(100 * time_scale))
        # QuickBooks: the limits stay the real ones, their windows shrink (a limit multiplied over the
        # real window would allow bursts the compressed per-second window refuses)
        settings.set("qbo.rate_window_s", 60.0 / time_scale)
        settings.set("qbo.throttle_wait_s", 60.0 / time_scale)
    from crocoqb_desktop.app.context import AppContext

    ctx = AppContext(settings=settings)
    try:
        ctx.croco_login(api_key, DEMO_LOCATION)  # checks the key like a user would, remembers /me
    finally:
        ctx.store.close()
    return DemoWorld(home=home, croco=croco, qbo=qbo, api_key=api_key)


def _seed(croco: Any, qbo: Any) -> None:
    loc = DEMO_LOCATION
    people = [
        ("Alice", "Martin", "alice.martin@example.com"),
        ("Bruno", "Lefèvre", "bruno@example.fr"),
        ("Chloé", "Dubois", "chloe.dubois@example.com"),
        ("Ann", "Lee", "ann.lee@example.com"),
        ("Karim", "Benali", "karim@example.org"),
    ]
    for first, last, email in people:
        croco.create_contact(loc, firstName=first, lastName=last, email=email)
    # An invoice sent before the integration was activated: it stays out of QuickBooks.
    first = croco.contacts(loc)[4]
    croco.create_invoice(loc, contact_id=first["id"], number="INV-1001", send=True,
                         items=[{"name": "Consultation", "quantity": 1, "unitPrice": "120.00"}])
    # QuickBooks already knows some customers; one of them is Ann Lee, typed differently.
    for name, email in [("Ann Lee", " Ann.Lee@Example.com "), ("Weiskopf Consulting", "nicole@weiskopf.example"),
                        ("Amy's Bird Sanctuary", "birds@intuit.example")]:
        qbo.put_entity(DEMO_REALM, "Customer", {"DisplayName": name, "PrimaryEmailAddr": {"Address": email},
                                                 "Active": True})


def connect_world(timeout_s: float = 30.0) -> dict[str, str]:
    """Runs the real connect flow (relay mode) with `accept_consent` as the browser."""
    from crocoqb_desktop.app.connection import QboConnection
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service import SyncService

    ctx = AppContext.open()
    connection = QboConnection(ctx.settings, ctx.store)
    pending = connection.begin_authorization()
    errors: list[BaseException] = []

    def browse() -> None:
        try:
            accept_consent(pending.url)
        except BaseException as exc:  # reported below, after complete() gives up
            errors.append(exc)

    browser = threading.Thread(target=browse, daemon=True)
    browser.start()
    try:
        result = connection.complete(pending, timeout_s=timeout_s)
    except Exception:
        if errors:
            raise errors[0] from None
        raise
    browser.join(5)
    SyncService(ctx).after_connect()
    return result


# -- a browser stand-in that accepts the sandbox consent page (self-test, tests, headless demo) ------
class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": {}, "buttons": []})
        elif self.forms and tag in {"input", "button", "select"}:
            form = self.forms[-1]
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "submit":
                form["buttons"].append((a.get("name", ""), a.get("value", "")))
            elif a.get("name") and (kind not in {"radio", "checkbox"} or "checked" in a):
                form["fields"][a["name"]] = a.get("value", "")
        elif self.forms and tag == "option" and "selected" in a:
            pass


def accept_consent(authorization_url: str, timeout: float = 10.0) -> str:
    """Follows the authorization URL like a browser whose user presses Connect; returns the last
    URL reached (the loopback callback has been served by then)."""
    session = requests.Session()
    page = session.get(authorization_url, timeout=timeout)
    page.raise_for_status()
    parser = _FormParser()
    parser.feed(page.text)
    if not parser.forms:
        raise RuntimeError("the consent page has no form")
    form = parser.forms[0]
    data = dict(form["fields"])
    accept = next((b for b in form["buttons"] if any(w in (b[0] + b[1]).lower() for w in ("accept", "connect",
                                                                                          "allow"))), None)
    if accept and accept[0]:
        data[accept[0]] = accept[1]
    target = urljoin(page.url, form["action"] or page.url)
    answer = session.post(target, data=data, timeout=timeout, allow_redirects=True)
    return answer.url


def run_demo() -> int:
    """`crocoqb demo --headless`: the sandboxes only, for trying the CLI. (With a window, `crocoqb demo`
    runs the GUI's `--demo`; the sandbox package never imports the GUI.)"""
    world = start_demo_world()
    world.start_activity_thread()
    print("CrocoQB demo sandboxes are running.")
    print(f"  CrocoClick API: {world.croco.url}  (location {world.location_id})")
    print(f"  QuickBooks API: {world.qbo.api_base}  (company {world.realm_id})")
    print("In another terminal, use the CLI against them:")
    print(f"  export CROCOQB_HOME={world.home} CROCOQB_KEYRING_SERVICE={os.environ['CROCOQB_KEYRING_SERVICE']}")
    print("  crocoqb connect --no-browser    # open the printed URL and press Connect")
    print("  crocoqb sync --once && crocoqb log")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        world.stop()
    return 0


if __name__ == "__main__":
    sys.exit(run_demo())
