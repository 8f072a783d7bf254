// Charts (Chart.js, only the parts used). Each chart has a text alternative for screen readers: its canvas is an image
// labelled with what it shows, and the same figures are in the tile's figures or table.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from "chart.js";
import { minorDigits } from "./format";
import { el } from "./tile";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const charts = new Map<string, Chart>();

export const Colors = { revenue: "#2f5bd3", orders: "#9aa9c7", meta: "#1877f2", google_ads: "#e37400", active: "#1b7f3b", at_risk: "#d99a00", churned: "#b3261e" };

/** A chart in a fresh canvas; the chart drawn before under the same name is destroyed first. */
export function chart(name: string, label: string, config: ChartConfiguration): HTMLElement {
  charts.get(name)?.destroy();
  const canvas = el("canvas", { role: "img", "aria-label": label });
  const box = el("div", { class: "chart", "data-chart": name }, canvas);
  // Drawn once the canvas is in the page, so it takes its box's size.
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    charts.set(name, new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } }));
  });
  return box;
}

/** Minor units as a number of major units, for a chart's scale only: figures shown as text are formatted exactly. */
export function major(minor: number, currency: string | null): number {
  return minor / 10 ** (currency ? minorDigits(currency) : 0);
}
