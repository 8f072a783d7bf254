#!/usr/bin/env bash
# Runs the whole system locally against the Sandbox's demo shop, syncs it once through the gateway, prints a
# summary, and keeps running until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONFIGURATION=Release
cd "$ROOT"

deploy/local/infra.sh up
echo "Building..."
web/dashboard/build.sh
dotnet build GrowthOs.Services.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly

if [ -z "${GROWTHOS_API_KEY:-}" ]; then
  GROWTHOS_API_KEY="demo-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "No GROWTHOS_API_KEY set: generated a demo key for this run."
fi
export GROWTHOS_API_KEY
# The Sandbox finishes a bulk query in 3 s; poll it every 2 s instead of Shopify's 16 s.
export GROWTHOS_POLL_INTERVAL_SECONDS="${GROWTHOS_POLL_INTERVAL_SECONDS:-2}"

source deploy/local/services.sh
trap 'echo; echo "Stopping services..."; stop_services; echo "Stopped."; exit 0' INT TERM
for service in "${SERVICES[@]}"; do start_service "$service"; done
for service in "${SERVICES[@]}"; do wait_ready "$service" 90 || { stop_services; exit 1; }; done
echo "All services ready (logs in .local/logs/)."

GATEWAY=http://127.0.0.1:8080
api() { curl -fsS -H "X-Api-Key: $GROWTHOS_API_KEY" "$@"; }
# POSTs a connection (its JSON body, what it connects) and says what came of it; fails when the API refused it.
connect() {
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "X-Api-Key: $GROWTHOS_API_KEY" -H 'Content-Type: application/json' -d "$1" "$GATEWAY/api/connections")
  case "$code" in
    201|202) echo "Connected $2." ;;
    409) echo "$2 was connected already." ;;
    *) echo "Connecting $2 failed ($code); see GET $GATEWAY/api/connections" >&2; return 1 ;;
  esac
}

# Connect the shop as a user does, through the API: Shopify's install flow (the Sandbox's consent page approves at once;
# a real shop's merchant approves in the browser), or the custom app's token.
if [ "${#INSTALL_ENV[@]}" -gt 0 ] && [ -z "${GROWTHOS_SHOP_TOKEN:-}" ]; then
  authorize=$(api -H 'Accept: application/json' "$GATEWAY/api/connections/shopify/install?shop=$SHOP_DOMAIN" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["authorize_url"])')
  if [ -n "${GROWTHOS_SHOPIFY_BASE_URL:-}" ]; then
    echo "Open this address to install the app on $SHOP_DOMAIN, then press Enter:"
    echo "  $authorize"
    read -r _
  else
    callback=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$authorize")
    landing=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$callback")
    echo "Connected $SHOP_DOMAIN through Shopify's install flow: ${landing#*\?}"
  fi
else
  connect "{\"shop\":\"$SHOP_DOMAIN\",\"access_token\":\"${GROWTHOS_SHOP_TOKEN:-}\"}" "$SHOP_DOMAIN" || { stop_services; exit 1; }
fi
# The demo shop's ad accounts, connected as a user connects them: the Meta ad account with its token, the Google Ads
# customer and the GA4 property through Google's consent page (the Sandbox's approves at once).
for demo in "${DEMO_ACCOUNTS[@]}"; do
  read -r provider account token <<<"$demo"
  if [ "$provider" = meta ]; then
    connect "{\"shop\":\"$SHOP_DOMAIN\",\"provider\":\"meta\",\"account\":\"$account\",\"access_token\":\"$token\"}" \
      "Meta ad account act_$account" || true
  elif authorize=$(api -H 'Accept: application/json' "$GATEWAY/api/connections/google/authorize?shop=$SHOP_DOMAIN&provider=$provider&account=$account" 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["authorize_url"])'); then
    callback=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$authorize")
    landing=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$callback")
    echo "Connected $provider $account through Google's consent: ${landing#*\?}"
  else
    echo "$provider $account was connected already (or see GET $GATEWAY/api/connections)."
  fi
done
# The Ingest-Saga hears of the connection within a second.
for _ in $(seq 1 20); do
  accepted=$(api -X POST -H 'Content-Type: application/json' -d "{\"initiator\":\"user\",\"shop\":\"$SHOP_DOMAIN\"}" "$GATEWAY/api/performance-metrics/sync" 2>/dev/null) && break
  sleep 0.5
