import "./style.css";
import { api, ApiError, session, type Session } from "./api";
import { addDays, today } from "./format";
import { renderTiles, type Period, type Shop } from "./tiles";
import { watchRuns } from "./runs";
import { ConnectionsPage } from "./connections";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface State {
  session: Session;
  shops: Shop[];
  shop: Shop;
  period: Period;
}
let state: State | null = null;
let who: Session | null = null;
let connections: ConnectionsPage | null = null;

async function signIn(key: string): Promise<void> {
  const error = $("sign-in-error");
  error.hidden = true;
  try {
    const who = await api.sessionOf(key);
    session.signIn(key);
    await open(who);
  } catch (failure) {
    session.signOut();
    error.textContent = failure instanceof ApiError && (failure.status === 401 || failure.status === 403)
      ? "That key was not accepted. Check it and try again."
      : `Could not sign in: ${failure instanceof Error ? failure.message : failure}`;
    error.hidden = false;
    $<HTMLInputElement>("api-key").focus();
  }
}

async function open(signedIn: Session): Promise<void> {
  who = signedIn;
  $("sign-in").hidden = true;
  $("views").hidden = false;
  $("session").hidden = false;
  $("who").textContent = `Signed in as ${who.key_id} (${who.role})`;
  // Back from Shopify's install flow: the connection it made, on the Connections page.
  const installed = new URLSearchParams(location.search);
  if (installed.has("connection_id")) {
    history.replaceState(null, "", `${location.pathname}#connections`);
    await route(`Connected: connection ${installed.get("connection_id")} is ${installed.get("status")}.`);
    return;
  }
  await route();
}

/** Shows the page the address names: the Connections page, or the dashboard. */
async function route(notice?: string): Promise<void> {
  if (!who) return;
  const page = location.hash === "#connections" ? "connections" : "dashboard";
  for (const [link, name] of [["view-dashboard", "dashboard"], ["view-connections", "connections"]] as const) {
    if (page === name) $(link).setAttribute("aria-current", "page");
    else $(link).removeAttribute("aria-current");
  }
  $("connections-view").hidden = page !== "connections";
  if (page === "connections") {
    $("dashboard").hidden = true;
    $("controls").hidden = true;
    connections ??= new ConnectionsPage();
    await connections.show(who, notice);
    return;
  }
  await openDashboard(who);
}

async function openDashboard(who: Session): Promise<void> {
  // A key limited to some shops reads each of them by name; any other reads every shop with loaded sales.
  const shops: Shop[] = who.shops === null
    ? (await api.get("/api/dashboard/shops")).shops
    : await Promise.all(who.shops.map(async shop =>
        (await api.get("/api/dashboard/shops", { shop })).shops[0] ?? { shop, currency_code: null, time_zone: "UTC", last_day: null }));
  $("dashboard").hidden = false;
  $("controls").hidden = false;
  $("actions").hidden = who.role === "viewer";

  const picker = $<HTMLSelectElement>("shop");
  picker.replaceChildren(...shops.map(s => new Option(s.shop, s.shop)));
  const remembered = sessionStorage.getItem("growthos.shop");
  const shop = shops.find(s => s.shop === remembered) ?? shops[0];
  if (!shop) {
    $("main").querySelector(".tiles")!.replaceChildren(Object.assign(document.createElement("p"), { className: "state",
      textContent: "No shop has loaded sales yet: connect one on the Connections page, or start a sync." }));
    state = null;
    return;
  }
  picker.value = shop.shop;
  state = { session: who, shops, shop, period: presetPeriod(30, shop) };
  selectPreset("30");
  show();
}

function presetPeriod(days: number, shop: Shop): Period {
  const to = addDays(today(shop.time_zone), -1);
  return { days, from: addDays(to, 1 - days), to };
}

function selectPreset(value: string): void {
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=range]")) radio.checked = radio.value === value;
  $("custom-range").hidden = value !== "custom";
}

function show(): void {
  if (!state) return;
  sessionStorage.setItem("growthos.shop", state.shop.shop);
  $("backfill-from").setAttribute("max", addDays(today(state.shop.time_zone), -1));
  $("backfill-to").setAttribute("max", addDays(today(state.shop.time_zone), -1));
  void renderTiles(state.shop, state.period);
}

function wire(): void {
  $("sign-in-form").addEventListener("submit", event => {
    event.preventDefault();
    const input = $<HTMLInputElement>("api-key");
    const key = input.value.trim();
    input.value = "";
    if (key) void signIn(key);
  });
  $("sign-out").addEventListener("click", () => {
    session.signOut();
    location.reload();
  });
  $<HTMLSelectElement>("shop").addEventListener("change", event => {
    if (!state) return;
    state.shop = state.shops.find(s => s.shop === (event.target as HTMLSelectElement).value) ?? state.shop;
    state.period = state.period.days ? presetPeriod(state.period.days, state.shop) : state.period;
    show();
  });
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=range]")) {
    radio.addEventListener("change", () => {
      if (!state || !radio.checked) return;
      selectPreset(radio.value);
      if (radio.value === "custom") {
        $<HTMLInputElement>("range-from").value = state.period.from;
        $<HTMLInputElement>("range-to").value = state.period.to;
        $("range-from").focus();
        return;
      }
      state.period = presetPeriod(Number(radio.value), state.shop);
      show();
    });
  }
  $("range-apply").addEventListener("click", () => {
    if (!state) return;
    const from = $<HTMLInputElement>("range-from").value, to = $<HTMLInputElement>("range-to").value;
    if (!from || !to || from > to) {
      $("range-from").setAttribute("aria-invalid", "true");
      return;
    }
    $("range-from").removeAttribute("aria-invalid");
    state.period = { days: null, from, to };
    show();
  });
  watchRuns(() => state?.shop ?? null, () => show());
  window.addEventListener("hashchange", () => void route());
}

wire();
const key = session.key();
if (key) void signIn(key);
else $<HTMLInputElement>("api-key").focus();
