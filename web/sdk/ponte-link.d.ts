// Types for ponte-link.js 1.2.0, served beside it at /ponte-link.d.ts.

export type PonteLinkEvent =
  | 'OPEN'
  | 'INSTITUTION_SELECTED'
  | 'CONSENT_CREATED'
  | 'HANDED_OFF'
  | 'RETURNED'
  | 'AUTHORISED'
  | 'REJECTED'
  | 'EXIT'
  | 'ERROR';

/**
 * Why the widget stopped or could not open:
 * - `frame_refused`: Ponte refused to be framed on this page's origin (fix:
 *   `ponte clients update --client-id <id> --frame-origins <this origin>`);
 * - `network`: Ponte could not be reached;
 * - `expired` / `invalid`: Ponte refused the token (make a new one per open());
 * - `server` / `outage` / `bank`: the widget's own errors (it offers a retry);
 * - `DUPLICATE_CONNECTION`: the end user already connected the bank they
 *   picked, the client refuses a second connection, and they chose to exit.
 */
export type PonteLinkErrorKind =
  | 'frame_refused'
  | 'network'
  | 'expired'
  | 'invalid'
  | 'server'
  | 'outage'
  | 'bank'
  /** The end user left from "you already connected {bank}": the client refuses a second connection. */
  | 'DUPLICATE_CONNECTION';

/** The same shape with every event and callback; unknown parts are null. */
export interface PonteLinkMetadata {
  /** The consent being authorised, once one exists. */
  consentId: string | null;
  /** The chosen institution's code (e.g. "itau") and name. */
  institutionCode: string | null;
  institutionName: string | null;
  /** The consent's status when known: AWAITING_AUTHORISATION, AUTHORISED, REJECTED, EXITED. */
  status: string | null;
  /**
   * On an exit (status EXITED) after an attempt: that consent's status, e.g.
   * REJECTED when the bank refused and the end user then left; consentId
   * names that consent. null when no consent was made.
   */
  lastStatus: string | null;
  /** What went wrong, for ERROR and for an onExit the widget did not choose. */
  errorKind: PonteLinkErrorKind | null;
  /** The widget's language: "pt-BR" or "en". */
  locale: string;
  /** When it happened, RFC 3339. */
  occurredAt: string;
  /**
   * Update mode: true when the link was opened with `consentId` (POST
   * /data/v1/links). On onSuccess the consent named by `consentId` (the same
   * one) was renewed at its bank; its reports and webhooks carry on.
   */
  renewal: boolean;
}

export interface PonteLinkOptions {
  /** The link token from POST /data/v1/links (made by your backend). */
  token: string;
  /** The end user connected an account and pressed Finish. */
  onSuccess?: (metadata: PonteLinkMetadata) => void;
  /**
   * The end user left (× , Esc or a click outside, confirmed), finished
   * without connecting, or the modal could not open: then `errorKind` says
   * why, the console names the fix, and the modal is already gone.
   */
  onExit?: (metadata: PonteLinkMetadata) => void;
  /** Every step, in order. */
  onEvent?: (event: PonteLinkEvent, metadata: PonteLinkMetadata) => void;
  /** Default: the first of the browser's languages Ponte speaks, else pt-BR. */
  locale?: 'pt-BR' | 'en';
  /**
   * "modal" frames the widget over the page (the bank opens in a popup; if
   * popups are blocked the whole page goes to the link and comes back to its
   * redirectUrl); "redirect" sends the whole page (webviews).
   */
  mode?: 'modal' | 'redirect';
  /**
   * How long the modal waits for the widget to say it is running before it
   * closes with `frame_refused` or `network`. Default 15000 ms; a frame the
   * browser refused is noticed sooner (2.5 s after it loads).
   */
  readyTimeoutMs?: number;
}

export type PonteDocumentsEvent =
  | 'OPEN'
  | 'INSTITUTION_SELECTED'
  | 'HANDED_OFF'
  | 'SUCCESS'
  | 'FAILED'
  | 'EXIT'
  | 'ERROR';

/** Every event and callback of the documents app; unknown parts are null. */
export interface PonteDocumentsMetadata {
  /** The retrieval (the webhook's data.id), once the portal sign-in started. */
  retrievalId: number | null;
  /** The chosen portal's code and name. */
  institutionCode: string | null;
  institutionName: string | null;
  /** SUCCESS, FAILED or EXITED at the end; null before. */
  status: 'SUCCESS' | 'FAILED' | 'EXITED' | null;
  /** How many files arrived (the webhook's files with status success). */
  fileCount: number;
  errorKind: PonteLinkErrorKind | null;
  locale: string;
  occurredAt: string;
}

export interface PonteDocumentsOptions {
  /** The access_token of POST /api/token (made by your backend). */
  accessToken: string;
  /** The documents arrived and the end user pressed Finish; `fileCount` files. */
  onSuccess?: (metadata: PonteDocumentsMetadata & { status: 'SUCCESS' }) => void;
  /** They left, the retrieval failed, or the modal could not open (`errorKind`). */
  onExit?: (metadata: PonteDocumentsMetadata) => void;
  onEvent?: (event: PonteDocumentsEvent, metadata: PonteDocumentsMetadata) => void;
  locale?: 'pt-BR' | 'en';
  /** "modal" frames /app over the page; "redirect" sends the page to /app?access_token=…. */
  mode?: 'modal' | 'redirect';
  readyTimeoutMs?: number;
}

export interface PonteLinkHandle {
  open(): void;
  /** Removes the modal and stops listening; callbacks are not called. */
  destroy(): void;
}

export interface PonteLinkStatic {
  readonly VERSION: string;
  readonly EVENTS: readonly PonteLinkEvent[];
  readonly DOCUMENT_EVENTS: readonly PonteDocumentsEvent[];
  create(options: PonteLinkOptions): PonteLinkHandle;
  /** The documents app (`/app`), as a modal or a redirect. */
  createDocuments(options: PonteDocumentsOptions): PonteLinkHandle;
}

declare global {
  interface Window {
    PonteLink: PonteLinkStatic;
  }
}

declare const PonteLink: PonteLinkStatic;
export default PonteLink;
