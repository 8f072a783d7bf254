// The sales pulse: revenue, orders, AOV, fulfillment and net sales of the period, and revenue and orders per day.
import { api, type Schemas } from "../api";
import { chart, Colors, major } from "../charts";
import { day, integer, money, percent } from "../format";
import { figures, el, Tile } from "../tile";
import { range, type Period, type Shop } from "../tiles";

type SalesPulse = Schemas["SalesPulse"];

const tile = new Tile("tile-sales");

export const showSales = (shop: Shop, period: Period) =>
  tile.load(() => api.get("/api/dashboard/sales-pulse", { shop: shop.shop, ...range(period) }), sales, "No sales in this period.");

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
        plugins: { tooltip: { callbacks: { label: item => item.dataset.yAxisID === "revenue" ? money(pulse.days[item.dataIndex]?.revenue_minor ?? 0, currency) : `${integer(item.parsed.y)} orders` } } },
      },
    }));
}
