// Token handling shared by the three dialects: obtain, cache, refresh before
// expiry, and one retry on 401.

/** A bearer token and when it stops working (milliseconds since the epoch). */
export interface Grant {
  token: string;
  expiresAt: number;
}

/** Gets a new grant; `current` is the cached one, still valid, when refreshing early. */
export type Obtain = (current: Grant | undefined) => Promise<Grant>;

export interface TokenOptions {
  /** Refresh this long before the token expires (default 60 s). */
  refreshMarginMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** One cached token; concurrent callers share a single refresh. */
export class TokenCache {
  private grant: Grant | undefined;
  private pending: Promise<Grant> | undefined;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(
    private readonly obtain: Obtain,
    options: TokenOptions = {},
  ) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A token that is valid for at least the refresh margin. */
  async token(): Promise<string> {
    const grant = this.grant;
    if (grant && this.now() < grant.expiresAt - this.margin) return grant.token;
    const valid = grant && this.now() < grant.expiresAt ? grant : undefined;
    this.pending ??= this.obtain(valid).finally(() => {
      this.pending = undefined;
    });
    this.grant = await this.pending;
    return this.grant.token;
  }

  /** Forgets `token` after the server refused it, so the next call gets a new one. */
  invalidate(token: string): void {
    if (this.grant?.token === token) this.grant = undefined;
  }
}

/**
 * A `fetch` for openapi-fetch that puts the cached token on each request and,
 * when the server answers 401, gets a new token and sends the request once more.
 * A request that already carries an Authorization header (a link token) is sent as it is.
 */
export function authorizedFetch(cache: TokenCache, base: typeof fetch = globalThis.fetch): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    if (request.headers.has("authorization")) return base(request);
    const again = request.clone();
    const token = await cache.token();
    request.headers.set("authorization", `Bearer ${token}`);
    const response = await base(request);
    if (response.status !== 401) return response;
    cache.invalidate(token);
    again.headers.set("authorization", `Bearer ${await cache.token()}`);
    return base(again);
  };
}

/** Seconds from now as an absolute expiry. */
export function expiresIn(seconds: number, now: number = Date.now()): number {
  return now + seconds * 1000;
}
