// Ad spend per source against revenue, blended ROAS, and ROAS per campaign with its estimated POAS.
import { api, type Schemas } from "../api";
import { chart, Colors, major } from "../charts";
import { day, decimal, money } from "../format";
import { el, figures, table, Tile } from "../tile";
import { range, type Period, type Shop } from "../tiles";

type Marketing = Schemas["MarketingDashboard"];
type Campaigns = Schemas["CampaignPerformanceList"];

const tile = new Tile("tile-marketing");

export const showMarketing = (shop: Shop, period: Period) =>
  tile.load(() => Promise.all([
    api.get("/api/dashboard/marketing", { shop: shop.shop, ...range(period) }),
    api.get("/api/marketing/campaigns", { shop: shop.shop, from: period.from, to: period.to }),
  ]), ([daily, campaigns]) => marketing(daily, campaigns), "No marketing data in this period.");

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
    table([{ text: "Campaign" }, { text: "Source" }, { text: "Spend", num: true }, { text: "Conversion value", num: true }, { text: "ROAS", num: true },
      { text: "Est. POAS", num: true }],
      campaigns.campaigns.map(c => [c.name, c.source === "meta" ? "Meta" : "Google Ads", money(c.spend_minor, c.currency_code), money(c.conversion_value_minor, c.currency_code), decimal(c.roas),
        decimal(c.estimated_poas ?? null)]),
      "Return on ad spend per campaign, biggest spend first; the estimated POAS is the platform's conversion value × the shop's gross margin, over the spend"));
}
