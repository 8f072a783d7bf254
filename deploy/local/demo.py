#!/usr/bin/env python3
"""Syncs a connected shop once through the gateway and prints what came of it (run.sh's second half).

Starts a sync, follows its steps, waits for the history backfill a first sync asks for, syncs the shop's marketing
sources, plays a Meta outage on the Sandbox when it is given one (so the alerts on Meta's figures show how they move with
it), then prints the run, the revenue and ad spend of the last 30 days, the KPIs against the period before, the
open alerts, the pipelines' health and where to go next. Reads only the gateway's API.

    deploy/local/demo.py --gateway http://127.0.0.1:8080 --key KEY --shop demo-shop.myshopify.com [--sandbox http://127.0.0.1:8090]
Exits 1 when the sync did not complete.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request

# Digits after the decimal point of the currencies that do not have two (ISO 4217); money is integer minor units.
CURRENCY_EXPONENTS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}
ENDED = ("completed", "partial", "failed")


def money(minor, currency):
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    return f"{minor / 10 ** exponent:,.{exponent}f} {currency}"


class Gateway:
    def __init__(self, address, key):
        self.address, self.key = address.rstrip("/"), key

    def call(self, path, body=None):
        """The answer's JSON, or None when the gateway refused or did not answer."""
        request = urllib.request.Request(self.address + path, method="POST" if body is not None else "GET",
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"X-Api-Key": self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.load(answer)
        except (urllib.error.URLError, ValueError, TimeoutError):
            return None

    def wait_for_run(self, run_id, seconds, on_progress=None):
        run = {}
        for _ in range(seconds):
            # Accepted is not yet saved: the run's view may answer 404 for its first moments.
            run = self.call(f"/api/ingest/runs/{run_id}") or run
            if run.get("status") in ENDED:
                break
            if on_progress and run:
                on_progress(run)
            time.sleep(1)
        return run


def describe_step(run):
    load = run.get("load") or {}
    progress = f" {load['records_committed']:,} records committed" if load else ""
    if load.get("share_read") is not None:
        progress += f", {load['share_read']:.0%} of the file read"
    return f"  {run.get('status', '')} {run.get('entity') or ''}{progress}"


def sync(gateway, shop):
    # The Ingest-Saga hears of the shop's connection within a second of its connecting.
    accepted = None
    for _ in range(20):
        accepted = gateway.call("/api/performance-metrics/sync", {"initiator": "user", "shop": shop})
        if accepted:
            break
        time.sleep(0.5)
    if not accepted:
        sys.exit(f"The sync of {shop} was refused; see .local/logs/.")
    print(f"Sync {accepted['run_id']} started; waiting for it...")
    shown = [""]

    def progress(run):
        line = describe_step(run)
        if line != shown[0]:
            print(line, flush=True)
            shown[0] = line

    run = gateway.wait_for_run(accepted["run_id"], 300, progress)
    # A shop's first sync asks for its history (every order before the 128-day floor) as a backfill run of its own.
    history = {}
    if run.get("history_run_id"):
        print(f"Loading the shop's history (orders before the floor) in run {run['history_run_id']}...")
        history = gateway.wait_for_run(run["history_run_id"], 600)
    return run, history


def sync_marketing(gateway, shop):
    runs = (gateway.call("/api/marketing/sync", {"shop": shop}) or {}).get("runs", [])
    if runs:
        print(f"Syncing the marketing sources ({', '.join(r.get('source', '?') for r in runs)})...")
    for accepted in runs:
        r = gateway.wait_for_run(accepted["run_id"], 300)
        if r:
            error = f" ({r['error']})" if r.get("error") else ""
            print(f"  {r['source']:<11} {r['status']:<10} {r['since']} to {r['until']}, {r['counts']['pages']} pages, "
                  f"{r['counts']['records_upserted']} rows{error}")


def held_back_alerts(gateway, shop, seconds):
    """The shop's open alerts that say their data is incomplete, once some do (the evaluation follows the failed run)."""
    held = []
    for _ in range(seconds * 2):
        held = [a for a in (gateway.call(f"/api/alerts?shop={shop}") or {}).get("alerts", []) if a.get("data_incomplete")]
        if held:
            break
        time.sleep(0.5)
    return held


def play_outage(gateway, sandbox, shop):
    """
    A Meta outage, played on the Sandbox: the ad account's access is taken away (as a person removing the app's access
    does), the Meta sync fails, and the alerts on Meta's figures say their data is incomplete, a critical one held back
    to warning. The access is then given back, the connection checked again and synced: the alerts are whole again, and
    the pipelines view keeps the ones that moved with the outage under marketing:meta.
    """
    connections = (gateway.call(f"/api/connections?shop={shop}") or {}).get("connections", [])
    meta = next((c for c in connections if c.get("provider") == "meta" and c.get("status") == "active"), None)
    if not meta:
        return

    def sandbox_call(action):
        request = urllib.request.Request(f"{sandbox.rstrip('/')}/sandbox/meta/ad_accounts/{meta['account']}/{action}", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10):
                return True
        except (urllib.error.URLError, TimeoutError):
            return False

    def sync_meta():
        # The Ingest-Saga hears of the connection's new status within a second of its check.
        for _ in range(20):
            accepted = (gateway.call("/api/marketing/sync", {"shop": shop, "sources": ["meta"]}) or {}).get("runs", [])
            if accepted:
                return gateway.wait_for_run(accepted[0]["run_id"], 300)
            time.sleep(0.5)
        return {}

    if not sandbox_call("revoke"):
        return
    print(f"Playing a Meta outage: the Sandbox takes away the app's access to ad account {meta['account']}...")
    failed = sync_meta()
    print(f"  the Meta sync {failed.get('run_id')} {failed.get('status')}" + (f": {failed['error']}" if failed.get("error") else ""))
    held = held_back_alerts(gateway, shop, 30)
    if held:
        print(f"  {len(held)} alerts say their data is incomplete ({', '.join(sorted({g['pipeline'] for a in held for g in a['data_incomplete']}))}):")
        for alert in held:
            print(f"    [{alert['severity']}{', held back from critical' if alert.get('held_back') else ''}] "
                  + " ".join(filter(None, (alert["rule"], alert.get("subject")))))
    sandbox_call("grant")
    gateway.call(f"/api/connections/{meta['id']}/check", {})
    whole = sync_meta()
    print(f"  access given back and the connection checked again: the Meta sync {whole.get('run_id')} {whole.get('status')}")
    moved = {a["alert_id"] for a in held}
    for _ in range(60):
        alerts = [a for a in (gateway.call(f"/api/alerts?shop={shop}") or {}).get("alerts", []) if a["alert_id"] in moved]
        if not any(a.get("data_incomplete") for a in alerts):
            print("  the alerts are whole again: " + "; ".join(" ".join(filter(None, (a["rule"], a.get("subject"), a["severity"]))) for a in alerts))
            break
        time.sleep(0.5)


def report(gateway, shop, run, history):
    pulse = gateway.call(f"/api/dashboard/sales-pulse?shop={shop}&days=30") or {}
    year = gateway.call(f"/api/dashboard/sales-pulse?shop={shop}&days=366") or {}
    ads = gateway.call(f"/api/dashboard/marketing?shop={shop}&days=30") or {}
    kpis = gateway.call(f"/api/kpis?shop={shop}") or {}
    profit = gateway.call(f"/api/profit?shop={shop}&days=30") or {}
    alerts = (gateway.call(f"/api/alerts?shop={shop}") or {}).get("alerts", [])
    pipelines = gateway.call(f"/analytics/pipelines?shop={shop}") or {}

    print()
    print(f"Sync {run.get('run_id')}: {run.get('status')}" + (f" at {run['failed_step']}: {run['error']}" if run.get("error") else ""))
    for step in run.get("steps", []):
        duration = f"{step['duration_ms']} ms" if step.get("duration_ms") is not None else ""
        print(f"  {step['step']:<13} {step.get('entity') or '':<10} {step['started_at']}  {duration}")
    counts = run.get("counts", {})
    print(f"Orders synced:        {counts.get('orders_upserted', 0)} ({counts.get('line_items_upserted', 0)} line items)")
    for entity in run.get("entities", []):
        print(f"  {entity['entity']:<10} {entity['status']:<8} {entity['records']} records" + (f" ({entity['error']})" if entity.get("error") else ""))
    if history.get("run_id"):
        print(f"History (backfill {history['run_id']}): {history['status']}, {history.get('counts', {}).get('orders_upserted', 0)} orders "
              f"created before {(history.get('backfill_before') or '')[:10]}")
    if pulse.get("currency_code"):
        print(f"Revenue, last 30 days: {money(pulse['revenue_minor'], pulse['currency_code'])} over {pulse['orders']} orders")
    totals = ads.get("totals") or {}
    currency = ads.get("currency_code") or pulse.get("currency_code")
    if totals.get("spend_minor") is not None and currency:
        by_source = totals.get("spend_by_source", {})
        roas = (f", blended ROAS {totals['blended_roas']:.2f} on revenue {money(totals['revenue_minor'], currency)}"
                if totals.get("blended_roas") is not None else "")
        print(f"Ad spend, last 30 days: {money(totals['spend_minor'], currency)} (Meta {money(by_source.get('meta', 0), currency)}, "
              f"Google Ads {money(by_source.get('google_ads', 0), currency)}){roas}")
        channels = ", ".join(f"{name} {count:,}" for name, count in sorted(totals.get("sessions_by_channel_group", {}).items(), key=lambda c: -c[1]))
        print(f"Sessions, last 30 days: {totals.get('sessions', 0):,} ({channels})")
    now, currency = profit.get("current") or {}, profit.get("currency_code")
    if currency and now.get("orders"):
        coverage = "-" if now.get("cogs_coverage") is None else f"{now['cogs_coverage']:.0%}"
        print(f"Profit, last 30 days: gross {money(now['gross_profit_minor'], currency)} (cost known for {coverage} of sales), "
              f"shipping {money(now['shipping_cost_minor'], currency)}, payment fees {money(now['payment_fees_minor'], currency)} "
              f"({money(now['payment_fees_from_shopify_minor'], currency)} from Shopify), ad spend {money(now['ad_spend_minor'], currency)}")
        print(f"  contribution margin {money(now['contribution_margin_minor'], currency)}, fixed expenses "
              f"{money(now['fixed_expenses_minor'], currency)}, net profit {money(now['net_profit_minor'], currency)}; "
              f"POAS {now['poas'] if now.get('poas') is not None else '-'}")
    if kpis.get("kpis"):
        print(f"KPIs, {kpis['from']} to {kpis['to']} (change against the {kpis['previous_from']} to {kpis['previous_to']}):")

        def shown(kpi):
            value = kpi["value"]
            if value is None:
                return "n/a"
            if kpi["kind"] == "money":
                return money(value, kpis["currency_code"])
            if kpi["kind"] == "ratio" and kpi["name"].endswith("rate") or kpi["name"] == "ctr":
                return f"{value:.2%}"
            return f"{value:,.2f}" if kpi["kind"] == "ratio" else f"{value:,.0f}"

        cells = [f"{k['name']} {shown(k)}" + (f" ({k['change']:+.1%})" if k.get("change") is not None else "") for k in kpis["kpis"]]
        for i in range(0, len(cells), 3):
            print("  " + "; ".join(cells[i:i + 3]))
    if alerts:
        print(f"Open alerts ({len(alerts)}):")
        for alert in alerts:
            print(f"  [{alert['severity']}] {alert['rule']}" + (f" {alert['subject']}" if alert.get("subject") else "") + f": {alert['message']}")
            print(f"      {alert['recommendation']}")
    if pipelines.get("pipelines"):
        print(f"Pipelines, the last {pipelines['window_days']} days (hours in {pipelines['time_zone']}):")
        for p in pipelines["pipelines"]:
            rate = "-" if p.get("success_rate") is None else f"{p['success_rate']:.0%}"
            print(f"  {p['pipeline']:<22} {p['runs']} runs, success {rate}, p50 {p.get('p50_duration_ms') or 0} ms, "
                  f"p95 {p.get('p95_duration_ms') or 0} ms, {p['retries']} retries, {p['deferrals']} deferrals; last {p['last_run']['outcome']}")
            for moved in p.get("moved_alerts") or []:
                print(f"  {'':<22} moved with it: [{moved['severity']}{', held back' if moved['held_back'] else ''}] "
                      f"{' '.join(filter(None, (moved['rule'], moved['subject'])))} ({moved['status']}, raised {moved['raised_at'][:16]})")
        for w in pipelines.get("rate_limit_windows", []):
            busy = [h for h in w["hours"] if h["calls"]]
            print(f"  {w['source']:<22} calls in hours {', '.join(str(h['hour']) for h in busy) or 'none'}; "
                  f"hours to avoid: {', '.join(map(str, w['hours_to_avoid'])) or 'none'}")
    sold = [day for day in year.get("days", []) if day.get("orders")]
    if sold:
        print(f"Days with sales:      {len(sold)}, from {sold[0]['date']} to {sold[-1]['date']} (the last 366 days)")
    print(f"Gateway:              {gateway.address}")
    print(f"Dashboard:            {gateway.address}/ (sign in with the API key below)")
    print(f"API key:              {gateway.key}")
    print()
    print(f"Try: curl -H 'X-Api-Key: <key>' {gateway.address}/api/ingest/runs")


def demo_cost_rules(gateway, shop):
    """The demo shop's cost rules, when it has none: a carrier's 450 minor units an order and 150,000 a month of fixed expenses."""
    rules = gateway.call(f"/api/costs/rules?shop={shop}")
    currency = (gateway.call(f"/api/profit?shop={shop}&days=30") or {}).get("currency_code")
    if rules is None or rules.get("rules") or not currency:
        return
    first = "2000-01-01"
    for rule in ({"kind": "shipping_per_order", "name": "Carrier (demo)", "amount_minor": 450},
                 {"kind": "fixed_monthly", "name": "Team and tools (demo)", "amount_minor": 150_000}):
        gateway.call(f"/api/costs/rules?shop={shop}", {**rule, "currency_code": currency, "effective_from": first})
    print(f"Added the demo's cost rules (a carrier's {money(450, currency)} an order, {money(150_000, currency)} a month of fixed expenses): "
          "see /api/costs/rules.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--key", required=True)
    parser.add_argument("--shop", required=True)
    parser.add_argument("--sandbox", help="the Sandbox's address: a Meta outage is played on it after the first syncs")
    arguments = parser.parse_args()
    gateway = Gateway(arguments.gateway, arguments.key)
    run, history = sync(gateway, arguments.shop)
    sync_marketing(gateway, arguments.shop)
    if arguments.sandbox:
        play_outage(gateway, arguments.sandbox, arguments.shop)
    demo_cost_rules(gateway, arguments.shop)
    report(gateway, arguments.shop, run, history)
    if run.get("status") != "completed":
        print("The sync did not complete; see .local/logs/.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
