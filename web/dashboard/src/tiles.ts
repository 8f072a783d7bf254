// The dashboard's tiles: each reads one or two of the gateway's read APIs and shows the same figures, in the shop's
// currency and reporting time zone, with its own loading, empty and error states.
import { api } from "./api";
import { chart, Colors } from "./charts";
import { dateTime, day, decimal, integer, minorDigits, money, percent } from "./format";
import { el, figures, table, Tile } from "./tile";

export interface Shop {
  shop: string;
  currency_code: string | null;
  time_zone: string;
  last_day: string | null;
}

/** Presets are the last `days` days up to yesterday; a custom period has no `days`. */
export interface Period {
  days: number | null;
  from: string;
  to: string;
}

const tiles = {
  sales: new Tile("tile-sales"),
  kpis: new Tile("tile-kpis"),
  alerts: new Tile("tile-alerts"),
  inventory: new Tile("tile-inventory"),
  segments: new Tile("tile-segments"),
  marketing: new Tile("tile-marketing"),
  pipeline: new Tile("tile-pipeline"),
};

const range = (period: Period) => (period.days ? { days: period.days } : { from: period.from, to: period.to });

export async function renderTiles(shop: Shop, period: Period): Promise<void> {
  const board = document.getElementById("dashboard")!;
  const showing = `${shop.shop}|${period.from}|${period.to}`;
  board.dataset.showing = showing;
  delete board.dataset.loaded;
  await Promise.all([
    tiles.sales.load(() => api.get<SalesPulse>("/api/dashboard/sales-pulse", { shop: shop.shop, ...range(period) }), sales, "No sales in this period."),
    tiles.kpis.load(() => api.get<Kpis>("/api/kpis", { shop: shop.shop, from: period.from, to: period.to }), kpis, "No KPIs yet for this shop."),
    tiles.alerts.load(() => Promise.all([
      api.get<Alerts>("/api/alerts", { shop: shop.shop, status: "open" }),
      api.get<Alerts>("/api/alerts", { shop: shop.shop, status: "resolved" }),
    ]), ([open, resolved]) => alerts(open, resolved, shop), "No alerts, open or resolved."),
    tiles.inventory.load(() => api.get<Inventory>("/api/dashboard/inventory-alerts", { shop: shop.shop }), inventory, "No variant is out of stock, low or overstocked."),
    tiles.segments.load(() => api.get<Segments>("/api/dashboard/customer-segments", { shop: shop.shop }), segments, "No customers yet."),
    tiles.marketing.load(() => Promise.all([
      api.get<Marketing>("/api/dashboard/marketing", { shop: shop.shop, ...range(period) }),
      api.get<Campaigns>("/api/marketing/campaigns", { shop: shop.shop, from: period.from, to: period.to }),
    ]), ([daily, campaigns]) => marketing(daily, campaigns), "No marketing data in this period."),
    tiles.pipeline.load(() => Promise.all([
      api.get<Runs>("/api/ingest/runs", { shop: shop.shop, pageSize: 10 }),
      api.get<Pipelines>("/analytics/pipelines", { shop: shop.shop }),
    ]), ([runs, pipelines]) => pipeline(runs, pipelines, shop), "No runs yet for this shop."),
  ]);
  // Every tile has drawn what it read for this shop and period (or its empty or error state).
  if (board.dataset.showing === showing) board.dataset.loaded = showing;
}

// ---- sales pulse ----
interface SalesDay { date: string; orders: number; revenue_minor: number; net_sales_minor: number; fulfillment_rate: number }
interface SalesPulse {
  currency_code: string | null; from: string; to: string; orders: number; revenue_minor: number; aov_minor: number; net_sales_minor: number;
  fulfillment_rate: number; days: SalesDay[];
}

