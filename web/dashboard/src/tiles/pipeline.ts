// The shop's last runs as a timeline of their steps, its pipelines' health (last execution, failures, slow runs, pipelines missing
// today), and its API calls by hour of day with the hours to avoid.
import { api, type Schemas } from "../api";
import { dateTime, decimal, integer } from "../format";
import { el, table, Tile } from "../tile";
import type { Shop } from "../tiles";

/**
 * A run of the list: Shopify's (RunView) or a marketing source's, which names its source. The list's items are either,
 * so the document leaves them untyped; the fields read here are those both have.
 */
type Run = Pick<Schemas["RunView"], "run_id" | "job_type" | "status" | "requested_at" | "steps" | "error"> & { source?: string };
type Runs = { items: Run[] };
type Pipelines = Schemas["PipelineHealthReport"];
type Etl = Schemas["EtlStatusReport"];

const tile = new Tile("tile-pipeline");

export const showPipeline = (shop: Shop) =>
  tile.load(() => Promise.all([
    api.get("/api/ingest/runs", { shop: shop.shop, pageSize: 10 }) as Promise<Runs>,
    api.get("/analytics/pipelines", { shop: shop.shop }),
    api.get("/api/etl/status", { shop: shop.shop }),
  ]), ([runs, pipelines, etl]) => pipeline(runs, pipelines, etl, shop), "No runs yet for this shop.");

const StepColors: Record<string, string> = {
  initiated: "#c7cfdb", requested: "#9aa9c7", polling: "#6b86c9", fetching: "#6b86c9", downloading: "#2f5bd3", archiving: "#2f5bd3",
  upserting: "#1b7f3b", transforming: "#7b4fc9", completed: "#0b4a22", partial: "#d99a00", failed: "#b3261e",
};

function pipeline(runs: Runs, pipelines: Pipelines, etl: Etl, shop: Shop): Node | null {
  if (runs.items.length === 0 && pipelines.rate_limit_windows.length === 0) return null;
  const timeline = el("ol", { class: "timeline", "aria-label": "The last runs, newest first" }, ...runs.items.map(run => {
    const total = Math.max(1, run.steps.reduce((sum, s) => sum + (s.duration_ms ?? 0), 0));
    const steps = el("span", { class: "steps" }, ...run.steps.map(s => {
      const part = el("span", { title: `${s.step}${s.entity ? ` ${s.entity}` : ""}: ${s.duration_ms === null ? "now" : `${decimal(s.duration_ms / 1000, 1)} s`}` });
      part.style.flexGrow = String(s.duration_ms ?? 0);
      part.style.flexBasis = `${s.duration_ms === null ? 3 : Math.max(0.5, (100 * s.duration_ms) / total)}%`;
      part.style.background = StepColors[s.step] ?? "#c7cfdb";
      return part;
    }));
    const described = run.steps.map(s => `${s.step}${s.entity ? ` ${s.entity}` : ""}`).join(", ");
    return el("li", { "data-run": run.run_id, "data-status": run.status },
      el("span", {}, el("strong", { text: run.status }), ` ${run.source ?? run.job_type.toLowerCase().replaceAll("_", " ")}`, el("br"), dateTime(run.requested_at, shop.time_zone)),
      el("span", {}, steps, el("span", { class: "visually-hidden", text: `Steps: ${described}` })));
  }));
  const legend = el("p", { class: "legend" }, ...Object.entries(StepColors).map(([step, color]) => {
    const swatch = el("i");
    swatch.style.background = color;
    return el("span", {}, swatch, step);
  }));
  const heat = el("div", { class: "heat", role: "table", "aria-label": `API calls by hour of day (${shop.time_zone}); hours to avoid are marked` },
    el("span", { role: "columnheader", text: "Hour" }), ...Array.from({ length: 24 }, (_, h) => el("span", { role: "columnheader", text: String(h) })),
    ...pipelines.rate_limit_windows.flatMap(window => [
      el("span", { role: "rowheader", text: window.source }),
      ...window.hours.map(hour => {
        const usage = hour.max_usage_percent ?? (hour.calls > 0 ? 10 : 0);
        const cell = el("span", {
          class: "cell", role: "cell", "data-source": window.source, "data-hour": String(hour.hour), "data-calls": String(hour.calls), "data-avoid": String(hour.avoid),
          title: `${window.source} ${hour.hour}:00: ${hour.calls} calls, ${hour.throttled} throttled${hour.max_usage_percent === null ? "" : `, peak usage ${decimal(hour.max_usage_percent, 0)} %`}${hour.avoid ? ", avoid" : ""}`,
          "aria-label": `${hour.hour}:00 ${hour.calls} calls${hour.avoid ? ", avoid" : ""}`,
        });
        cell.style.background = hour.calls === 0 ? "" : `rgba(47, 91, 211, ${Math.min(1, 0.15 + usage / 100)})`;
        if (hour.avoid) cell.style.outline = "2px solid #b3261e";
        return cell;
      }),
    ]));
  return el("div", {},
    el("h3", { text: "Last runs" }), runs.items.length ? timeline : el("p", { class: "state", text: "No runs yet." }), legend,
    el("h3", { text: "Pipelines" }), etlHealth(etl, shop),
    el("h4", { text: "Alerts raised while a pipeline's data was incomplete" }), moved(pipelines, shop),
    el("h3", { text: "Rate-limit windows by hour of day" }),
    pipelines.rate_limit_windows.length ? el("div", { class: "heat-wrap" }, heat) : el("p", { class: "state", text: "No API calls recorded in the last week." }));
}

