// The operator's actions: start a sync or a backfill of the shop shown, and watch the run's steps move until it ends.
import { api, ApiError, type Schemas } from "./api";
import type { Shop } from "./tiles";
import { el } from "./tile";

const Finished = new Set(["completed", "partial", "failed"]);

/** What the watch reads of a run, Shopify's or a marketing source's. */
type Run = Pick<Schemas["RunView"], "run_id" | "status" | "error" | "steps">;

export function watchRuns(currentShop: () => Shop | null, onFinished: () => void): void {
  const watch = document.getElementById("run-watch")!;
  const sync = document.getElementById("start-sync") as HTMLButtonElement;
  const backfill = document.getElementById("backfill-form") as HTMLFormElement;
  const buttons = [sync, document.getElementById("start-backfill") as HTMLButtonElement];

  async function start(kind: string, send: (shop: string) => Promise<{ run_id: string }>): Promise<void> {
    const shop = currentShop();
    if (!shop) return;
    buttons.forEach(b => (b.disabled = true));
    watch.replaceChildren(el("p", { role: "status", text: `Starting the ${kind} of ${shop.shop}…` }));
    try {
      const { run_id } = await send(shop.shop);
      await follow(kind, run_id, shop.shop);
      onFinished();
    } catch (error) {
      watch.replaceChildren(el("p", { class: "error", role: "alert", text: `The ${kind} could not be started: ${error instanceof ApiError ? error.message : error}` }));
    } finally {
      buttons.forEach(b => (b.disabled = false));
    }
  }

  async function follow(kind: string, runId: string, shop: string): Promise<void> {
    const list = el("ol", { "aria-label": `Steps of the ${kind}` });
    const line = el("p", { "data-run-id": runId, "data-status": "requested", text: `Run ${runId}: requested` });
    watch.replaceChildren(line, list);
    let shown = 0;
    for (let i = 0; i < 1800; i++) {
      let run: Run;
      try {
        run = await api.get("/api/ingest/runs/{runId}", { shop }, { runId });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          await delay(1000);
          continue;
        }
        throw error;
      }
      // The run's own record of its steps, so none is missed between two looks.
      const steps = run.steps.filter(s => s.step !== "initiated");
      if (steps.length !== shown) {
        list.replaceChildren(...steps.map((s, n) => el("li", { class: n === steps.length - 1 ? "current" : "", text: s.entity && !Finished.has(s.step) ? `${s.step} ${s.entity}` : s.step })));
        shown = steps.length;
      }
      line.dataset.status = run.status;
      line.textContent = `Run ${runId}: ${run.status}${run.error ? ` (${run.error})` : ""}`;
      if (Finished.has(run.status)) return;
      await delay(1000);
    }
  }

  sync.addEventListener("click", () => void start("sync", shop => api.post("/api/performance-metrics/sync", { shop, initiator: "user" })));
  backfill.addEventListener("submit", event => {
    event.preventDefault();
    const from = (document.getElementById("backfill-from") as HTMLInputElement).value;
    const to = (document.getElementById("backfill-to") as HTMLInputElement).value;
    void start("backfill", shop => api.post("/api/ingest/backfill", { shop, from, to }));
  });
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