function sales(pulse: SalesPulse): Node | null {
  if (pulse.days.length === 0) return null;
  const currency = pulse.currency_code;
  return el("div", {},
    figures([
      ["Revenue", money(pulse.revenue_minor, currency), pulse.revenue_minor, "revenue"],
      ["Orders", integer(pulse.orders), pulse.orders, "orders"],
      ["AOV", money(pulse.aov_minor, currency), pulse.aov_minor, "aov"],
      ["Fulfillment rate", percent(pulse.fulfillment_rate), pulse.fulfillment_rate, "fulfillment_rate"],
      ["Net sales", money(pulse.net_sales_minor, currency), pulse.net_sales_minor, "net_sales"],
    ]),
    chart("sales", `Revenue and orders per day from ${pulse.from} to ${pulse.to}`, {
      type: "bar",
      data: {
        labels: pulse.days.map(d => day(d.date)),
        datasets: [
          { type: "line", label: `Revenue (${currency ?? ""})`, data: pulse.days.map(d => major(d.revenue_minor, currency)), borderColor: Colors.revenue, backgroundColor: Colors.revenue, yAxisID: "revenue", pointRadius: 0 },
          { type: "bar", label: "Orders", data: pulse.days.map(d => d.orders), backgroundColor: Colors.orders, yAxisID: "orders" },
        ],
      },
      options: {
        scales: { revenue: { position: "left", beginAtZero: true }, orders: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } },
        plugins: { tooltip: { callbacks: { label: item => item.dataset.yAxisID === "revenue" ? money(pulse.days[item.dataIndex].revenue_minor, currency) : `${integer(item.parsed.y)} orders` } } },
      },
    }));
}

/** Minor units as a number of major units, for a chart's scale only: figures shown as text are formatted exactly. */
function major(minor: number, currency: string | null): number {
  return minor / 10 ** (currency ? minorDigits(currency) : 0);
}

// ---- KPIs ----
interface Kpi { name: string; kind: "money" | "count" | "ratio"; better: "higher" | "lower" | null; value: number | null; previous: number | null; change: number | null }
interface Kpis { currency_code: string; from: string; to: string; previous_from: string; previous_to: string; kpis: Kpi[] }

export const KpiLabels: Record<string, string> = {
  revenue: "Revenue", orders: "Orders", aov: "AOV", new_customers: "New customers", returning_customer_rate: "Returning customer rate",
  repeat_purchase_rate: "Repeat purchase rate", refund_rate: "Refund rate", units_per_order: "Units per order", ad_spend: "Ad spend",
  meta_spend: "Meta spend", google_spend: "Google Ads spend", blended_roas: "Blended ROAS", meta_roas: "Meta ROAS", google_roas: "Google Ads ROAS",
  cac: "CAC", ctr: "CTR", cpc: "CPC", conversion_rate: "Conversion rate",
};
const RoasLike = new Set(["blended_roas", "meta_roas", "google_roas", "units_per_order"]);

function kpiValue(kpi: Kpi, value: number | null, currency: string): string {
  if (value === null) return "–";
  if (kpi.kind === "money") return money(value, currency);
  if (kpi.kind === "count") return integer(value);
  return RoasLike.has(kpi.name) ? decimal(value) : percent(value, 2);
}

function kpis(data: Kpis): Node | null {
  if (data.kpis.length === 0) return null;
  return el("div", {},
    el("p", { class: "period", text: `${data.from} to ${data.to}, against ${data.previous_from} to ${data.previous_to}` }),
    el("dl", { class: "kpis" }, ...data.kpis.map(kpi => {
      const direction = kpi.change === null || kpi.change === 0 ? "flat" : kpi.change > 0 ? "up" : "down";
      // The API says which way each KPI is better (none for spend).
      const good = direction === "flat" || kpi.better === null ? "flat" : (direction === "up") === (kpi.better === "higher") ? "good" : "bad";
      const arrow = direction === "up" ? "▲" : direction === "down" ? "▼" : "–";
      const said = direction === "flat" ? "no change" : `${direction} ${percent(Math.abs(kpi.change!))}, ${good === "good" ? "good" : good === "bad" ? "bad" : "neutral"}`;
      return el("div", { class: "kpi", "data-kpi": kpi.name, "data-value": raw(kpi.value), "data-previous": raw(kpi.previous), "data-change": raw(kpi.change), "data-direction": direction, "data-good": good },
        el("dt", { text: KpiLabels[kpi.name] ?? kpi.name }),
        el("dd", { class: "value", text: kpiValue(kpi, kpi.value, data.currency_code) }),
        el("dd", { class: `change ${good}` },
          el("span", { "aria-hidden": "true", text: `${arrow} ${kpi.change === null ? "" : percent(Math.abs(kpi.change))}` }),
          el("span", { class: "visually-hidden", text: said }),
          ` (was ${kpiValue(kpi, kpi.previous, data.currency_code)})`));
    })));
}