/** Each pipeline's last execution, then what needs a look: pipelines missing today, failures of the last 24 hours, slow executions. */
function etlHealth(etl: Etl, shop: Shop): Node {
  const rows = table([{ text: "Pipeline" }, { text: "Last execution" }, { text: "Status" }, { text: "Rows", num: true }, { text: "Milliseconds", num: true },
    { text: "Hours since success", num: true }, { text: "ms per row, 7 days", num: true }],
  etl.pipelines.map(p => [el("span", { "data-pipeline": p.pipeline, "data-status": p.last_status ?? "", text: p.pipeline }),
    dateTime(p.last_finished_at ?? null, shop.time_zone), p.last_status ?? "–", integer(p.last_rows ?? null),
    integer(p.last_milliseconds ?? null), decimal(p.hours_since_success ?? null, 1),
    decimal(p.ms_per_row_7d ?? null, 4)]),
  "Each pipeline's last execution for this shop");
  const list = (items: Node[], empty: string) => items.length ? el("ul", { class: "etl-list" }, ...items) : el("p", { class: "state", text: empty });
  return el("div", {}, rows,
    list(etl.alerts.map(a => el("li", { "data-missing": a.pipeline, text: a.message })), "Every expected pipeline succeeded today."),
    el("h4", { text: "Failures, last 24 hours" }),
    list(etl.failures_24h.map(f => el("li", { "data-failure": f.pipeline, text: `${dateTime(f.finished_at, shop.time_zone)} ${f.pipeline}: ${f.error ?? "no error recorded"}` })),
      "No failure in the last 24 hours."),
    el("h4", { text: `Slower than ${decimal(etl.slow_after_ms / 1000, 0)} s, last 7 days` }),
    list(etl.slow_executions.map(e => el("li", { "data-slow": e.pipeline,
      text: `${dateTime(e.finished_at, shop.time_zone)} ${e.pipeline}: ${decimal(e.milliseconds / 1000, 1)} s for ${integer(e.rows)} rows` })),
    "No slow execution in the last 7 days."));
}

/** Each pipeline's outages and the alerts that moved with them (raised in the last week, or still open, while its data was incomplete). */
function moved(pipelines: Pipelines, shop: Shop): Node {
  const items = pipelines.pipelines.flatMap(p => (p.moved_alerts ?? []).map(a => el("li", { "data-moved": p.pipeline, "data-alert": a.alert_id },
    el("strong", { text: p.pipeline }), ` · ${a.rule.replaceAll("_", " ")}${a.subject ? ` · ${a.subject}` : ""} · ${a.severity}${a.held_back ? " (held back)" : ""}`,
    ` · raised ${dateTime(a.raised_at, shop.time_zone)}${a.resolved_at ? `, resolved ${dateTime(a.resolved_at, shop.time_zone)}` : ", open"}`)));
  return items.length ? el("ul", { class: "etl-list" }, ...items) : el("p", { class: "state", text: "No alert was raised while a pipeline's data was incomplete." });
}
