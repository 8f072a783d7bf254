// The variants out of stock, low or overstocked in the latest snapshot, the most urgent first.
import { api, type Schemas } from "../api";
import { decimal, integer } from "../format";
import { el, figures, table, Tile } from "../tile";
import type { Shop } from "../tiles";

type Inventory = Schemas["InventoryAlertList"];

const tile = new Tile("tile-inventory");

export const showInventory = (shop: Shop) =>
  tile.load(() => api.get("/api/dashboard/inventory-alerts", { shop: shop.shop }), inventory, "No variant is out of stock, low or overstocked.");

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
