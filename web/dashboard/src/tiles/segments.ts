// The shop's customers by segment and lifecycle stage.
import { api, type Schemas } from "../api";
import { chart, Colors } from "../charts";
import { integer, money } from "../format";
import { el, figures, table, Tile } from "../tile";
import type { Shop } from "../tiles";

type Segments = Schemas["CustomerSegmentSummary"];

const tile = new Tile("tile-segments");

export const showSegments = (shop: Shop) =>
  tile.load(() => api.get("/api/dashboard/customer-segments", { shop: shop.shop }), segments, "No customers yet.");

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
