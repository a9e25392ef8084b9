// Types for ponte-link.js 1.1.0, served beside it at /ponte-link.d.ts.

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

/** The same shape with every event and callback; unknown parts are null. */
export interface PonteLinkMetadata {
  /** The consent being authorised, once one exists. */
  consentId: string | null;
  /** The chosen institution's code (e.g. "itau") and name. */
  institutionCode: string | null;
  institutionName: string | null;
  /** The consent's status when known: AWAITING_AUTHORISATION, AUTHORISED, REJECTED, EXITED. */
  status: string | null;
  /** What went wrong, for ERROR: expired | invalid | network | server | outage | bank. */
  errorKind: string | null;
  /** The widget's language: "pt-BR" or "en". */
  locale: string;
  /** When it happened, RFC 3339. */
  occurredAt: string;
}

export interface PonteLinkOptions {
  /** The link token from POST /data/v1/links (made by your backend). */
  token: string;
  /** The end user connected an account and pressed Finish. */
  onSuccess?: (metadata: PonteLinkMetadata) => void;
  /** The end user left, or finished without connecting. */
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
}

export interface PonteLinkHandle {
  open(): void;
  /** Removes the modal and stops listening; callbacks are not called. */
  destroy(): void;
}

export interface PonteLinkStatic {
  readonly VERSION: string;
  readonly EVENTS: readonly PonteLinkEvent[];
  create(options: PonteLinkOptions): PonteLinkHandle;
}

declare global {
  interface Window {
    PonteLink: PonteLinkStatic;
  }
}

declare const PonteLink: PonteLinkStatic;
export default PonteLink;
