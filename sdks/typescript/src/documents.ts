// The Documents API (Taiki's quickstart): HTTP Basic for your backend, one token per end user.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { ok, raiseFor } from "./errors.js";
import { authorizedFetch, expiresIn, TokenCache, type TokenOptions } from "./tokens.js";
import { base64, fetchOf, trimmed, withHeaders, type PonteOptions } from "./options.js";

export type Retrieval = components["schemas"]["RetrievalBody"];

export interface SessionOptions extends TokenOptions {
  /** The end user, as a previous `POST /api/token` named them; a new one is made without it. */
  taikiUserId?: string;
  /** Your own reference, echoed in the `documents.ready` webhook. */
  metadata?: Record<string, unknown>;
}

/**
 * Your backend's Documents API client. `api` carries HTTP Basic `api_key:api_secret`
 * (`GET /api/retrievals/{id}`, `DELETE /api/users/{taiki_user_id}`); `session()`
 * gives one end user's token for the documents app and the Bearer calls.
 */
export class DocumentsApi {
  readonly api: Client<paths>;
  readonly baseUrl: string;
  private readonly http: typeof fetch;

  constructor(private readonly options: PonteOptions) {
    this.baseUrl = trimmed(options.baseUrl);
    this.http = fetchOf(options);
    const basic = `Basic ${base64(`${options.apiKey}:${options.apiSecret}`)}`;
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: withHeaders({ authorization: basic }, this.http) });
  }

  /** One end user's session: its access token is obtained, cached and renewed for you. */
  session(options: SessionOptions = {}): DocumentsSession {
    return new DocumentsSession(this.baseUrl, this.options, this.http, { ...this.options, ...options });
  }

  /** A retrieval as the webhook told it, with fresh download URLs. */
  async retrieval(id: number): Promise<Retrieval> {
    return ok(await this.api.GET("/api/retrievals/{id}", { params: { path: { id } } }));
  }

  /** Fetches a signed `download_url` (15 minutes); a DocumentsError `forbidden` once expired. */
  async download(url: string, init?: RequestInit): Promise<Response> {
    return raiseFor("documents", await this.http(url, init));
  }
}

export class DocumentsSession {
  readonly api: Client<paths>;
  readonly tokens: TokenCache;
  private userId: string | undefined;

  constructor(
    readonly baseUrl: string,
    credentials: PonteOptions,
    private readonly http: typeof fetch,
    options: SessionOptions,
  ) {
    this.userId = options.taikiUserId;
    this.tokens = new TokenCache(async () => {
      // Documents tokens are not refreshed in place: a new one for the same user.
      const answer = await this.http(`${baseUrl}/api/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          api_key: credentials.apiKey,
          api_secret: credentials.apiSecret,
          taiki_user_id: this.userId,
          metadata: options.metadata,
        }),
      });
      const issued = (await (await raiseFor("documents", answer)).json()) as components["schemas"]["TokenIssued"];
      this.userId = issued.taiki_user_id;
      return { token: issued.access_token, expiresAt: expiresIn(issued.expires_in) };
    }, options);
    this.api = createClient<paths>({ baseUrl, fetch: authorizedFetch(this.tokens, this.http) });
  }

  /** The end user's id, once the first token named it. */
  get taikiUserId(): string | undefined {
    return this.userId;
  }

  /** A valid access token: give it to your front end for the documents app. */
  accessToken(): Promise<string> {
    return this.tokens.token();
  }

  /** The hosted documents app for this end user (`/app?access_token=…`). */
  async appUrl(): Promise<string> {
    return `${this.baseUrl}/app?access_token=${encodeURIComponent(await this.accessToken())}`;
  }
}