const raw = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));

// ---- alerts ----
interface Alert { alert_id: string; rule: string; subject: string; severity: string; message: string; recommendation: string; raised_at: string; resolved_at: string | null }
interface Alerts { alerts: Alert[] }

function alerts(open: Alerts, resolved: Alerts, shop: Shop): Node | null {
  if (open.alerts.length === 0 && resolved.alerts.length === 0) return null;
  const item = (a: Alert) => el("li", { class: `alert ${a.severity}`, "data-alert": a.alert_id, "data-rule": a.rule },
    el("span", { class: "severity", text: a.severity }), " ", el("strong", { text: a.rule.replaceAll("_", " ") }), a.subject ? ` · ${a.subject}` : "",
    el("p", { text: a.message }),
    el("p", {}, el("em", { text: "Recommendation: " }), a.recommendation),
    el("p", { class: "state", text: a.resolved_at ? `Resolved ${dateTime(a.resolved_at, shop.time_zone)}` : `Raised ${dateTime(a.raised_at, shop.time_zone)}` }));
  return el("div", {},
    el("h3", { text: `Open (${open.alerts.length})` }),
    open.alerts.length ? el("ul", { class: "alerts", "data-list": "open" }, ...open.alerts.map(item)) : el("p", { class: "state", text: "No open alert." }),
    el("h3", { text: "Recently resolved" }),
    resolved.alerts.length ? el("ul", { class: "alerts", "data-list": "resolved" }, ...resolved.alerts.slice(0, 5).map(item)) : el("p", { class: "state", text: "None resolved yet." }));
}

// ---- inventory ----
interface StockAlert { variant_id: number; sku: string | null; product_title: string | null; variant_title: string | null; quantity_available: number; daily_velocity: number; days_of_cover: number | null; stock_status: string; severity: string }
interface Inventory { snapshot_date: string | null; counts: Record<string, number>; alerts: StockAlert[] }

const Statuses: Record<string, string> = { out_of_stock: "Out of stock", low_stock: "Low stock", overstock: "Overstock" };

function inventory(data: Inventory): Node | null {
  if (data.alerts.length === 0) return null;
  return el("div", {},
    figures(Object.entries(Statuses).map(([status, label]) => [label, integer(data.counts[status] ?? 0), data.counts[status] ?? 0, status])),
    el("p", { class: "state", text: `Stock on ${data.snapshot_date}, most urgent first` }),
    table([{ text: "Product" }, { text: "SKU" }, { text: "Available", num: true }, { text: "Sold a day", num: true }, { text: "Days of cover", num: true }, { text: "Status" }],
      data.alerts.map(a => [
        [a.product_title, a.variant_title].filter(Boolean).join(" · ") || `Variant ${a.variant_id}`, a.sku ?? "–", integer(a.quantity_available),
        decimal(a.daily_velocity), a.days_of_cover === null ? "–" : decimal(a.days_of_cover, 1), Statuses[a.stock_status] ?? a.stock_status,
      ]), "Variants out of stock, low or overstocked", "scroll"));
}

// ---- segments ----
interface Segment { segment: string; customers: number; orders: number; spent_minor: number; lifecycle: Record<string, number> }
interface Segments { as_of_date: string | null; currency_code: string | null; customers: number; segments: Segment[]; lifecycle: Record<string, number> }

const Stages: [string, string][] = [["active", "Active"], ["at_risk", "At risk"], ["churned", "Churned"]];

