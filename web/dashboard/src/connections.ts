// The Connections page: every shop connected, what its check found, its schedule and its last run; connect a shop
// (Shopify's install flow, or a custom app's token), pause, resume, check again, change the schedule, delete, or delete
// and purge everything held of the shop.
import { api, ApiError, type Schemas, type Session } from "./api";
import { dateTime } from "./format";
import { el, table } from "./tile";

export type Connection = Schemas["ConnectionView"];
type Schedule = Schemas["ScheduleView"];
type RunSummary = Pick<Schemas["RunView"], "run_id" | "status" | "requested_at" | "error">;
/** A connection as its row names it: the shop, or the shop's account of a provider. */
function named(c: Connection): string {
  switch (c.provider) {
    case "shopify": return c.shop;
    case "meta": return `${c.shop} Meta act_${c.account}`;
    case "google_ads": return `${c.shop} Google Ads ${c.account}`;
    case "ga4": return `${c.shop} GA4 ${c.account}`;
    case "klaviyo": return `${c.shop} Klaviyo ${c.account}`;
    default: return `${c.shop} ${c.provider} ${c.account}`;
  }
}

type PurgeReport = Schemas["PurgeReport"];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Every connection the key may see: all of them, or those of each of its shops. */
async function connectionsOf(who: Session): Promise<Connection[]> {
  if (who.shops === null) return (await api.get("/api/connections")).connections;
  const lists = await Promise.all(who.shops.map(shop => api.get("/api/connections", { shop })));
  return lists.flatMap(l => l.connections);
}

async function schedulesOf(shop: string): Promise<Schedule[]> {
  try {
    return (await api.get("/api/ingest/schedules", { shop })).schedules;
  } catch {
    return [];
  }
}

async function lastRunOf(shop: string): Promise<RunSummary | null> {
  try {
    return ((await api.get("/api/ingest/runs", { shop, pageSize: 1 })).items[0] as RunSummary | undefined) ?? null;
  } catch {
    return null;
  }
}

export class ConnectionsPage {
  private who: Session | null = null;
  private readonly body = $("connections").querySelector<HTMLElement>(".body")!;
  private readonly notice = $("connections-notice");

  constructor() {
    $("connect-form").addEventListener("submit", event => {
      event.preventDefault();
      void this.connectWithToken();
    });
    $("install-button").addEventListener("click", () => void this.install());
    $("connect-meta-button").addEventListener("click", () => void this.connectMeta());
    $("connect-google-ads-button").addEventListener("click", () => void this.connectGoogle("google_ads"));
    $("connect-ga4-button").addEventListener("click", () => void this.connectGoogle("ga4"));
    $("connect-klaviyo-button").addEventListener("click", () => void this.connectKlaviyo());
  }

  /** Shows the page for <paramref name="who" />, with a notice (a connection just made by the install flow). */
  async show(who: Session, notice?: string): Promise<void> {
    this.who = who;
    $("connect-form").hidden = who.role === "viewer";
    this.say(notice ?? "", "status");
    await this.render();
  }

  private say(text: string, kind: "status" | "alert"): void {
    this.notice.textContent = text;
    this.notice.className = kind === "alert" ? "notice error" : "notice";
    this.notice.setAttribute("role", kind);
    this.notice.hidden = text === "";
  }

  private async render(): Promise<void> {
    const who = this.who!;
    const section = $("connections");
    section.dataset.state = "loading";
    section.setAttribute("aria-busy", "true");
    try {
      const connections = await connectionsOf(who);
      const rows = await Promise.all(connections.map(async c => ({ c, schedules: await schedulesOf(c.shop), run: await lastRunOf(c.shop) })));
      this.body.replaceChildren(connections.length === 0
        ? el("p", { class: "state", role: "status", text: "No shop is connected yet: connect one above." })
        : table([{ text: "Shop" }, { text: "Status" }, { text: "Found" }, { text: "Schedule" }, { text: "Last run" }, { text: "Actions" }],
          rows.map(({ c, schedules, run }) => this.row(c, schedules, run)), "Connections"));
      for (const [i, { c }] of rows.entries()) this.body.querySelectorAll("tbody tr")[i]?.setAttribute("data-connection", c.id);
      section.dataset.state = "ready";
    } catch (error) {
      this.body.replaceChildren(el("p", { class: "state error", role: "alert", text: `Could not load: ${error instanceof ApiError ? error.message : error}` }));
      section.dataset.state = "error";
    } finally {
      section.setAttribute("aria-busy", "false");
    }
  }

