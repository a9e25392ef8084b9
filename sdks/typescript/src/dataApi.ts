// The Data API (Klavi's link API): access tokens handled, link-token calls, signed downloads.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { ok, raiseFor } from "./errors.js";
import { paginate, type Page } from "./pagination.js";
import { authorizedFetch, expiresIn, TokenCache, type Grant } from "./tokens.js";
import { fetchOf, trimmed, type PonteOptions } from "./options.js";

type Schemas = components["schemas"];
export type WebhookMessage = Schemas["WebhookMessage"];

export interface WebhookMessageQuery {
  /** `pending`, `delivered` or `dead`. */
  status?: string;
  /** Page size, 1 to 100. */
  limit?: number;
}

/**
 * Your backend's Data API client. `api` makes every call of the OpenAPI document,
 * typed; calls that take your access token get it from here: obtained with your key
 * and secret, cached, refreshed a minute before it expires, and obtained again
 * (and the call sent once more) when Ponte answers 401.
 */
export class DataApi {
  readonly api: Client<paths>;
  readonly tokens: TokenCache;
  readonly baseUrl: string;
  private readonly http: typeof fetch;

  constructor(options: PonteOptions) {
    this.baseUrl = trimmed(options.baseUrl);
    this.http = fetchOf(options);
    const { apiKey, apiSecret } = options;
    this.tokens = new TokenCache(async (current) => {
      if (current) {
        // Still valid: trade it for a fresh one; a refusal falls back to the key and secret.
        const refreshed = await this.http(`${this.baseUrl}/data/v1/auth/refresh`, {
          method: "POST",
          headers: { authorization: `Bearer ${current.token}` },
        });
        if (refreshed.ok) return grantOf(await refreshed.json());
      }
      const answer = await this.http(`${this.baseUrl}/data/v1/auth`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ accessKey: apiKey, secretKey: apiSecret }),
      });
      return grantOf(await (await raiseFor("data", answer)).json());
    }, options);
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: authorizedFetch(this.tokens, this.http) });
  }

  /**
   * A client for the calls that take a link token instead (`GET /data/v1/links/institutions`,
   * `POST /data/v1/consents`, the sandbox's headless login): the API-only integration.
   */
  withLinkToken(linkToken: string): Client<paths> {
    return createClient<paths>({
      baseUrl: this.baseUrl,
      fetch: (request: Request) => this.http(request),
      headers: { authorization: `Bearer ${linkToken}` },
    });
  }

  /** One page of your webhook deliveries, newest first. */
  async webhookMessagesPage(query: WebhookMessageQuery & { cursor?: string }): Promise<Page<WebhookMessage>> {
    const page = ok(
      await this.api.GET("/data/v1/webhooks/messages", {
        params: {
          query: {
            status: query.status,
            limit: query.limit,
            cursor: query.cursor,
          },
        },
      }),
    );
    return { items: page.data, nextCursor: page.nextCursor };
  }

  /** Every webhook delivery matching `query`, page after page. */
  webhookMessages(query: WebhookMessageQuery = {}): AsyncGenerator<WebhookMessage> {
    return paginate((cursor) => this.webhookMessagesPage({ ...query, cursor }));
  }

  /**
   * Fetches a signed URL of a report (`downloadUrl`, `pdfUrl`): no token, the
   * signature is the credential. Throws a DataApiError when it expired (403) or the
   * report was erased (410).
   */
  async download(url: string): Promise<Response> {
    return raiseFor("data", await this.http(url));
  }
}

function grantOf(body: Schemas["AccessToken"]): Grant {
  return { token: body.accessToken, expiresAt: expiresIn(body.expireIn) };
}
