// Calls to the gateway with the signed-in key, which lives in this tab's session storage only: never in a URL, a
// cookie or a log.
const KeyItem = "growthos.apiKey";

export class ApiError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

export const session = {
  key: (): string | null => sessionStorage.getItem(KeyItem),
  signIn: (key: string) => sessionStorage.setItem(KeyItem, key),
  signOut: () => sessionStorage.removeItem(KeyItem),
};

export type Query = Record<string, string | number | undefined | null>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function call<T>(method: string, path: string, query?: Query, body?: unknown, key = session.key()): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (key) headers["X-Api-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch {
    throw new ApiError(0, "The gateway did not answer. Check your connection and try again.");
  }
  if (!response.ok) throw new ApiError(response.status, await problem(response));
  return (await response.json()) as T;
}

/** The problem body's detail (or title), which names what was wrong; never the key. */
async function problem(response: Response): Promise<string> {
  try {
    const body = await response.json();
    return body.detail || body.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => call<T>("GET", path, query),
  post: <T>(path: string, body: unknown, query?: Query) => call<T>("POST", path, query, body),
  patch: <T>(path: string, body: unknown, query?: Query) => call<T>("PATCH", path, query, body),
  delete: <T>(path: string, query?: Query) => call<T>("DELETE", path, query),
  /** Tries a key before it is kept. */
  sessionOf: (key: string) => call<Session>("GET", "/api/session", undefined, undefined, key),
};

export interface Session {
  key_id: string;
  role: "viewer" | "operator" | "admin";
  shops: string[] | null;
}
