// The shop's open alerts and the last ones resolved, each with its recommendation, and whether the data behind it was whole.
import { api, type Schemas } from "../api";
import { dateTime } from "../format";
import { el, Tile } from "../tile";
import type { Shop } from "../tiles";

type Alert = Schemas["AlertView"];
type Alerts = Schemas["AlertList"];

const tile = new Tile("tile-alerts");

export const showAlerts = (shop: Shop) =>
  tile.load(() => Promise.all([
    api.get("/api/alerts", { shop: shop.shop, status: "open" }),
    api.get("/api/alerts", { shop: shop.shop, status: "resolved" }),
  ]), ([open, resolved]) => alerts(open, resolved, shop), "No alerts, open or resolved.");

function alerts(open: Alerts, resolved: Alerts, shop: Shop): Node | null {
  if (open.alerts.length === 0 && resolved.alerts.length === 0) return null;
  const item = (a: Alert) => el("li", { class: `alert ${a.severity}`, "data-alert": a.alert_id, "data-rule": a.rule },
    el("span", { class: "severity", text: a.severity }), " ", el("strong", { text: a.rule.replaceAll("_", " ") }), a.subject ? ` · ${a.subject}` : "",
    el("p", { text: a.message }),
    a.data_incomplete.length === 0 ? null : el("p", { class: "data-incomplete", "data-incomplete": a.data_incomplete.map(g => g.pipeline).join(" ") },
      el("strong", { text: a.held_back ? "Data incomplete, held back from critical: " : "Data incomplete: " }),
      a.data_incomplete.map(g => `${g.pipeline} (${g.reason})`).join("; ")),
    el("p", {}, el("em", { text: "Recommendation: " }), a.recommendation),
    el("p", { class: "state", text: a.resolved_at ? `Resolved ${dateTime(a.resolved_at, shop.time_zone)}` : `Raised ${dateTime(a.raised_at, shop.time_zone)}` }));
  return el("div", {},
    el("h3", { text: `Open (${open.alerts.length})` }),
    open.alerts.length ? el("ul", { class: "alerts", "data-list": "open" }, ...open.alerts.map(item)) : el("p", { class: "state", text: "No open alert." }),
    el("h3", { text: "Recently resolved" }),
    resolved.alerts.length ? el("ul", { class: "alerts", "data-list": "resolved" }, ...resolved.alerts.slice(0, 5).map(item)) : el("p", { class: "state", text: "None resolved yet." }));
}