function segments(data: Segments): Node | null {
  if (data.segments.length === 0) return null;
  return el("div", {},
    figures([["Customers", integer(data.customers), data.customers, "customers"], ...Stages.map(([stage, label]) =>
      [label, integer(data.lifecycle[stage] ?? 0), data.lifecycle[stage] ?? 0, stage] as [string, string, number, string])]),
    chart("segments", `Customers by segment and lifecycle stage on ${data.as_of_date}`, {
      type: "bar",
      data: {
        labels: data.segments.map(s => s.segment),
        datasets: Stages.map(([stage, label]) => ({ label, data: data.segments.map(s => s.lifecycle[stage] ?? 0), backgroundColor: Colors[stage as keyof typeof Colors] })),
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
    }),
    table([{ text: "Segment" }, ...Stages.map(([, label]) => ({ text: label, num: true })), { text: "Spent", num: true }],
      data.segments.map(s => [s.segment, ...Stages.map(([stage]) => integer(s.lifecycle[stage] ?? 0)), money(s.spent_minor, data.currency_code)]), "Customers by segment"));
}

// ---- marketing ----
interface MarketingFigures { spend_minor: number; spend_by_source: Record<string, number>; revenue_minor: number; blended_roas: number | null; sessions: number }
interface Marketing { currency_code: string | null; from: string; to: string; totals: MarketingFigures; days: { date: string; figures: MarketingFigures }[] }
interface Campaign { source: string; campaign_id: string; name: string; currency_code: string; comparable: boolean; spend_minor: number; conversion_value_minor: number; roas: number | null }
interface Campaigns { campaigns: Campaign[] }

const Sources: [string, string][] = [["meta", "Meta"], ["google_ads", "Google Ads"]];

function marketing(data: Marketing, campaigns: Campaigns): Node | null {
  if (data.days.length === 0 && campaigns.campaigns.length === 0) return null;
  const currency = data.currency_code;
  return el("div", {},
    figures([
      ["Ad spend", money(data.totals.spend_minor, currency), data.totals.spend_minor, "spend"],
      ...Sources.map(([source, label]) => [`${label} spend`, money(data.totals.spend_by_source[source] ?? 0, currency), data.totals.spend_by_source[source] ?? 0, `spend_${source}`] as [string, string, number, string]),
      ["Revenue", money(data.totals.revenue_minor, currency), data.totals.revenue_minor, "revenue"],
      ["Blended ROAS", decimal(data.totals.blended_roas), data.totals.blended_roas, "blended_roas"],
    ]),
    chart("marketing", `Ad spend per source against revenue per day from ${data.from} to ${data.to}`, {
      type: "bar",
      data: {
        labels: data.days.map(d => day(d.date)),
        datasets: [
          ...Sources.map(([source, label]) => ({ type: "bar" as const, label: `${label} spend`, data: data.days.map(d => major(d.figures.spend_by_source[source] ?? 0, currency)), backgroundColor: Colors[source as keyof typeof Colors], stack: "spend" })),
          { type: "line" as const, label: "Revenue", data: data.days.map(d => major(d.figures.revenue_minor, currency)), borderColor: Colors.revenue, backgroundColor: Colors.revenue, pointRadius: 0 },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { beginAtZero: true, stacked: false } } },
    }),
    el("h3", { text: "ROAS per campaign" }),
    table([{ text: "Campaign" }, { text: "Source" }, { text: "Spend", num: true }, { text: "Conversion value", num: true }, { text: "ROAS", num: true }],
      campaigns.campaigns.map(c => [c.name, c.source === "meta" ? "Meta" : "Google Ads", money(c.spend_minor, c.currency_code), money(c.conversion_value_minor, c.currency_code), decimal(c.roas)]),
      "Return on ad spend per campaign, biggest spend first"));
}

// ---- pipeline health ----
interface Step { step: string; entity: string | null; started_at: string; ended_at: string | null; duration_ms: number | null }
interface Run { run_id: string; job_type: string; status: string; source?: string; requested_at: string; steps: Step[]; error: string | null }
interface Runs { items: Run[] }
interface Hour { hour: number; calls: number; throttled: number; max_usage_percent: number | null; avoid: boolean }
interface Pipelines { time_zone: string; rate_limit_windows: { source: string; hours: Hour[]; hours_to_avoid: number[] }[] }

const StepColors: Record<string, string> = {
  initiated: "#c7cfdb", requested: "#9aa9c7", polling: "#6b86c9", fetching: "#6b86c9", downloading: "#2f5bd3", archiving: "#2f5bd3",
  upserting: "#1b7f3b", transforming: "#7b4fc9", completed: "#0b4a22", partial: "#d99a00", failed: "#b3261e",
};

function pipeline(runs: Runs, pipelines: Pipelines, shop: Shop): Node | null {
  if (runs.items.length === 0 && pipelines.rate_limit_windows.length === 0) return null;
  const timeline = el("ol", { class: "timeline", "aria-label": "The last runs, newest first" }, ...runs.items.map(run => {
    const total = Math.max(1, run.steps.reduce((sum, s) => sum + (s.duration_ms ?? 0), 0));
    const steps = el("span", { class: "steps" }, ...run.steps.map(s => {
      const part = el("span", { title: `${s.step}${s.entity ? ` ${s.entity}` : ""}: ${s.duration_ms === null ? "now" : `${decimal(s.duration_ms / 1000, 1)} s`}` });
      part.style.flexGrow = String(s.duration_ms ?? 0);
      part.style.flexBasis = `${s.duration_ms === null ? 3 : Math.max(0.5, (100 * s.duration_ms) / total)}%`;
      part.style.background = StepColors[s.step] ?? "#c7cfdb";
      return part;
    }));
    const described = run.steps.map(s => `${s.step}${s.entity ? ` ${s.entity}` : ""}`).join(", ");
    return el("li", { "data-run": run.run_id, "data-status": run.status },
      el("span", {}, el("strong", { text: run.status }), ` ${run.source ?? run.job_type.toLowerCase().replaceAll("_", " ")}`, el("br"), dateTime(run.requested_at, shop.time_zone)),
      el("span", {}, steps, el("span", { class: "visually-hidden", text: `Steps: ${described}` })));
  }));
  const legend = el("p", { class: "legend" }, ...Object.entries(StepColors).map(([step, color]) => {
    const swatch = el("i");
    swatch.style.background = color;
    return el("span", {}, swatch, step);
  }));
  const heat = el("div", { class: "heat", role: "table", "aria-label": `API calls by hour of day (${shop.time_zone}); hours to avoid are marked` },
    el("span", { role: "columnheader", text: "Hour" }), ...Array.from({ length: 24 }, (_, h) => el("span", { role: "columnheader", text: String(h) })),
    ...pipelines.rate_limit_windows.flatMap(window => [
      el("span", { role: "rowheader", text: window.source }),
      ...window.hours.map(hour => {
        const usage = hour.max_usage_percent ?? (hour.calls > 0 ? 10 : 0);
        const cell = el("span", {
          class: "cell", role: "cell", "data-source": window.source, "data-hour": String(hour.hour), "data-calls": String(hour.calls), "data-avoid": String(hour.avoid),
          title: `${window.source} ${hour.hour}:00: ${hour.calls} calls, ${hour.throttled} throttled${hour.max_usage_percent === null ? "" : `, peak usage ${decimal(hour.max_usage_percent, 0)} %`}${hour.avoid ? ", avoid" : ""}`,
          "aria-label": `${hour.hour}:00 ${hour.calls} calls${hour.avoid ? ", avoid" : ""}`,
        });
        cell.style.background = hour.calls === 0 ? "" : `rgba(47, 91, 211, ${Math.min(1, 0.15 + usage / 100)})`;
        if (hour.avoid) cell.style.outline = "2px solid #b3261e";
        return cell;
      }),
    ]));
  return el("div", {},
    el("h3", { text: "Last runs" }), runs.items.length ? timeline : el("p", { class: "state", text: "No runs yet." }), legend,
    el("h3", { text: "Rate-limit windows by hour of day" }),
    pipelines.rate_limit_windows.length ? el("div", { class: "heat-wrap" }, heat) : el("p", { class: "state", text: "No API calls recorded in the last week." }));
}
