// Profit: net sales down to gross profit, contribution margin and net profit, POAS and break-even ROAS, how much of the
// cost of goods is known, and new against returning orders.
import { api, type Schemas } from "../api";
import { chart, Colors, major } from "../charts";
import { decimal, integer, money, percent } from "../format";
import { el, figures, table, Tile } from "../tile";
import { range, type Period, type Shop } from "../tiles";

type Profit = Schemas["ProfitReport"];

const tile = new Tile("tile-profit");

export const showProfit = (shop: Shop, period: Period) =>
  tile.load(() => api.get("/api/profit", { shop: shop.shop, ...range(period) }), profit, "No sales in this period.");

function profit(data: Profit): Node | null {
  const now = data.current;
  if (now.orders === 0 && now.net_sales_minor === 0) return null;
  const currency = data.currency_code;
  const grossProfit = now.gross_profit_minor;
  const contribution = now.contribution_margin_minor;
  // A waterfall: a total stands on zero, a cost hangs from the total before it, down the costs in their order.
  const steps: [label: string, low: number, high: number, cost: boolean][] = [];
  let level = now.net_sales_minor;
  steps.push(["Net sales", 0, level, false]);
  const cost = (label: string, amount: number) => {
    steps.push([label, level - amount, level, true]);
    level -= amount;
  };
  cost("Cost of goods", now.cogs_minor);
  steps.push(["Gross profit", 0, grossProfit, false]);
  cost("Ad spend", now.ad_spend_minor);
  cost("Shipping", now.shipping_cost_minor);
  cost("Payment fees", now.payment_fees_minor);
  steps.push(["Contribution margin", 0, contribution, false]);
  cost("Fixed expenses", now.fixed_expenses_minor);
  steps.push(["Net profit", 0, now.net_profit_minor, false]);
  const c = now.customers;
  return el("div", {},
    figures([
      ["Gross profit", money(now.gross_profit_minor, currency), now.gross_profit_minor, "gross_profit"],
      ["Gross margin", now.gross_margin === null ? "–" : percent(now.gross_margin), now.gross_margin, "gross_margin"],
      ["Contribution margin", money(contribution, currency), contribution, "contribution_margin"],
      ["Net profit", money(now.net_profit_minor, currency), now.net_profit_minor, "net_profit"],
      ["POAS", decimal(now.poas), now.poas, "poas"],
      ["Break-even ROAS", decimal(now.break_even_roas), now.break_even_roas, "break_even_roas"],
      ["Cost known for", now.cogs_coverage === null ? "–" : percent(now.cogs_coverage), now.cogs_coverage, "cogs_coverage"],
    ]),
    now.cogs_coverage !== null && now.cogs_coverage < 1
      ? el("p", { class: "state", text: `${integer(now.lines_without_cost)} lines have no known cost: the gross profit leaves their cost out.` })
      : null,
    now.orders_without_shopify_fees > 0
      ? el("p", { class: "state", text: `${integer(now.orders_without_shopify_fees)} orders have no payment fees from Shopify: `
        + "the shop's fee rule counts theirs, if it has one." })
      : null,
    chart("profit", `From net sales down to net profit, ${data.from} to ${data.to}`, {
      type: "bar",
      data: {
        labels: steps.map(([label]) => label),
        datasets: [{
          label: `Amount (${currency ?? ""})`,
          data: steps.map(([, low, high]) => [major(Math.min(low, high), currency), major(Math.max(low, high), currency)]),
          backgroundColor: steps.map(([, , , cost]) => (cost ? Colors.churned : Colors.revenue)),
        }],
      },
      options: { plugins: { legend: { display: false } } },
    }),
    el("h3", { text: "New against returning" }),
    table([{ text: "Orders" }, { text: "Count", num: true }, { text: "Revenue", num: true }, { text: "AOV", num: true }],
      [
        ["First orders", integer(c.first_orders), money(c.first_order_revenue_minor, currency), c.first_order_aov_minor === null ? "–" : money(c.first_order_aov_minor, currency)],
        ["Repeat orders", integer(c.repeat_orders), money(c.repeat_revenue_minor, currency), c.repeat_order_aov_minor === null ? "–" : money(c.repeat_order_aov_minor, currency)],
        ["Guests", integer(c.guest_orders), money(c.guest_revenue_minor, currency), "–"],
      ], "Orders and revenue of first, repeat and guest orders"),
    el("p", { class: "state", "data-figure": "returning_revenue_share", "data-raw": c.returning_revenue_share === null ? "" : String(c.returning_revenue_share),
      text: `Returning customers brought ${c.returning_revenue_share === null ? "–" : percent(c.returning_revenue_share)} of customers' revenue; `
        + `new-customer ROAS ${decimal(c.new_customer_roas)}.` }));
}
