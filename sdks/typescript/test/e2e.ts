// Ponte's TypeScript SDK against a real `ponte serve` (scripts/sdk-check.sh starts it):
// the Data API from auth to a verified REPORT_READY and a downloaded report, the
// Documents API to a verified webhook and a downloaded file, and a Server API ticket
// exchange, each through the SDK as an integrator would write it.
import assert from "node:assert/strict";
import {
  collect,
  DataApi,
  DataApiError,
  DocumentsApi,
  DocumentsError,
  ok,
  ServerApi,
  ServerApiError,
  verifyWebhook,
  WebhookVerificationError,
  type DocumentsReady,
  type ReportReady,
} from "../src/index.js";
import { json, receive, type Delivery } from "./receiver.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (scripts/sdk-check.sh sets it)`);
  return value;
};
const baseUrl = env("PONTE_URL");
const apiKey = env("PONTE_API_KEY");
const apiSecret = env("PONTE_API_SECRET");
const firstWebhookSecret = env("PONTE_WEBHOOK_SECRET");
const receiver = await receive(Number(env("RECEIVER_PORT")));
const WAIT_MS = 60_000;

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await run();
  console.log(`  ok  ${name} (${Date.now() - started} ms)`);
}

async function rejects<E extends Error>(what: Promise<unknown>, kind: new (...a: any[]) => E): Promise<E> {
  try {
    await what;
  } catch (e) {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${kind.name}, the call succeeded`);
}

/** Every request the SDK sends, as "METHOD /path STATUS". */
const sent: string[] = [];
let spoilNextLinkRead = false;
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (spoilNextLinkRead && request.method === "GET" && new URL(request.url).pathname.startsWith("/data/v1/links/")) {
    // As if the cached token had been revoked at the server: the SDK must recover.
    spoilNextLinkRead = false;
    request.headers.set("authorization", "Bearer not-a-token");
  }
  const response = await fetch(request);
  sent.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
  return response;
};

let clock = Date.now();
const data = new DataApi({ baseUrl, apiKey, apiSecret, fetch: recordingFetch, now: () => clock });
let webhookSecrets = [firstWebhookSecret];

await step("Data API: typed errors carry the dialect's code and field", async () => {
  const error = await rejects(
    (async () => ok(await data.api.POST("/data/v1/links", { body: { personalTaxId: "123.456.789-00" } })))(),
    DataApiError,
  );
  assert.equal(error.status, 400);
  assert.equal(error.code, "INVALID_FIELD");
  assert.equal(error.field, "personalTaxId");
  const refused = new DataApi({ baseUrl, apiKey, apiSecret: "sk_wrong" });
  const denied = await rejects(refused.tokens.token(), DataApiError);
  assert.equal(denied.code, "INVALID_CREDENTIALS");
});

let linkId = "";
let consentId = "";
await step("Data API: link, consent and the sandbox bank's login through the SDK", async () => {
  const link = ok(
    await data.api.POST("/data/v1/links", {
      body: { personalTaxId: "529.982.247-25", redirectUrl: "https://example.com/done", externalInfo: { order: "sdk-ts" } },
    }),
  );
  linkId = link.linkId;
  const widget = data.withLinkToken(link.linkToken);
  const institutions = ok(await widget.GET("/data/v1/links/institutions"));
  assert.ok(institutions.some((i) => i.institutionCode === "itau"), "itau is listed");
  const consent = ok(
    await widget.POST("/data/v1/consents", { body: { institutionCode: "itau", externalTrackId: "sdk-ts-order-42" } }),
  );
  consentId = consent.consentId;
  const authorised = ok(
    await widget.POST("/sandbox/v1/consents/{consentId}/authorise", {
      params: { path: { consentId } },
      body: { username: "user_good", password: "pass_good" },
    }),
  );
  assert.equal(authorised.status, "AUTHORISED");
});

await step("Data API: a refused token is replaced and the call sent once more", async () => {
  sent.length = 0;
  spoilNextLinkRead = true;
  const link = ok(await data.api.GET("/data/v1/links/{linkId}", { params: { path: { linkId } } }));
  assert.equal(link.linkId, linkId);
  assert.deepEqual(sent, [`GET /data/v1/links/${linkId} 401`, "POST /data/v1/auth 200", `GET /data/v1/links/${linkId} 200`]);
});

await step("Data API: the token is refreshed before it expires", async () => {
  const before = await data.tokens.token();
  sent.length = 0;
  clock += 29.5 * 60_000; // 30 s before the 30-minute token expires: inside the refresh margin
  const consent = ok(await data.api.GET("/data/v1/consents/{consentId}", { params: { path: { consentId } } }));
  assert.equal(consent.status, "AUTHORISED");
  assert.deepEqual(sent, ["POST /data/v1/auth/refresh 200", `GET /data/v1/consents/${consentId} 200`]);
  assert.notEqual(await data.tokens.token(), before);
  clock = Date.now();
});

await step("Data API: webhook secret rotated; both secrets sign for the grace period", async () => {
  const rotated = ok(await data.api.POST("/data/v1/webhooks/secret/rotate"));
  assert.match(rotated.webhookSecret, /^whsec_/);
  webhookSecrets = [rotated.webhookSecret, firstWebhookSecret];
});

let report: ReportReady | undefined;
let reportDelivery: Delivery | undefined;
await step("Data API: institution data requested, REPORT_READY received and verified", async () => {
  const accepted = ok(
    await data.api.POST("/data/personal/institution-data", {
      body: { taxId: "52998224725", linkId, consentId: [consentId], products: ["accounts"] },
    }),
  );
  reportDelivery = await receiver.waitFor(
    "REPORT_READY",
    (d) => json(d)?.event === "REPORT_READY" && json(d)?.requestId === accepted.requestId,
    WAIT_MS,
  );
  report = verifyWebhook<ReportReady>(reportDelivery.body, reportDelivery.headers, webhookSecrets);
  assert.equal(report.status, "SUCCESS");
  assert.equal(report.product, "accounts");
});

await step("Webhooks: two signatures during a rotation, either secret verifies, nothing else does", async () => {
  const d = reportDelivery as Delivery;
  const signatures = String(d.headers["webhook-signature"]).split(" ");
  assert.equal(signatures.length, 2, `two signatures: ${signatures.join(" ")}`);
  verifyWebhook(d.body, d.headers, webhookSecrets[0]); // the new secret alone
  verifyWebhook(d.body, d.headers, webhookSecrets[1]); // the old secret alone
  assert.throws(() => verifyWebhook(d.body, d.headers, "whsec_" + Buffer.alloc(24, 7).toString("base64")), WebhookVerificationError);
  const tampered = Buffer.from(d.body.toString("utf8").replace('"SUCCESS"', '"FAILED"'));
  assert.throws(() => verifyWebhook(tampered, d.headers, webhookSecrets), WebhookVerificationError);
});

await step("Data API: the report read and downloaded (JSON and PDF)", async () => {
  const r = report as ReportReady;
  // Present on a SUCCESS report (a FAILED one has nothing to download).
  const { downloadUrl, pdfUrl } = r;
  assert.ok(downloadUrl && pdfUrl, "a successful report's webhook carries its URLs");
  const full = ok(await data.api.GET("/data/v1/reports/{reportId}", { params: { path: { reportId: r.reportId } } }));
  assert.equal(full.consentId, consentId);
  const downloaded = (await (await data.download(downloadUrl)).json()) as { reportId: string; data: { accounts: unknown[] } };
  assert.equal(downloaded.reportId, r.reportId);
  assert.ok(downloaded.data.accounts.length > 0, "the report has accounts");
  const pdf = Buffer.from(await (await data.download(pdfUrl)).arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  const expired = await rejects(data.download(downloadUrl.replace(/signature=[^&]+/, "signature=AAAA")), DataApiError);
  assert.equal(expired.code, "INVALID_SIGNATURE");
});

await step("Data API: webhook deliveries listed page by page", async () => {
  const messages = await collect(data.webhookMessages({ limit: 1 }));
  const events = messages.map((m) => m.eventType);
  assert.ok(events.includes("REPORT_READY") && events.includes("CONSENT_STATUS_CHANGED"), events.join(","));
  assert.equal(new Set(messages.map((m) => m.id)).size, messages.length, "no message twice");
});

const documents = new DocumentsApi({ baseUrl, apiKey, apiSecret });
await step("Documents API: typed errors", async () => {
  const refused = new DocumentsApi({ baseUrl, apiKey, apiSecret: "sk_wrong" }).session();
  const error = await rejects(refused.accessToken(), DocumentsError);
  assert.equal(error.code, "invalid_credentials");
  assert.equal(error.field, "api_secret");
});

await step("Documents API: a portal connected, documents.ready verified, a file downloaded", async () => {
  const session = documents.session({ metadata: { case: "sdk-ts" } });
  assert.match(await session.appUrl(), /\/app\?access_token=/);
  assert.ok(session.taikiUserId, "the session names its user");
  const portals = ok(await session.api.GET("/api/institutions"));
  assert.ok(portals.some((p) => p.institutionCode === "harborline"), "harborline is listed");
  const started = ok(
    await session.api.POST("/sandbox/v1/documents/connect", {
      body: { institutionCode: "harborline", username: "user_good", password: "pass_good" },
    }),
  );
  const delivery = await receiver.waitFor("documents.ready", (d) => json(d)?.data?.id === started.id, WAIT_MS);
  const ready = verifyWebhook<DocumentsReady>(delivery.body, delivery.headers, webhookSecrets);
  assert.equal(ready.status, "success");
  assert.equal(ready.data.client_id, session.taikiUserId);
  assert.deepEqual(ready.data.metadata, { case: "sdk-ts" });
  const file = ready.files.find((f) => f.download_url);
  assert.ok(file?.download_url, "a file to download");
  const pdf = Buffer.from(await (await documents.download(file.download_url)).arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  assert.equal(pdf.length, file.total_size_bytes);
  const again = await documents.retrieval(started.id);
  assert.equal(again.status, "success");
  assert.equal(again.files.length, ready.files.length);
});

const server = new ServerApi({ baseUrl, apiKey, apiSecret });
const user = {
  userIPAddress: "203.0.113.7",
  userAgent: "ponte-sdk-e2e",
  userPlatform: "web",
  userDeviceID: "d-ts",
  xcUserID: "sdk-ts-user",
  fullName: "Ana Souza",
};
await step("Server API: typed errors carry the parameter's number", async () => {
  const error = await rejects(server.requestTicket({ ...user, xcUserID: "" }), ServerApiError);
  assert.equal(error.code, "40002");
  assert.equal(error.field, "105");
});

await step("Server API: a ticket exchanged for the end user's session, refreshed, single use", async () => {
  const issued = await server.requestTicket(user);
  assert.match(issued.ticket, /^tkt_/);
  let userClock = Date.now();
  const session = server.userSession(issued.ticket, { now: () => userClock });
  const started = await session.start();
  assert.equal(started.user.fullName, "Ana Souza");
  assert.ok(Array.isArray(await session.connections()));
  userClock += 15 * 60_000; // the 15-minute access token is due: renewed with the refresh token
  assert.ok(Array.isArray(await session.connections()));
  assert.notEqual(session.session?.accessToken, started.accessToken);
  const reused = await rejects(server.userSession(issued.ticket).start(), ServerApiError);
  assert.equal(reused.code, "40102");
});

await receiver.close();
console.log("TypeScript SDK: every flow passed");
