// Typed errors: every dialect's failure, with its own code and field.

/** Which of Ponte's dialects answered. */
export type Dialect = "data" | "documents" | "server";

/**
 * A refused call. `code` and `field` are the dialect's own: `INVALID_FIELD` and
 * `personalTaxId` (Data API), `invalid_credentials` and `api_secret` (Documents API),
 * `40002` and `"105"` (Server API). `field` is null when no field is at fault.
 */
export class PonteError extends Error {
  readonly dialect: Dialect;
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  /** The answer's body as sent, for anything not above. */
  readonly body: unknown;

  constructor(dialect: Dialect, status: number, code: string, message: string, field: string | null, body: unknown) {
    super(field ? `${code} (${field}): ${message}` : `${code}: ${message}`);
    this.name = new.target.name;
    this.dialect = dialect;
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

/** The Data API's `{"error":{"code","message","field"}}` (codes like `INVALID_FIELD`). */
export class DataApiError extends PonteError {}
/** The Documents API's `{"error":{"code","message","field"}}` (codes like `invalid_field`). */
export class DocumentsError extends PonteError {}
/** The Server API's envelope: numeric codes (`40002`), `field` the parameter's number. */
export class ServerApiError extends PonteError {}

const CLASSES = { data: DataApiError, documents: DocumentsError, server: ServerApiError } as const;

/** The dialect that owns a path, by its prefix. */
export function dialectOf(pathname: string): Dialect {
  if (pathname.startsWith("/v1/") || pathname.startsWith("/me")) return "server";
  if (pathname.startsWith("/api/") || pathname.startsWith("/files/") || pathname.startsWith("/sandbox/v1/documents"))
    return "documents";
  return "data";
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Builds the typed error of a failed answer (`body` already parsed, or its text). */
export function errorFrom(dialect: Dialect, status: number, body: unknown): PonteError {
  const Class = CLASSES[dialect];
  const error =
    body && typeof body === "object" && "error" in body ? (body as { error: unknown }).error : undefined;
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; field?: unknown };
    const field = typeof e.field === "string" && e.field !== "" ? e.field : null;
    return new Class(dialect, status, String(e.code ?? status), String(e.message ?? ""), field, body);
  }
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  return new Class(dialect, status, String(status), text.slice(0, 200), null, body);
}

/** What openapi-fetch answers: `data` on success, `error` otherwise. */
export interface FetchResult<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/**
 * The answer's data, or a thrown {@link PonteError} of the dialect that answered.
 *
 * ```ts
 * const link = ok(await data.api.POST("/data/v1/links", { body: { personalTaxId: "529.982.247-25" } }));
 * ```
 */
export function ok<T, E>(result: FetchResult<T, E>): T {
  const { response } = result;
  if (result.error !== undefined || !response.ok) {
    throw errorFrom(dialectOf(pathOf(response.url)), response.status, result.error);
  }
  return result.data as T;
}

/** Throws the dialect's error for a failed raw `Response` (signed downloads, token calls). */
export async function raiseFor(dialect: Dialect, response: Response): Promise<Response> {
  if (response.ok) return response;
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text is the message.
  }
  throw errorFrom(dialect, response.status, body);
}