done
run_id=$(echo "$accepted" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')
echo "Sync $run_id started; waiting for it..."

DESCRIBE_STEP=$(cat <<'PY'
import json, sys
run = json.loads(sys.argv[1] or "{}")
load = run.get("load") or {}
progress = f" {load['records_committed']:,} records committed" if load else ""
if load.get("share_read") is not None:
    progress += f", {load['share_read']:.0%} of the file read"
print(f"{run.get('status', '')} {run.get('entity', '')}{progress}")
PY
)
status=""
shown=""
for _ in $(seq 1 300); do
  run=$(api "$GATEWAY/api/ingest/runs/$run_id" 2>/dev/null || true)
  status=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get("status",""))' "$run")
  [[ "$status" == completed || "$status" == partial || "$status" == failed ]] && break
  # The step under way, each time it changes, and a load's progress (records committed, share of the file read).
  line="  $(python3 -c "$DESCRIBE_STEP" "$run")"
  [[ -n "$status" && "$line" != "$shown" ]] && echo "$line" && shown="$line"
  sleep 1
done

# A shop's first sync asks for its history (every order before the 128-day floor) as a backfill run of its own.
history_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get("history_run_id") or "")' "$run")
history="{}"
if [[ -n "$history_id" ]]; then
  echo "Loading the shop's history (orders before the floor) in run $history_id..."
  for _ in $(seq 1 600); do
    history=$(api "$GATEWAY/api/ingest/runs/$history_id" 2>/dev/null || echo '{}')
    history_status=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get("status",""))' "$history")
    [[ "$history_status" == completed || "$history_status" == partial || "$history_status" == failed ]] && break
    sleep 1
  done
fi

# Then the shop's marketing sources (Meta, Google Ads, GA4), one run each.
marketing="{}"
if [ "${#MARKETING_SOURCES[@]}" -gt 0 ]; then
  echo "Syncing the marketing sources (${MARKETING_SOURCES[*]})..."
  marketing=$(api -X POST -H 'Content-Type: application/json' -d "{\"shop\":\"$SHOP_DOMAIN\"}" "$GATEWAY/api/marketing/sync" || echo '{}')
  for marketing_run in $(python3 -c 'import json,sys; print(" ".join(r["run_id"] for r in json.loads(sys.argv[1] or "{}").get("runs", [])))' "$marketing"); do
    for _ in $(seq 1 300); do
      marketing_status=$(api "$GATEWAY/api/ingest/runs/$marketing_run" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status",""))' || true)
      [[ "$marketing_status" == completed || "$marketing_status" == partial || "$marketing_status" == failed ]] && break
      sleep 1
    done
    api "$GATEWAY/api/ingest/runs/$marketing_run" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  %-11s %-10s %s to %s, %s pages, %s rows%s" % (r["source"], r["status"], r["since"], r["until"], r["counts"]["pages"], r["counts"]["records_upserted"], " (" + r["error"] + ")" if r.get("error") else ""))'
  done
fi
ads=$(api "$GATEWAY/api/dashboard/marketing?shop=$SHOP_DOMAIN&days=30" || echo '{}')
kpis=$(api "$GATEWAY/api/kpis?shop=$SHOP_DOMAIN" 2>/dev/null || echo '{}')
alerts=$(api "$GATEWAY/api/alerts?shop=$SHOP_DOMAIN" 2>/dev/null || echo '{}')
pipelines=$(api "$GATEWAY/analytics/pipelines?shop=$SHOP_DOMAIN" 2>/dev/null || echo '{}')

pulse=$(api "$GATEWAY/api/dashboard/sales-pulse?shop=${GROWTHOS_SHOP:-demo-shop.myshopify.com}&days=30" || echo '{}')
year=$(api "$GATEWAY/api/dashboard/sales-pulse?shop=${GROWTHOS_SHOP:-demo-shop.myshopify.com}&days=366" || echo '{}')
python3 - "$run" "$pulse" "$GATEWAY" "$GROWTHOS_API_KEY" "$history" "$year" "$ads" "$kpis" "$alerts" "$pipelines" <<'PY'
import json, sys
run, pulse, gateway, key = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
history, year, ads = json.loads(sys.argv[5] or "{}"), json.loads(sys.argv[6] or "{}"), json.loads(sys.argv[7] or "{}")
kpis = json.loads(sys.argv[8] or "{}")
alerts = json.loads(sys.argv[9] or "{}").get("alerts", [])
pipelines = json.loads(sys.argv[10] or "{}")
print()
print(f"Sync {run['run_id']}: {run['status']}" + (f" at {run['failed_step']}: {run['error']}" if run.get('error') else ""))
for step in run.get("steps", []):
    duration = f"{step['duration_ms']} ms" if step.get("duration_ms") is not None else ""
    print(f"  {step['step']:<13} {step.get('entity') or '':<10} {step['started_at']}  {duration}")
counts = run.get("counts", {})
print(f"Orders synced:        {counts.get('orders_upserted', 0)} ({counts.get('line_items_upserted', 0)} line items)")
for entity in run.get("entities", []):
    print(f"  {entity['entity']:<10} {entity['status']:<8} {entity['records']} records" + (f" ({entity['error']})" if entity.get("error") else ""))
if history.get("run_id"):
    counts = history.get("counts", {})
    print(f"History (backfill {history['run_id']}): {history['status']}, {counts.get('orders_upserted', 0)} orders created before "
          f"{(history.get('backfill_before') or '')[:10]}")
if pulse.get("currency_code"):
    exponent = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}.get(pulse["currency_code"], 2)
    revenue = pulse["revenue_minor"] / 10 ** exponent
    print(f"Revenue, last 30 days: {revenue:,.{exponent}f} {pulse['currency_code']} over {pulse['orders']} orders")