  private row(c: Connection, schedules: Schedule[], run: RunSummary | null): (string | Node)[] {
    const zone = c.time_zone ?? "UTC";
    const schedule = schedules.find(s => s.job === (c.provider === "shopify" ? "shopify" : `marketing:${c.provider}`));
    const what = named(c);
    const status = el("span", { class: `badge ${c.status}`, "data-field": "status", text: c.status });
    const found = [c.currency, c.time_zone, c.plan, c.provider === "shopify" ? null : c.account_status].filter(Boolean).join(" · ") || "not checked yet";
    const actions = el("div", { class: "row-actions" });
    if (this.who!.role !== "viewer") {
      actions.append(
        c.status === "paused" ? this.button("Resume", `Resume ${what}`, () => this.act(c, "resume")) : this.button("Pause", `Pause ${what}`, () => this.act(c, "pause")),
        this.button("Check", `Check ${what} again`, () => this.act(c, "check")),
        this.scheduleForm(c));
      if (this.who!.role === "admin") {
        actions.append(this.button("Delete", `Delete ${what}`, () => this.remove(c)));
        // A purge removes a whole shop: it is offered on the shop's own row.
        if (c.provider === "shopify") actions.append(this.button("Delete and purge", `Purge ${c.shop}`, () => this.purge(c)));
      }
    }
    return [
      el("div", {}, el("strong", { text: c.name ?? c.shop }),
        el("div", { class: "muted", "data-field": "what", text: what })),
      el("div", {}, status, c.status_reason ? el("div", { class: "muted reason", "data-field": "reason", text: c.status_reason }) : null),
      el("div", {}, el("span", { "data-field": "found", text: found }),
        c.credential_expires_at ? el("div", { class: "muted", "data-field": "expires", text: `token expires ${dateTime(c.credential_expires_at, zone)}` }) : null),
      el("div", {}, el("code", { "data-field": "cron", text: c.settings.cron }), el("span", { class: "muted", text: ` (${c.settings.cron_time_zone})` }),
        c.settings.avoid_hours.length > 0
          ? el("div", { class: "muted", "data-field": "avoid-hours", text: `avoids ${c.settings.avoid_hours.map(h => `${String(h).padStart(2, "0")}:00`).join(", ")}` })
          : null,
        el("div", { class: "muted", "data-field": "next-run", text: schedule ? `next ${dateTime(schedule.next_run_at, zone)}` : "not scheduled" })),
      run ? el("div", { "data-field": "last-run" }, el("span", { text: `${run.status}, ${dateTime(run.requested_at, zone)}` }),
        run.error ? el("div", { class: "error", text: run.error }) : null) : el("span", { "data-field": "last-run", class: "muted", text: "none yet" }),
      actions,
    ];
  }

