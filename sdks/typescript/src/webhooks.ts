// Webhook verification with the Standard Webhooks library, across a secret rotation.
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { components } from "./generated/schema.js";

export { WebhookVerificationError };

/** The Data API's report webhook. */
export type ReportReady = components["schemas"]["ReportReady"];
/** The Data API's consent webhook. */
export type ConsentStatusChanged = components["schemas"]["ConsentStatusChanged"];
/** The Documents API's `documents.ready` webhook: the quickstart's body. */
export type DocumentsReady = components["schemas"]["RetrievalBody"];
export type PonteWebhook = ReportReady | ConsentStatusChanged | DocumentsReady;

type Headers = Record<string, string | string[] | undefined> | globalThis.Headers;

function standardHeaders(headers: Headers): Record<string, string> {
  const get = (name: string): string => {
    if (typeof (headers as globalThis.Headers).get === "function") return (headers as globalThis.Headers).get(name) ?? "";
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value.join(" ") : (value ?? "");
  };
  return {
    "webhook-id": get("webhook-id"),
    "webhook-timestamp": get("webhook-timestamp"),
    "webhook-signature": get("webhook-signature"),
  };
}

/**
 * Checks a webhook's Standard Webhooks signature and timestamp (±5 minutes) and
 * returns its parsed body; throws {@link WebhookVerificationError} otherwise.
 *
 * `body` must be the raw bytes or text as received, before any JSON parsing.
 * `secrets` is your `whsec_` secret, or several: during a rotation's 24-hour
 * grace Ponte signs with the new and the old secret (`v1,<new> v1,<old>`), so a
 * receiver may hold either, or both while it switches.
 */
export function verifyWebhook<T = PonteWebhook>(body: string | Uint8Array, headers: Headers, secrets: string | string[]): T {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0) throw new WebhookVerificationError("No webhook secret given");
  const standard = standardHeaders(headers);
  let last: unknown;
  for (const secret of list) {
    try {
      return new Webhook(secret).verify(body, standard) as T;
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new WebhookVerificationError("No matching signature found");
}