totals = ads.get("totals") or {}
if totals.get("spend_minor") is not None and (ads.get("currency_code") or pulse.get("currency_code")):
    currency = ads.get("currency_code") or pulse["currency_code"]
    exponent = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}.get(currency, 2)
    money = lambda minor: f"{minor / 10 ** exponent:,.{exponent}f} {currency}"
    by_source = totals.get("spend_by_source", {})
    print(f"Ad spend, last 30 days: {money(totals['spend_minor'])} (Meta {money(by_source.get('meta', 0))}, Google Ads {money(by_source.get('google_ads', 0))})"
          + (f", blended ROAS {totals['blended_roas']:.2f} on revenue {money(totals['revenue_minor'])}" if totals.get("blended_roas") is not None else ""))
    channels = ", ".join(f"{name} {count:,}" for name, count in sorted(totals.get("sessions_by_channel_group", {}).items(), key=lambda c: -c[1]))
    print(f"Sessions, last 30 days: {totals.get('sessions', 0):,} ({channels})")
if kpis.get("kpis"):
    print(f"KPIs, {kpis['from']} to {kpis['to']} (change against the {kpis['previous_from']} to {kpis['previous_to']}):")
    exponent = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}.get(kpis.get("currency_code"), 2)
    def shown(kpi):
        value = kpi["value"]
        if value is None: return "n/a"
        if kpi["kind"] == "money": return f"{value / 10 ** exponent:,.{exponent}f} {kpis['currency_code']}"
        if kpi["kind"] == "ratio" and kpi["name"].endswith("rate") or kpi["name"] == "ctr": return f"{value:.2%}"
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
        print(f"  {p['pipeline']:<22} {p['runs']} runs, success {rate}, p50 {p.get('p50_duration_ms') or 0} ms, p95 {p.get('p95_duration_ms') or 0} ms, "
              f"{p['retries']} retries, {p['deferrals']} deferrals; last {p['last_run']['outcome']}")
    for w in pipelines.get("rate_limit_windows", []):
        busy = [h for h in w["hours"] if h["calls"]]
        print(f"  {w['source']:<22} calls in hours {', '.join(str(h['hour']) for h in busy) or 'none'}; hours to avoid: {', '.join(map(str, w['hours_to_avoid'])) or 'none'}")
sold = [day for day in year.get("days", []) if day.get("orders")]
if sold:
    print(f"Days with sales:      {len(sold)}, from {sold[0]['date']} to {sold[-1]['date']} (the last 366 days)")
print(f"Gateway:              {gateway}")
print(f"Dashboard:            {gateway}/ (sign in with the API key below)")
print(f"API key:              {key}")
print()
print("Try: curl -H 'X-Api-Key: <key>' " + gateway + "/api/ingest/runs")
PY
[[ "$status" == completed ]] || echo "The sync did not complete; see .local/logs/." >&2
echo "Running. Press Ctrl-C to stop."
wait