  private button(text: string, label: string, onClick: () => Promise<void>): HTMLButtonElement {
    const button = el("button", { type: "button", "aria-label": label, text });
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await onClick();
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  private scheduleForm(c: Connection): HTMLFormElement {
    const input = el("input", { type: "text", value: c.settings.cron, "aria-label": `Schedule of ${named(c)} (cron, ${c.settings.cron_time_zone})`, size: "12" });
    const form = el("form", { class: "schedule" }, input, el("button", { type: "submit", text: "Save schedule" }));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      await this.call(() => api.patch(`/api/connections/${c.id}`, { cron: input.value.trim() }, { shop: c.shop }), `The schedule of ${named(c)} is now ${input.value.trim()}.`);
    });
    return form;
  }

  private async act(c: Connection, action: "pause" | "resume" | "check"): Promise<void> {
    const done = { pause: "paused", resume: "resumed", check: "checked again" }[action];
    await this.call(() => api.post(`/api/connections/${c.id}/${action}`, undefined, { shop: c.shop }), `${named(c)} ${done}.`);
  }

  private async remove(c: Connection): Promise<void> {
    if (!confirm(`Delete the connection of ${named(c)}? Its schedules stop and its credentials are destroyed.`)) return;
    await this.call(() => api.delete(`/api/connections/${c.id}`, { shop: c.shop }), `${named(c)} deleted: its schedules stopped and its credentials were destroyed.`);
  }

  /** Deletes the shop's connection and removes every row and archived object of the shop in every service; says what went. */
  private async purge(c: Connection): Promise<void> {
    if (!confirm(`Delete ${c.shop} and remove everything held of it (its orders, customers, marts, runs and archived files) in every service? This cannot be undone.`)) return;
    let report: PurgeReport | undefined;
    await this.call(async () => { report = await api.delete<PurgeReport>(`/api/connections/${c.id}`, { purge: "true" }); }, `${c.shop} deleted and purged.`);
    if (!report) return;
    this.say(report.complete
      ? `${c.shop} deleted and purged: ${report.rows_removed} rows and ${report.objects_removed} archived objects removed.`
      : `${c.shop} deleted; its purge is under way (waiting for ${report.waiting_for.join(", ")}).`, "status");
  }

  private async call(send: () => Promise<unknown>, success: string): Promise<void> {
    try {
      await send();
      this.say(success, "status");
    } catch (error) {
      this.say(error instanceof ApiError ? error.message : String(error), "alert");
    }
    await this.render();
  }

  private async connectWithToken(): Promise<void> {
    const shop = $<HTMLInputElement>("connect-shop").value.trim().toLowerCase();
    const token = $<HTMLInputElement>("connect-token");
    if (!token.value) {
      this.say("Give the shop's Admin API token, or install the app instead.", "alert");
      token.focus();
      return;
    }
    const access = token.value;
    token.value = "";
    await this.call(() => api.post("/api/connections", { shop, access_token: access }), `${shop} connected and checked.`);
  }

  /** Connects a Meta ad account to the shop named above, with a system user's or long-lived token. */
  private async connectMeta(): Promise<void> {
    const shop = $<HTMLInputElement>("connect-shop").value.trim().toLowerCase();
    const account = $<HTMLInputElement>("connect-meta-account").value.trim();
    const token = $<HTMLInputElement>("connect-meta-token");
    if (!shop || !account || !token.value) {
      this.say("Name the shop, its Meta ad account (act_…) and the account's token.", "alert");
      return;
    }
    const access = token.value;
    token.value = "";
    await this.call(() => api.post("/api/connections", { shop, provider: "meta", account, access_token: access }),
      `Meta ad account ${account} of ${shop} connected and checked.`);
  }

  /** Connects a Klaviyo account to the shop named above, with its private API key (given once, never shown again). */
  private async connectKlaviyo(): Promise<void> {
    const shop = $<HTMLInputElement>("connect-shop").value.trim().toLowerCase();
    const account = $<HTMLInputElement>("connect-klaviyo-account").value.trim();
    const key = $<HTMLInputElement>("connect-klaviyo-key");
    if (!shop || !account || !key.value) {
      this.say("Name the shop, its Klaviyo account (its public API key) and the account's private API key.", "alert");
      return;
    }
    const privateKey = key.value;
    key.value = "";
    await this.call(() => api.post("/api/connections", { shop, provider: "klaviyo", account, private_key: privateKey }),
      `Klaviyo account ${account} of ${shop} connected and checked.`);
  }

  /** Sends the browser to Google's consent page for the shop's Google Ads customer or GA4 property; Google sends it back here. */
  private async connectGoogle(provider: "google_ads" | "ga4"): Promise<void> {
    const shop = $<HTMLInputElement>("connect-shop").value.trim().toLowerCase();
    const account = $<HTMLInputElement>(provider === "ga4" ? "connect-ga4-property" : "connect-google-ads-customer").value.trim();
    const manager = provider === "google_ads" ? $<HTMLInputElement>("connect-google-ads-manager").value.trim() : "";
    if (!shop || !account) {
      this.say(provider === "ga4" ? "Name the shop and its GA4 property." : "Name the shop and its Google Ads customer id.", "alert");
      return;
    }
    try {
      const query: Record<string, string> = { shop, provider, account };
      if (manager) query.login_customer_id = manager;
      const { authorize_url } = await api.get("/api/connections/google/authorize", query);
      location.assign(authorize_url);
    } catch (error) {
      this.say(error instanceof ApiError ? error.message : String(error), "alert");
    }
  }

  /** Sends the browser to the shop's consent page; Shopify sends it back here once the merchant approved. */
  private async install(): Promise<void> {
    const shop = $<HTMLInputElement>("connect-shop").value.trim().toLowerCase();
    if (!shop) {
      this.say("Name the shop to install the app on (name.myshopify.com).", "alert");
      $("connect-shop").focus();
      return;
    }
    try {
      const { authorize_url } = await api.get("/api/connections/shopify/install", { shop });
      location.assign(authorize_url);
    } catch (error) {
      this.say(error instanceof ApiError ? error.message : String(error), "alert");
    }
  }
}
