// Ponte's client SDK: the generated, typed client of each dialect (openapi-fetch over
// openapi-typescript's types) and the little the generator cannot do.
export { DataApi, type WebhookMessage, type WebhookMessageQuery } from "./dataApi.js";
export { DocumentsApi, DocumentsSession, type Retrieval, type SessionOptions } from "./documents.js";
export {
  ServerApi,
  UserSession,
  type Connection,
  type SessionTokens,
  type TicketIssued,
  type TicketRequest,
} from "./serverApi.js";
export {
  DataApiError,
  DocumentsError,
  PonteError,
  ServerApiError,
  dialectOf,
  errorFrom,
  ok,
  raiseFor,
  type Dialect,
} from "./errors.js";
export { TokenCache, authorizedFetch, type Grant, type Obtain, type TokenOptions } from "./tokens.js";
export { collect, paginate, type Page } from "./pagination.js";
export {
  verifyWebhook,
  WebhookVerificationError,
  type ConsentStatusChanged,
  type DocumentsReady,
  type PonteWebhook,
  type ReportReady,
} from "./webhooks.js";
export type { PonteOptions } from "./options.js";
export type { components, paths } from "./generated/schema.js";
