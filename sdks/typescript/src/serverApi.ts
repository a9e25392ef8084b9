// The Server API (TapTalk's auth tickets): your backend's Server-Key, and the end user's session.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { ok, raiseFor, ServerApiError } from "./errors.js";
import { authorizedFetch, TokenCache, type Grant, type TokenOptions } from "./tokens.js";
import { base64, fetchOf, trimmed, withHeaders, type PonteOptions } from "./options.js";

type Schemas = components["schemas"];
export type TicketRequest = Schemas["TicketRequestDoc"];
export type TicketIssued = Schemas["TicketIssued"];
export type SessionTokens = Schemas["SessionTokens"];
export type Connection = Schemas["Connection"];

/** Your backend's Server API client: `api` carries the `Server-Key` header. */
export class ServerApi {
  readonly api: Client<paths>;
  readonly baseUrl: string;
  private readonly http: typeof fetch;

  constructor(options: PonteOptions) {
    this.baseUrl = trimmed(options.baseUrl);
    this.http = fetchOf(options);
    const serverKey = base64(`${options.apiKey}:${options.apiSecret}`);
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: withHeaders({ "server-key": serverKey }, this.http) });
  }

  /** A single-use ticket (one hour) for your logged-in user, created or updated by `xcUserID`. */
  async requestTicket(user: TicketRequest): Promise<TicketIssued> {
    return ok(await this.api.POST("/v1/server/auth_ticket/request", { body: user })).data;
  }

  /** The end user's own session from a ticket: what your app does with it. */
  userSession(ticket: string, options: TokenOptions = {}): UserSession {
    return new UserSession(this.baseUrl, ticket, this.http, options);
  }
}

/**
 * An end user's session. The ticket is traded once; the access token (15 minutes)
 * is then renewed with the rotating refresh token before it expires, and once
 * more when Ponte answers 401.
 */
export class UserSession {
  readonly api: Client<paths>;
  readonly tokens: TokenCache;
  private ticket: string | undefined;
  private refresh: { token: string; expiresAt: number } | undefined;
  private current: SessionTokens | undefined;

  constructor(
    readonly baseUrl: string,
    ticket: string,
    private readonly http: typeof fetch,
    options: TokenOptions,
  ) {
    this.ticket = ticket;
    this.tokens = new TokenCache(() => this.renew(), options);
    this.api = createClient<paths>({ baseUrl, fetch: authorizedFetch(this.tokens, this.http) });
  }

  /** The user's profile and token expiries, once the session started. */
  get session(): SessionTokens | undefined {
    return this.current;
  }

  /** Starts the session now (it otherwise starts at the first call). */
  async start(): Promise<SessionTokens> {
    await this.tokens.token();
    return this.current as SessionTokens;
  }

  /** The end user's links and consents across institutions. */
  async connections(): Promise<Connection[]> {
    return ok(await this.api.GET("/v1/client/connections")).data.connections;
  }

  private async renew(): Promise<Grant> {
    let bearer: string;
    let path: string;
    if (this.refresh && Date.now() < this.refresh.expiresAt) {
      bearer = this.refresh.token;
      path = "/v1/client/auth/access_token/refresh";
    } else if (this.ticket) {
      bearer = this.ticket;
      this.ticket = undefined; // single use, whatever the answer
      path = "/v1/client/auth/access_token/request";
    } else {
      throw new ServerApiError("server", 401, "40104", "the session ended: request a new ticket", null, null);
    }
    const answer = await raiseFor(
      "server",
      await this.http(`${this.baseUrl}${path}`, { method: "POST", headers: { authorization: `Bearer ${bearer}` } }),
    );
    const tokens = ((await answer.json()) as { data: SessionTokens }).data;
    this.current = tokens;
    this.refresh = { token: tokens.refreshToken, expiresAt: tokens.refreshTokenExpiry };
    return { token: tokens.accessToken, expiresAt: tokens.accessTokenExpiry };
  }
}
