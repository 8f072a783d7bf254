// The variants out of stock, low or overstocked in the latest snapshot, the most urgent first; then the orders waiting
// for the ones out of stock or low, and the late fulfillments of the period that hold one.
import { api, type Schemas } from "../api";
import { day, decimal, integer, percent } from "../format";
import { el, figures, table, Tile } from "../tile";
import { range, type Period, type Shop } from "../tiles";

type Inventory = Schemas["InventoryAlertList"];
type Fulfillment = Schemas["InventoryFulfillmentReport"];

const tile = new Tile("tile-inventory");

export const showInventory = (shop: Shop, period: Period) =>
  tile.load(() => Promise.all([
    api.get("/api/dashboard/inventory-alerts", { shop: shop.shop }),
    api.get("/api/dashboard/inventory-fulfillment", { shop: shop.shop, ...range(period) }),
  ]), ([alerts, fulfillment]) => inventory(alerts, fulfillment), "No variant is out of stock, low or overstocked.");

const Statuses: Record<string, string> = { out_of_stock: "Out of stock", low_stock: "Low stock", overstock: "Overstock" };

function inventory(data: Inventory, fulfillment: Fulfillment): Node | null {
  if (data.alerts.length === 0) return null;
  return el("div", {},
    figures(Object.entries(Statuses).map(([status, label]) => [label, integer(data.counts[status] ?? 0), data.counts[status] ?? 0, status])),
    el("p", { class: "state", text: `Stock on ${data.snapshot_date}, most urgent first` }),
    table([{ text: "Product" }, { text: "SKU" }, { text: "Available", num: true }, { text: "Sold a day", num: true }, { text: "Days of cover", num: true }, { text: "Status" }],
      data.alerts.map(a => [
        [a.product_title, a.variant_title].filter(Boolean).join(" · ") || `Variant ${a.variant_id}`, a.sku ?? "–", integer(a.quantity_available),
        decimal(a.daily_velocity), a.days_of_cover === null ? "–" : decimal(a.days_of_cover, 1), Statuses[a.stock_status] ?? a.stock_status,
      ]), "Variants out of stock, low or overstocked", "scroll"),
    waiting(fulfillment));
}

/** The orders waiting for a variant out of stock or low, and the share of the period's late fulfillments that hold one. */
function waiting(data: Fulfillment): Node {
  const held = data.variants.filter(v => v.waiting_orders > 0);
  const totals = data.totals;
  return el("div", { "data-section": "fulfillment" },
    el("h3", { text: "Waiting for stock" }),
    figures([
      ["Orders waiting", integer(held.reduce((sum, v) => sum + v.waiting_orders, 0)), held.reduce((sum, v) => sum + v.waiting_orders, 0), "waiting_orders"],
      [`Late (over ${data.late_after_hours} h)`, integer(totals.late), totals.late, "late"],
      ["Late holding a variant in alert", percent(totals.share_with_variant_in_alert ?? null), totals.share_with_variant_in_alert ?? null, "late_share"],
    ]),
    held.length === 0
      ? el("p", { class: "state", text: `No order of the last ${data.waiting_days} days waits for a variant out of stock or low.` })
      : table([{ text: "Product" }, { text: "Status" }, { text: "Orders waiting", num: true }, { text: "Units", num: true }, { text: "Longest wait", num: true }],
        held.map(v => [
          el("span", { "data-waiting": String(v.variant_id), text: [v.product_title, v.variant_title].filter(Boolean).join(" · ") || `Variant ${v.variant_id}` }),
          Statuses[v.stock_status] ?? v.stock_status, integer(v.waiting_orders), integer(v.waiting_units),
          v.longest_wait_hours === null ? "–" : `${decimal(v.longest_wait_hours, 1)} h`,
        ]), "Orders waiting for fulfillment that hold a variant out of stock or low, and how long the oldest has waited"),
    table([{ text: "Day" }, { text: "Orders", num: true }, { text: "Late", num: true }, { text: "Holding a variant in alert", num: true }],
      data.days.filter(d => d.late > 0).map(d => [day(d.date!), integer(d.orders), integer(d.late), percent(d.share_with_variant_in_alert ?? null)]),
      "Each day's orders, those fulfilled late, and the share of those that hold a variant out of stock or low", "scroll"));
}
