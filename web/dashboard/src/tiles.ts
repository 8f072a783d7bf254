// The dashboard's tiles, one file each in tiles/: each reads one or two of the gateway's read APIs and shows the same
// figures, in the shop's currency and reporting time zone, with its own loading, empty and error states.
import { showAlerts } from "./tiles/alerts";
import { showCohorts } from "./tiles/cohorts";
import { showInventory } from "./tiles/inventory";
import { showKpis } from "./tiles/kpis";
import { showMarketing } from "./tiles/marketing";
import { showPipeline } from "./tiles/pipeline";
import { showProfit } from "./tiles/profit";
import { showSales } from "./tiles/sales";
import { showSegments } from "./tiles/segments";

export interface Shop {
  shop: string;
  currency_code: string | null;
  time_zone: string;
  last_day: string | null;
}

/** Presets are the last `days` days up to yesterday; a custom period has no `days`. */
export interface Period {
  days: number | null;
  from: string;
  to: string;
}

/** A period as a read's query: its `days` for a preset, else its `from` and `to`. */
export const range = (period: Period) => (period.days ? { days: period.days } : { from: period.from, to: period.to });

export async function renderTiles(shop: Shop, period: Period): Promise<void> {
  const board = document.getElementById("dashboard")!;
  const showing = `${shop.shop}|${period.from}|${period.to}`;
  board.dataset.showing = showing;
  delete board.dataset.loaded;
  await Promise.all([
    showSales(shop, period),
    showKpis(shop, period),
    showAlerts(shop),
    showInventory(shop, period),
    showSegments(shop),
    showProfit(shop, period),
    showCohorts(shop),
    showMarketing(shop, period),
    showPipeline(shop),
  ]);
  // Every tile has drawn what it read for this shop and period (or its empty or error state).
  if (board.dataset.showing === showing) board.dataset.loaded = showing;
}
