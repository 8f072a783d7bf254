// Numbers in the shop's currency with its minor units, times in the shop's reporting time zone.
const locale = navigator.language || "en-US";

/** How many minor units a currency has (JPY 0, USD 2, KWD 3), as Intl knows it. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units (an integer) as money: exact, no floating-point sum ever made of it. */
export function money(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return "–";
  if (!currency) return integer(minor);
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const text = Math.abs(minor).toString().padStart(digits + 1, "0");
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  // Intl formats the decimal string itself (no binary rounding).
  const formatted = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(major as unknown as number);
  return negative ? `-${formatted}` : formatted;
}

export function integer(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

export function decimal(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A share (0.1234) as a percentage (12.3 %). */
export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? "–" : new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

/** An instant (UTC ISO 8601) in the shop's time zone. */
export function dateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "–";
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function time(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(iso));
}

/** A reporting day (YYYY-MM-DD, already the shop's day) as a short date, without moving it through a time zone. */
export function day(isoDate: string): string {
  const [y, m, d] = dateParts(isoDate);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "short", day: "numeric" }).format(Date.UTC(y, m - 1, d));
}

/** A YYYY-MM-DD date's year, month (1 to 12) and day. */
function dateParts(isoDate: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new Error(`not a date (YYYY-MM-DD): ${isoDate}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function today(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = dateParts(isoDate);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
