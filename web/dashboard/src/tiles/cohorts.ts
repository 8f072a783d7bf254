// Customer cohorts: customers by the month of their first order, and their cumulative net revenue or gross profit per
// customer by month since, as a heat map; with each cohort's size, CAC, LTV:CAC at 90 days and payback month.
import { api, type Schemas } from "../api";
import { decimal, integer, money } from "../format";
import { el, figures, Tile } from "../tile";
import type { Shop } from "../tiles";

type Cohorts = Schemas["CohortReport"];
type Measure = "revenue" | "gross_profit";

const tile = new Tile("tile-cohorts");

export const showCohorts = (shop: Shop) =>
  tile.load(() => api.get("/api/cohorts", { shop: shop.shop, days: 365 }), cohorts, "No customer's first order in the last year.");

function cohorts(data: Cohorts): Node | null {
  if (data.cohorts.length === 0) return null;
  const holder = el("div", { class: "heat-wrap" });
  const picker = el("select", { "aria-label": "Value per customer shown", name: "cohort-measure" },
    el("option", { value: "revenue", text: "Net revenue per customer" }),
    el("option", { value: "gross_profit", text: "Gross profit per customer" }));
  const draw = () => holder.replaceChildren(heatMap(data, picker.value as Measure));
  picker.addEventListener("change", draw);
  draw();
  const customers = data.cohorts.reduce((sum, c) => sum + c.customers, 0);
  const matured = data.cohorts.filter(c => c.ltv_to_cac_90d !== null);
  const latest = matured[matured.length - 1];
  return el("div", {},
    figures([
      ["New customers", integer(customers), customers, "customers"],
      ["Cohorts", integer(data.cohorts.length), data.cohorts.length, "cohorts"],
      ["LTV:CAC at 90 days", latest ? decimal(latest.ltv_to_cac_90d) : "–", latest?.ltv_to_cac_90d, "ltv_to_cac_90d"],
    ]),
    el("p", {}, el("label", {}, "Show ", picker)),
    holder,
    el("p", { class: "state", text: `Customers by the month of their first order, ${data.from} to ${data.to}; a month not yet ended is blank, `
      + "and a cohort younger than a year is still maturing. CAC is the month's ad spend over its new customers." }));
}

function heatMap(data: Cohorts, measure: Measure): HTMLElement {
  const currency = data.currency_code;
  const value = (m: Schemas["CohortMonth"]) => (measure === "revenue" ? m.revenue_per_customer_minor : m.gross_profit_per_customer_minor);
  const months = Array.from({ length: 13 }, (_, i) => i);
  const highest = Math.max(1, ...data.cohorts.flatMap(c => c.months.map(m => value(m) ?? 0)));
  const head = el("tr", {}, el("th", { scope: "col", text: "First order" }), el("th", { scope: "col", class: "num", text: "Customers" }),
    el("th", { scope: "col", class: "num", text: "CAC" }), ...months.map(i => el("th", { scope: "col", class: "num", text: `M${i}` })),
    el("th", { scope: "col", class: "num", text: "LTV:CAC 90d" }), el("th", { scope: "col", class: "num", text: "Payback" }));
  const rows = data.cohorts.map(c => {
    const cells = months.map(i => {
      const amount = c.months[i] ? value(c.months[i]!) : null;
      const cell = el("td", { class: "num cohort-cell", "data-month": String(i), "data-raw": amount === null ? "" : String(amount),
        text: amount === null ? "" : money(amount, currency) });
      if (amount !== null && amount > 0) {
        const strength = 0.1 + 0.8 * (amount / highest);
        cell.style.background = `rgba(47, 91, 211, ${strength.toFixed(2)})`;
        if (strength > 0.55) cell.style.color = "#fff";
      }
      return cell;
    });
    return el("tr", { "data-cohort": c.month + (c.segment ? ` ${c.segment}` : "") },
      el("th", { scope: "row", text: c.month.slice(0, 7) + (c.segment ? ` ${c.segment}` : "") + (c.maturing ? " *" : "") }),
      el("td", { class: "num", text: integer(c.customers) }),
      el("td", { class: "num", text: c.cac_minor === null ? "–" : money(c.cac_minor, currency) }),
      ...cells,
      el("td", { class: "num", text: decimal(c.ltv_to_cac_90d) }),
      el("td", { class: "num", text: c.payback_month === null ? "–" : `M${c.payback_month}` }));
  });
  return el("table", { class: "cohorts" },
    el("caption", { class: "visually-hidden",
      text: `${measure === "revenue" ? "Net revenue" : "Gross profit"} per customer by month since the first order; * still maturing` }),
    el("thead", {}, head), el("tbody", {}, ...rows));
}
