// The 18 KPIs of the period, each with its change against the period before and whether that change is good, and its usual
// range (the 8 periods of its length before it that ended on the same weekday, when 4 of them are held); then the
// period's profit and new against returning customers, and its e-mail (when the shop has an e-mail source), shown the same way.
import { api, type Schemas } from "../api";
import { decimal, integer, money, percent } from "../format";
import { el, Tile } from "../tile";
import type { Period, Shop } from "../tiles";

type Kpi = Schemas["KpiView"];
type Kpis = Schemas["KpiReport"];
type Baseline = Schemas["KpiBaseline"];

const tile = new Tile("tile-kpis");

export const showKpis = (shop: Shop, period: Period) =>
  tile.load(() => api.get("/api/kpis", { shop: shop.shop, from: period.from, to: period.to }), kpis, "No KPIs yet for this shop.");

export const KpiLabels: Record<string, string> = {
  revenue: "Revenue", orders: "Orders", aov: "AOV", new_customers: "New customers", returning_customer_rate: "Returning customer rate",
  repeat_purchase_rate: "Repeat purchase rate", refund_rate: "Refund rate", units_per_order: "Units per order", ad_spend: "Ad spend",
  meta_spend: "Meta spend", google_spend: "Google Ads spend", blended_roas: "Blended ROAS", meta_roas: "Meta ROAS", google_roas: "Google Ads ROAS",
  cac: "CAC", ctr: "CTR", cpc: "CPC", conversion_rate: "Conversion rate",
};
const RoasLike = new Set(["blended_roas", "meta_roas", "google_roas", "units_per_order", "poas", "new_customer_roas"]);

/** The profit figures the tile shows, of those the API answers. */
export const ProfitLabels: Record<string, string> = {
  gross_profit: "Gross profit", gross_margin: "Gross margin", contribution_margin: "Contribution margin", net_profit: "Net profit", poas: "POAS",
  first_order_revenue: "First-order revenue", first_order_aov: "First-order AOV", returning_revenue_share: "Returning revenue share",
  new_customer_roas: "New-customer ROAS",
};

/** The e-mail figures, in the order the tile shows them. */
export const EmailLabels: Record<string, string> = {
  email_revenue: "E-mail revenue", email_revenue_share: "E-mail share of revenue", email_click_rate: "E-mail click rate",
  email_revenue_per_recipient: "Revenue per recipient", email_open_rate: "E-mail open rate", email_recipients: "E-mail recipients",
  email_unsubscribe_rate: "Unsubscribe rate", email_bounce_rate: "Bounce rate",
};

function kpiValue(kpi: Kpi, value: number | null, currency: string): string {
  if (value === null) return "–";
  if (kpi.kind === "money") return money(value, currency);
  if (kpi.kind === "count") return integer(value);
  return RoasLike.has(kpi.name) ? decimal(value) : percent(value, 2);
}

function kpis(data: Kpis): Node | null {
  if (data.kpis.length === 0) return null;
  const profit = data.profit.filter(figure => figure.name in ProfitLabels);
  const whole = data.profit_days === data.coverage.days;
  return el("div", {},
    el("p", { class: "period", text: `${data.from} to ${data.to}, against ${data.previous_from} to ${data.previous_to}` }),
    el("dl", { class: "kpis" }, ...data.kpis.map(kpi => card(kpi, KpiLabels[kpi.name] ?? kpi.name, "data-kpi", data.currency_code,
      data.baselines.find(b => b.name === kpi.name)))),
    el("h3", { text: "Profit and new against returning" }),
    whole ? null : el("p", { class: "state", text: `Profit figures have arrived for ${data.profit_days} of the ${data.coverage.days} days compared.` }),
    el("dl", { class: "kpis" }, ...profit.map(figure => card(figure, ProfitLabels[figure.name]!, "data-profit", data.currency_code))),
    data.email.length === 0 ? null : el("h3", { text: "E-mail" }),
    data.email.length === 0 ? null : el("dl", { class: "kpis" },
      ...data.email.filter(figure => figure.name in EmailLabels).map(figure => card(figure, EmailLabels[figure.name]!, "data-email-kpi", data.currency_code))));
}

function card(kpi: Kpi, label: string, attribute: "data-kpi" | "data-profit" | "data-email-kpi", currency: string, baseline?: Baseline): HTMLElement {
  const direction = kpi.change === null || kpi.change === 0 ? "flat" : kpi.change > 0 ? "up" : "down";
  // The API says which way each figure is better (none for spend).
  const good = direction === "flat" || kpi.better === null ? "flat" : (direction === "up") === (kpi.better === "higher") ? "good" : "bad";
  const arrow = direction === "up" ? "▲" : direction === "down" ? "▼" : "–";
  const said = direction === "flat" ? "no change" : `${direction} ${percent(Math.abs(kpi.change!))}, ${good === "good" ? "good" : good === "bad" ? "bad" : "neutral"}`;
  return el("div", { class: "kpi", [attribute]: kpi.name, "data-value": raw(kpi.value), "data-previous": raw(kpi.previous), "data-change": raw(kpi.change), "data-direction": direction, "data-good": good },
    el("dt", { text: label }),
    el("dd", { class: "value", text: kpiValue(kpi, kpi.value, currency) }),
    el("dd", { class: `change ${good}` },
      el("span", { "aria-hidden": "true", text: `${arrow} ${kpi.change === null ? "" : percent(Math.abs(kpi.change))}` }),
      el("span", { class: "visually-hidden", text: said }),
      ` (was ${kpiValue(kpi, kpi.previous, currency)})`),
    usual(kpi, baseline, currency));
}

/** The KPI's usual range for these weekdays, marked when the value lies outside it; nothing without a baseline. */
function usual(kpi: Kpi, baseline: Baseline | undefined, currency: string): HTMLElement | null {
  if (baseline?.low === null || baseline?.low === undefined || baseline.high === null || baseline.high === undefined) return null;
  // Money and counts to whole minor units and whole counts; nothing usual is below zero.
  const whole = kpi.kind !== "ratio";
  const low = Math.max(0, whole ? Math.round(baseline.low) : baseline.low);
  const high = whole ? Math.round(baseline.high) : baseline.high;
  return el("dd", { class: `usual${baseline.unusual ? " unusual" : ""}`, "data-low": raw(baseline.low), "data-high": raw(baseline.high),
    "data-unusual": String(baseline.unusual === true), title: `The ${baseline.weeks} periods of this length before it that ended on the same weekday` },
    `${baseline.unusual ? "outside its usual" : "usual"} ${kpiValue(kpi, low, currency)}–${kpiValue(kpi, high, currency)}`);
}

const raw = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
