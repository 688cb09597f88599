"""Property test through the whole pipeline: generated CrocoClick invoices (quantities, 4-decimal
unit prices, percent and fixed discounts, inclusive and exclusive taxes) are pushed to the
QuickBooks sandbox, whose TotalAmt must equal CrocoClick's total to the cent."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crocoqb_desktop.sandbox.demo import connect_world, start_demo_world

EXAMPLES = 200 if os.environ.get("CROCOQB_LONG_TESTS") == "1" else 25

quantities = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("40"), places=2)
prices = st.decimals(min_value=Decimal("0.0100"), max_value=Decimal("999.9999"), places=4)


@st.composite
def invoices(draw: st.DrawFn, region: str) -> dict:
    inclusive = region == "ca" and draw(st.booleans())
    rate = {"us": Decimal("8.875"), "ca": Decimal("13")}[region]
    tax_name = {"us": "Sales tax", "ca": "HST ON"}[region]
    lines = []
    for n in range(draw(st.integers(min_value=1, max_value=6))):
        line = {"name": f"Item {n}", "quantity": float(draw(quantities)), "unitPrice": str(draw(prices))}
        if draw(st.booleans()):
            line["taxes"] = [{"name": tax_name, "rate": float(rate), "inclusive": inclusive}]
        lines.append(line)
    discount = draw(st.one_of(
        st.none(),
        st.builds(lambda v: {"type": "percentage", "value": str(v)},
                  st.decimals(min_value=1, max_value=50, places=0)),
        st.builds(lambda v: {"type": "fixed", "value": str(v)},
                  st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20"), places=2)),
    ))
    return {"items": lines, "discount": discount}


@pytest.mark.parametrize("region", ["us", "ca"])
def test_generated_invoices_land_with_crococlick_total(region: str, tmp_path: Path, monkeypatch,
                                                        keychain_clean: None) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CROCOQB_HOME", str(home))
    kwargs = {"qbo_preset": "ca", "country": "CA", "currency": "CAD"} if region == "ca" else {}
    world = start_demo_world(home, seed=False, time_scale=60, **kwargs)
    try:
        connect_world()
        contact = world.croco.create_contact(world.location_id, firstName="Prop", lastName="Erty",
                                             email="prop@example.com")
        from crocoqb_desktop.app.context import AppContext
        from crocoqb_desktop.app.service import SyncService

        counter = iter(range(1, 10_000))

        @settings(max_examples=EXAMPLES, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
        @given(doc=invoices(region))
        def check(doc: dict) -> None:
            number = f"P-{next(counter)}"
            inv = world.croco.create_invoice(world.location_id, contact_id=contact["id"], number=number, send=True,
                                             items=doc["items"], discount=doc["discount"])
            ctx = AppContext.open()
            try:
                result = SyncService(ctx).sync_once()
            finally:
                ctx.store.close()
            assert result.exit_code == 0, result.summary()
            pushed = [i for i in world.qbo.entities(world.realm_id, "Invoice")
                      if f"CrocoClick {inv['id']}" in str(i.get("PrivateNote", ""))]
            assert len(pushed) == 1
            assert Decimal(str(pushed[0]["TotalAmt"])) == Decimal(inv["totals"]["total"]), (doc, inv["totals"])

        check()
    finally:
        world.stop()
