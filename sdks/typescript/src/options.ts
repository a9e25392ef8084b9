// What every dialect's client is built from.
import type { TokenOptions } from "./tokens.js";

export interface PonteOptions extends TokenOptions {
  /** Ponte's public URL, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** The client's API key (`pk_…`): Klavi's accessKey, Taiki's api_key, TapTalk's Server Key ID. */
  apiKey: string;
  /** The client's API secret (`sk_…`). Keep it on your backend. */
  apiSecret: string;
  /** A `fetch` of your own (proxies, tests); the global one by default. */
  fetch?: typeof fetch;
}

export function trimmed(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** The given or global `fetch`, callable detached (browsers refuse an unbound `window.fetch`). */
export function fetchOf(options: { fetch?: typeof fetch }): typeof fetch {
  const f = options.fetch;
  return f ? (input, init) => f(input, init) : (input, init) => globalThis.fetch(input, init);
}

/** Adds fixed headers to each request that does not set them itself. */
export function withHeaders(headers: Record<string, string>, base: typeof fetch): (request: Request) => Promise<Response> {
  return (request: Request) => {
    for (const [name, value] of Object.entries(headers)) {
      if (!request.headers.has(name)) request.headers.set(name, value);
    }
    return base(request);
  };
}

/** base64 of UTF-8 text, in Node and browsers. */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
