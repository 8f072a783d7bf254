// Calls to the gateway with the signed-in key, which lives in this tab's session storage only: never in a URL, a
// cookie or a log. What each read answers is typed from the gateway's OpenAPI document (generated/openapi.d.ts, made
// by ../openapi.sh): a field renamed in a service fails the dashboard's build.
import type { components, paths } from "./generated/openapi";

/** The API's answers, by the name of their schema in the gateway's OpenAPI document. */
export type Schemas = components["schemas"];

type Json<R> = R extends { content: { "application/json": infer Body } } ? Body : never;

/** The paths the gateway answers a GET on with a JSON body. */
export type GetPath = { [P in keyof paths]: paths[P] extends { get: { responses: { 200: unknown } } } ? P : never }[keyof paths];

/** What a GET of the path answers with 200. */
export type Answer<P extends GetPath> = paths[P] extends { get: { responses: { 200: infer R } } } ? Json<R> : never;

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

/** The path with its {placeholders} filled in. */
function fill(path: string, parameters: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`${path} needs ${name}`);
    return encodeURIComponent(value);
  });
}

export const api = {
  /** A read, typed by its path as the document declares it; placeholders ({runId}) are filled from `parameters`. */
  get: <P extends GetPath>(path: P, query?: Query, parameters: Record<string, string> = {}) => call<Answer<P>>("GET", fill(path, parameters), query),
  post: <T>(path: string, body: unknown, query?: Query) => call<T>("POST", path, query, body),
  patch: <T>(path: string, body: unknown, query?: Query) => call<T>("PATCH", path, query, body),
  delete: <T>(path: string, query?: Query) => call<T>("DELETE", path, query),
  /** Tries a key before it is kept. */
  sessionOf: (key: string) => call<Session>("GET", "/api/session", undefined, undefined, key),
};

export type Session = Answer<"/api/session">;
