// Ad spend per source against revenue, blended ROAS, ROAS per campaign with its estimated POAS, and e-mail beside the ad
// platforms: what Klaviyo's flows and campaigns sent and earned.
import { api, type Schemas } from "../api";
import { chart, Colors, major } from "../charts";
import { day, decimal, integer, money, percent } from "../format";
import { el, figures, table, Tile } from "../tile";
import { range, type Period, type Shop } from "../tiles";

type Marketing = Schemas["MarketingDashboard"];
type Campaigns = Schemas["CampaignPerformanceList"];
type Email = Schemas["EmailReport"];

const tile = new Tile("tile-marketing");

export const showMarketing = (shop: Shop, period: Period) =>
  tile.load(() => Promise.all([
    api.get("/api/dashboard/marketing", { shop: shop.shop, ...range(period) }),
    api.get("/api/marketing/campaigns", { shop: shop.shop, from: period.from, to: period.to }),
    api.get("/api/marketing/email", { shop: shop.shop, from: period.from, to: period.to }),
  ]), ([daily, campaigns, email]) => marketing(daily, campaigns, email), "No marketing data in this period.");

const Sources: [string, string][] = [["meta", "Meta"], ["google_ads", "Google Ads"]];

function marketing(data: Marketing, campaigns: Campaigns, email: Email): Node | null {
  if (data.days.length === 0 && campaigns.campaigns.length === 0 && email.messages.length === 0) return null;
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
      "Return on ad spend per campaign, biggest spend first; the estimated POAS is the platform's conversion value × the shop's gross margin, over the spend"),
    emailSection(email));
}

/** E-mail of the period: what it sent and earned against the period before, and each flow and campaign e-mail, most revenue first. */
function emailSection(email: Email): Node {
  if (email.messages.length === 0) return el("div", {}, el("h3", { text: "E-mail" }), el("p", { class: "state", text: "No e-mail in this period." }));
  const currency = email.currency_code;
  const now = email.current;
  return el("div", { "data-section": "email" },
    el("h3", { text: "E-mail" }),
    figures([
      ["E-mail revenue", money(now.revenue_minor, currency), now.revenue_minor, "email_revenue"],
      ["Share of net sales", percent(now.share_of_revenue ?? null), now.share_of_revenue ?? null, "email_share_of_revenue"],
      ["Recipients", integer(now.recipients), now.recipients, "email_recipients"],
      ["Open rate", percent(now.open_rate ?? null), now.open_rate ?? null, "email_open_rate"],
      ["Click rate", percent(now.click_rate ?? null), now.click_rate ?? null, "email_click_rate"],
      ["Revenue per recipient", money(now.revenue_per_recipient_minor ?? null, currency), now.revenue_per_recipient_minor ?? null, "email_revenue_per_recipient"],
    ]),
    table([{ text: "E-mail" }, { text: "Flow or campaign" }, { text: "Recipients", num: true }, { text: "Open rate", num: true }, { text: "Click rate", num: true },
      { text: "Revenue", num: true }],
    email.messages.map(m => [
      el("span", { "data-email": m.message_id, text: `${m.message_name ?? m.parent_name ?? m.message_id}${m.transactional ? " (transactional)" : ""}` }),
      `${m.kind === "flow" ? "Flow" : "Campaign"}: ${m.parent_name ?? "–"}`, integer(m.recipients),
      percent(m.delivered === 0 ? null : m.opens / m.delivered), percent(m.delivered === 0 ? null : m.clicks / m.delivered), money(m.revenue_minor, currency)]),
    "Each e-mail of the period, most revenue first: its recipients, unique open and click rates over delivered, and the revenue Klaviyo attributes"));
}
