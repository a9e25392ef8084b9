// The hosted widget: consent explanation → institution → hand-off to the
// bank → (the bank sends the browser back here) waiting → result. It talks to
// Ponte only through the Data API with the link token.
import { chosenLocale, rememberLocale, ruleLocale, t, formatDate, countLabel } from './i18n.js';
import { ordered, matching } from './search.js';
import { client } from './api.js';
import { paintBrand } from './brand.js';
import { renewalBank, renewalDecision, paintRenewal } from './renewal.js';
import { duplicatePolicy, askAboutDuplicate } from './duplicates.js';

const SAVED = 'ponte.link';
// The bank's authorization request lives 90 s: an older one is replaced
// before the hand-off rather than sending the user to an error at the bank.
const FRESH_MS = 60_000;
const POLL_MS = 1000;
const POLL_TRIES = 30;
// The bank's window in the SDK's modal: the consent is checked this often
// until it leaves AWAITING_AUTHORISATION (the user may take minutes there).
const POPUP_POLL_MS = 1500;
const POPUP_NAME = 'ponte-bank';
// How long an exit waits for Ponte's word on the last consent's status.
const LAST_STATUS_WAIT_MS = 2500;

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const state = {
  locale: 'pt-BR',
  token: null,
  api: null,
  session: null,
  institutions: [],
  bank: null, // { institutionCode, name, avatar }
  consent: null, // { id, redirect, createdAt }
  busyCode: null,
  result: null, // { status, consentId }
  failure: null, // 'cancelled' | 'bank'
  error: null, // 'expired' | 'invalid' | 'network' | 'server'
  screen: 'loading',
  // The integrator's page that framed us through the SDK, if any: the only
  // origin our messages go to.
  parentOrigin: null,
  // The bank's window, when the SDK's modal handed off in a popup.
  popup: null,
  // Update mode: { consentId, institutionCode, institutionName, avatar }.
  renewal: null,
  // The renewed consent's new expiry, once known (formatted).
  renewedUntil: null,
};

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(SAVED) || '{}') || {};
  } catch {
    return {};
  }
}

function save() {
  const { token, locale, bank, consent, parentOrigin } = state;
  try {
    sessionStorage.setItem(SAVED, JSON.stringify({ token, locale, bank, parentOrigin, consentId: consent && consent.id }));
  } catch {
    // Private modes may refuse storage: the flow still works, only the
    // return screen then knows less (the bank's name).
  }
}

function vars() {
  const s = state.session;
  const months = s ? Math.round(s.consentValidityDays / 30.4) : 12;
  const until = new Date(Date.now() + (s ? s.consentValidityDays : 365) * 86_400_000);
  return {
    client: s ? s.clientName : '',
    bank: state.bank ? state.bank.name : t(state.locale, 'bank.yours'),
    months,
    date: formatDate(state.locale, until),
  };
}

const tr = (key, extra = {}) => t(state.locale, key, { ...vars(), ...extra });

/** The bank's address, asking its pages to speak the widget's language. */
function toBank() {
  try {
    const url = new URL(state.consent.redirect);
    url.searchParams.set('ui_locales', state.locale);
    return url.toString();
  } catch {
    return state.consent.redirect;
  }
}

/** The origin `raw` names, if it is exactly an http(s) origin. */
function originOf(raw) {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === raw ? raw : null;
  } catch {
    return null;
  }
}

/** Tells the SDK on the framing page what happened; a no-op when not framed. */
function emit(event, extra = {}) {
  if (!state.parentOrigin || window.parent === window) return;
  const metadata = {
    consentId: (state.consent && state.consent.id) || (state.result && state.result.consentId) || null,
    institutionCode: state.bank ? state.bank.institutionCode : null,
    institutionName: state.bank ? state.bank.name : null,
    status: (state.result && state.result.status) || null,
    lastStatus: null,
    errorKind: null,
    // Update mode: the same consentId, renewed.
    renewal: Boolean(state.renewal),
    locale: state.locale,
    occurredAt: new Date().toISOString(),
    ...extra,
  };
  window.parent.postMessage({ source: 'ponte-link', version: 1, event, metadata }, state.parentOrigin);
}

/** Writes every string of the page in the current language. */
function paint() {
  document.documentElement.lang = state.locale;
  document.title = tr('doc.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = tr(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', tr(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = tr(el.dataset.i18nPlaceholder);
  const other = state.locale === 'en' ? 'pt-BR' : 'en';
  $('lang').textContent = t(state.locale, 'lang.switch');
  $('lang').lang = other;
  paintBrand(state.session, 'privacy');
  $('validity').textContent = tr('consent.forValue');
  paintShared();
  if (state.institutions.length) paintBanks();
  paintOutcome();
  if (state.bank) $('handoff-logo').src = state.bank.avatar || '';
  paintRenewal($, tr, state.renewal, state.renewedUntil);
}

/** What a consent shares: the session's products (with their sentences in
 * each language) that the institutions offer. */
function paintShared() {
  const offered = new Set(state.institutions.flatMap((i) => i.availableResources || []));
  const listed = (state.session && state.session.products) || [];
  const products = listed.filter((p) => offered.size === 0 || offered.has(p.product));
  $('shared').replaceChildren(
    ...products.map((p) => {
      const li = document.createElement('li');
      li.textContent = p.label[state.locale] || p.label['pt-BR'];
      return li;
    }),
  );
}

function paintBanks() {
  const query = $('q').value;
  const shown = matching(state.institutions, query);
  $('banks').replaceChildren(...shown.map(bankItem));
  $('count').textContent = countLabel(state.locale, shown.length);
  $('empty').hidden = shown.length > 0;
  $('empty-text').textContent = tr('picker.empty', { query: query.trim() });
}

/** The bank's logo, or its initial when it has none or the logo fails to load. */
function bankMark(inst) {
  const initial = document.createElement('span');
  initial.className = 'initial';
  initial.setAttribute('aria-hidden', 'true');
  initial.textContent = (inst.name || '?').trim().charAt(0).toUpperCase();
  if (!inst.avatar) return initial;
  const logo = document.createElement('img');
  logo.alt = '';
  logo.addEventListener('error', () => logo.replaceWith(initial));
  logo.src = inst.avatar;
  return logo;
}

function bankItem(inst) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'bank';
  button.dataset.code = inst.institutionCode;
  const logo = bankMark(inst);
  const text = document.createElement('span');
  text.className = 'text';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = inst.name;
  text.append(name);
  button.append(logo, text);
  if (inst.isOutage) {
    button.disabled = true;
    button.classList.add('outage');
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = tr('picker.outage');
    text.append(tag);
  } else if (duplicatePolicy(state.session, inst.institutionCode)) {
    // Still a button: picking it says what the client allows.
    const tag = document.createElement('span');
    tag.className = 'tag connected';
    tag.textContent = tr('picker.connected');
    text.append(tag);
    button.classList.add('connected');
  }
  if (!inst.isOutage && state.busyCode) {
    button.disabled = true;
    if (state.busyCode === inst.institutionCode) {
      button.classList.add('busy');
      button.setAttribute('aria-busy', 'true');
      const progress = document.createElement('span');
      progress.className = 'tag progress';
      const spinner = document.createElement('span');
      spinner.className = 'spinner small';
      spinner.setAttribute('aria-hidden', 'true');
      progress.append(spinner, tr('picker.connecting'));
      text.append(progress);
    }
  }
  button.addEventListener('click', () => choose(inst));
  li.append(button);
  return li;
}

function paintOutcome() {
  if (state.failure) {
    $('failure-title').textContent = tr(`failure.${state.failure}.title`);
    $('failure-text').textContent = tr(`failure.${state.failure}.text`);
  }
  if (state.error) {
    $('error-title').textContent = tr(`error.${state.error}.title`);
    $('error-text').textContent = tr(`error.${state.error}.text`);
    $('error-retry').hidden = !(state.error === 'network' || state.error === 'server');
  }
  $('done-title').textContent = tr(state.result && state.result.status === 'EXITED' ? 'exited.title' : 'done.title');
}

function show(screen) {
  state.screen = screen;
  for (const section of document.querySelectorAll('section[data-screen]')) {
    section.hidden = section.dataset.screen !== screen;
  }
  document.body.dataset.at = screen;
  paint();
  const heading = document.querySelector(`[data-screen="${screen}"] h1`);
  if (heading) heading.focus({ preventScroll: false });
}

function showError(kind) {
  state.error = kind === 'expired' || kind === 'invalid' || kind === 'network' ? kind : 'server';
  show('error');
  emit('ERROR', { errorKind: state.error });
}

function pickerAlert(kind, bank) {
  const key = { outage: 'error.outage', bank: 'error.bank', network: 'error.network.text', DUPLICATE_CONNECTION: 'duplicate.refuse.text' }[kind] || 'error.server.text';
  const alert = $('picker-alert');
  alert.textContent = tr(key, bank ? { bank: bank.name } : {});
  alert.hidden = false;
}

/**
 * A bank the end user picked. One they already connected first gets the
 * client's notice (`confirmed` once they chose to go on anyway).
 */
async function choose(inst, confirmed = false) {
  if (state.busyCode || inst.isOutage) return;
  $('picker-alert').hidden = true;
  const policy = confirmed ? null : duplicatePolicy(state.session, inst.institutionCode);
  if (policy) {
    const answer = await askAboutDuplicate(policy, inst, tr);
    if (answer === 'continue') return choose(inst, true);
    if (answer === 'exit') return leave('EXITED', null, 'DUPLICATE_CONNECTION');
    const again = document.querySelector(`#banks button[data-code="${CSS.escape(inst.institutionCode)}"]`);
    if (again) again.focus();
    return;
  }
  state.busyCode = inst.institutionCode;
  paintBanks();
  emit('INSTITUTION_SELECTED', { institutionCode: inst.institutionCode, institutionName: inst.name });
  try {
    const created = await state.api.createConsent(inst.institutionCode, `${location.origin}/link`);
    state.bank = { institutionCode: inst.institutionCode, name: inst.name, avatar: inst.avatar };
    state.consent = { id: created.consentId, redirect: created.consentRedirectUrl, createdAt: performance.now() };
    save();
    state.busyCode = null;
    emit('CONSENT_CREATED', { status: 'AWAITING_AUTHORISATION' });
    show('handoff');
  } catch (e) {
    state.busyCode = null;
    paintBanks();
    if (e.kind === 'expired' || e.kind === 'invalid') return showError(e.kind);
    pickerAlert(inst.isOutage ? 'outage' : e.kind, inst);
    emit('ERROR', { errorKind: e.kind, institutionCode: inst.institutionCode, institutionName: inst.name });
  }
}

async function handOff() {
  const go = $('handoff-go');
  go.disabled = true;
  try {
    if (performance.now() - state.consent.createdAt > FRESH_MS) {
      const again = state.renewal
        ? await state.api.startRenewal(`${location.origin}/link`)
        : await state.api.createConsent(state.bank.institutionCode, `${location.origin}/link`);
      state.consent = { id: again.consentId, redirect: again.consentRedirectUrl, createdAt: performance.now() };
      save();
    }
    emit('HANDED_OFF', { status: 'AWAITING_AUTHORISATION' });
    if (state.parentOrigin) {
      go.disabled = false;
      return bankWindow();
    }
    location.assign(toBank());
  } catch (e) {
    go.disabled = false;
    showError(e.kind);
  }
}

/**
 * In the SDK's modal: banks refuse to be framed, so the bank opens in a
 * popup and this screen waits for the outcome. A blocked popup hands the
 * whole page over instead: the SDK sends the integrator's page to this link
 * at the same bank, which comes back to the link's redirectUrl.
 */
function bankWindow() {
  const popup = window.open(toBank(), POPUP_NAME, 'popup,width=480,height=720');
  if (!popup) {
    const url = new URL('/link', location.origin);
    url.searchParams.set('v', state.token);
    url.searchParams.set('institution', state.bank.institutionCode);
    url.searchParams.set('locale', state.locale);
    window.parent.postMessage({ source: 'ponte-link', version: 1, event: 'NAVIGATE', url: url.toString() }, state.parentOrigin);
    return undefined;
  }
  state.popup = popup;
  show('popup');
  return watchPopup(state.consent.id);
}

/** The consent's decision; in update mode, the renewal's (the consent stays AUTHORISED). */
async function decision(consentId) {
  if (!state.renewal) return state.api.consent(consentId);
  const d = await renewalDecision(state.api);
  if (d.status === 'AUTHORISED' && d.expirationDateTime) {
    state.renewedUntil = formatDate(state.locale, new Date(d.expirationDateTime));
  }
  return d;
}

/** Update mode: a new authorisation at the consent's bank, then the hand-off. */
async function renew() {
  const go = $('renew-continue');
  go.disabled = true;
  $('renew-alert').hidden = true;
  try {
    const started = await state.api.startRenewal(`${location.origin}/link`);
    state.consent = { id: started.consentId, redirect: started.consentRedirectUrl, createdAt: performance.now() };
    save();
    emit('CONSENT_CREATED', { status: 'AWAITING_AUTHORISATION' });
    show('handoff');
  } catch (e) {
    if (e.kind === 'expired' || e.kind === 'invalid') return showError(e.kind);
    const alert = $('renew-alert');
    alert.textContent = tr({ outage: 'error.outage', bank: 'error.bank', network: 'error.network.text' }[e.kind] || 'error.server.text');
    alert.hidden = false;
    emit('ERROR', { errorKind: e.kind });
  } finally {
    go.disabled = false;
  }
  return undefined;
}

/** Waits for the consent the popup is authorising to be decided. */
async function watchPopup(consentId) {
  let closedChecks = 0;
  while (state.screen === 'popup' && state.consent && state.consent.id === consentId) {
    let consent = null;
    try {
      consent = await decision(consentId);
    } catch (e) {
      if (e.kind === 'expired' || e.kind === 'invalid') return showError(e.kind);
    }
    if (state.screen !== 'popup') return undefined;
    if (consent && consent.status !== 'AWAITING_AUTHORISATION') {
      closePopup();
      emit('RETURNED');
      return settle(consentId, consent.status, consent.statusReason);
    }
    // Closed without a decision (a few checks, the bank may still be
    // answering Ponte): back to the hand-off to try again.
    if (state.popup && state.popup.closed) {
      closedChecks += 1;
      if (closedChecks > 3) {
        state.popup = null;
        return show('handoff');
      }
    }
    await sleep(POPUP_POLL_MS);
  }
  return undefined;
}

function closePopup() {
  try {
    if (state.popup && !state.popup.closed) state.popup.close();
  } catch {
    // A window the bank took over may refuse: the user closes it.
  }
  state.popup = null;
}

/** This page is the bank's popup, back at Ponte: tell the modal, then close. */
function inPopup() {
  try {
    return window.name === POPUP_NAME && Boolean(window.opener) && window.opener.location.origin === location.origin;
  } catch {
    return false;
  }
}

/** Back from the bank: confirm the consent's status with Ponte, then say how it went. */
async function waitFor(consentId, statusInUrl) {
  state.consent = { id: consentId, redirect: null, createdAt: 0 };
  show('waiting');
  emit('RETURNED');
  for (let i = 0; i < POLL_TRIES; i += 1) {
    let consent;
    try {
      consent = await decision(consentId);
    } catch (e) {
      // The link token may have expired while the user was at the bank: the
      // status Ponte put in the return URL is then the best we know.
      if (e.kind !== 'network' && e.kind !== 'server') return settle(consentId, statusInUrl, null);
      await sleep(POLL_MS);
      continue;
    }
    if (consent.status !== 'AWAITING_AUTHORISATION') return settle(consentId, consent.status, consent.statusReason);
    await sleep(POLL_MS);
  }
  return settle(consentId, 'AWAITING_AUTHORISATION', null);
}

function settle(consentId, status, reason) {
  state.result = { consentId, status };
  emit(status === 'AUTHORISED' ? 'AUTHORISED' : 'REJECTED', { consentId, status });
  if (status === 'AUTHORISED') return show('success');
  state.failure = status === 'REJECTED' && (reason === 'CUSTOMER_MANUALLY_REJECTED' || reason == null) ? 'cancelled' : 'bank';
  return show('failure');
}

/**
 * The last consent this visit made and where it stands, so that an exit
 * after a failure tells the integrator what failed: Ponte's answer when it
 * has one, else what the widget last saw.
 */
async function lastAttempt() {
  const id = (state.consent && state.consent.id) || (state.result && state.result.consentId) || null;
  if (!id) return { consentId: null, lastStatus: null };
  let known = state.result && state.result.consentId === id ? state.result.status : 'AWAITING_AUTHORISATION';
  try {
    // Leaving must not wait on a slow answer: after a moment, what the widget saw stands.
    const slow = new Promise((resolve) => setTimeout(() => resolve(null), LAST_STATUS_WAIT_MS));
    const consent = state.api ? await Promise.race([decision(id), slow]) : null;
    if (consent && consent.status) known = consent.status;
  } catch {
    // An expired link token cannot ask any more: what the widget saw stands.
  }
  return { consentId: id, lastStatus: known };
}

/** Back to the integrator with the outcome, as Ponte's own return would. */
async function leave(status, consentId, errorKind = null) {
  const target = state.session && state.session.redirectUrl;
  let lastStatus = null;
  if (status === 'EXITED') ({ consentId, lastStatus } = await lastAttempt());
  state.result = { status, consentId };
  closePopup();
  if (state.parentOrigin) {
    // Framed by the SDK: the integrator's page decides what comes next.
    try {
      sessionStorage.removeItem(SAVED);
    } catch {
      // Nothing saved, nothing to forget.
    }
    show('done');
    emit(status === 'EXITED' ? 'EXIT' : 'FINISH', { consentId: consentId || null, status, lastStatus, errorKind });
    return undefined;
  }
  if (!target) return show('done');
  try {
    const url = new URL(target);
    // status=EXITED&consentId=…&lastStatus=REJECTED: the exit, then what failed.
    url.searchParams.append('status', status);
    if (consentId) url.searchParams.append('consentId', consentId);
    if (lastStatus) url.searchParams.append('lastStatus', lastStatus);
    if (state.renewal) url.searchParams.append('renewal', 'true');
    sessionStorage.removeItem(SAVED);
    location.assign(url.toString());
  } catch {
    show('done');
  }
}

function exit() {
  if (state.screen === 'success') return leave('AUTHORISED', state.result.consentId);
  if (state.screen === 'done') return undefined;
  const dialog = $('exit-dialog');
  if (dialog.open) return undefined;
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else leave('EXITED');
  return undefined;
}

function wire() {
  $('lang').addEventListener('click', () => {
    state.locale = state.locale === 'en' ? 'pt-BR' : 'en';
    rememberLocale(state.locale);
    save();
    paint();
  });
  $('exit').addEventListener('click', exit);
  $('exit-stay').addEventListener('click', () => $('exit-dialog').close());
  $('exit-confirm').addEventListener('click', () => {
    $('exit-dialog').close();
    leave('EXITED');
  });
  $('consent-continue').addEventListener('click', () => show('picker'));
  $('picker-back').addEventListener('click', () => show('consent'));
  $('q').addEventListener('input', paintBanks);
  $('handoff-go').addEventListener('click', handOff);
  $('handoff-other').addEventListener('click', () => show('picker'));
  $('popup-again').addEventListener('click', () => {
    if (state.popup && !state.popup.closed) state.popup.focus();
    else bankWindow();
  });
  $('popup-other').addEventListener('click', () => {
    closePopup();
    show('picker');
  });
  // In the SDK's modal: Esc and a click outside the frame reach the
  // integrator's page, which asks us to leave; the confirmation is ours.
  window.addEventListener('message', (e) => {
    if (!state.parentOrigin || e.source !== window.parent || e.origin !== state.parentOrigin) return;
    const data = e.data;
    if (data && data.source === 'ponte-link-host' && data.event === 'EXIT_REQUESTED') exit();
  });
  document.addEventListener('keydown', (e) => {
    // An open dialog handles its own Esc (it means "stay").
    if (state.parentOrigin && e.key === 'Escape' && !$('exit-dialog').open && !$('dup-dialog').open) {
      // Else this very key press would cancel the dialog it opens.
      e.preventDefault();
      exit();
    }
  });
  window.addEventListener('message', (e) => {
    // Only our own popup, from our own origin, about the consent at hand.
    if (e.origin !== location.origin || !state.popup || e.source !== state.popup) return;
    const data = e.data;
    if (!data || data.source !== 'ponte-bank' || !state.consent || data.consentId !== state.consent.id) return;
    closePopup();
    if (state.screen === 'popup') {
      state.screen = 'waiting';
      waitFor(data.consentId, null);
    }
  });
  $('success-finish').addEventListener('click', () => leave('AUTHORISED', state.result.consentId));
  $('renew-continue').addEventListener('click', renew);
  $('failure-retry').addEventListener('click', () => {
    if (state.renewal) {
      state.failure = null;
      return show('renew');
    }
    const inst = state.institutions.find((i) => state.bank && i.institutionCode === state.bank.institutionCode);
    show('picker');
    // They already answered the notice, if any, for this bank.
    if (inst) choose(inst, true);
  });
  $('failure-other').addEventListener('click', () => show('picker'));
  $('failure-finish').addEventListener('click', () => leave(state.result.status, state.result.consentId));
  $('error-retry').addEventListener('click', () => start());
}

async function start() {
  const params = new URLSearchParams(location.search);
  const saved = load();
  const fresh = params.get('v');
  const asked = params.get('locale');
  // Until the session names the link's locale: a choice, the page's own
  // `?locale=` (the SDK's), the browser's. Decided before the first screen,
  // so that even the loading screen speaks it.
  state.locale = chosenLocale() || saved.locale || ruleLocale(asked);
  show('loading');
  state.token = fresh || saved.token || null;
  const embed = params.get('embed');
  state.parentOrigin = window.parent !== window ? originOf(embed) || (!fresh && saved.parentOrigin) || null : null;
  if (saved.token === state.token && saved.bank) state.bank = saved.bank;
  // The SDK's modal waits for this: a frame that never says it (framing
  // refused, Ponte unreachable) is closed with an errorKind.
  emit('READY');
  const returning = params.get('consentId');
  const statusInUrl = params.get('status');
  if (returning && inPopup()) {
    // The modal checks the consent itself; the message only saves it a poll.
    window.opener.postMessage({ source: 'ponte-bank', consentId: returning }, location.origin);
    show('returned');
    window.close();
    return undefined;
  }
  save();
  if (!state.token) {
    if (returning && statusInUrl) return settle(returning, statusInUrl, null);
    return showError('invalid');
  }
  state.api = client(state.token);
  try {
    const [session, institutions] = await Promise.all([state.api.session(), state.api.institutions()]);
    state.session = session;
    // The link's language, unless the end user chose one.
    if (!chosenLocale() && !saved.locale && session.locale) state.locale = ruleLocale(session.locale);
    // Already darkened by Ponte if white text on it would be hard to read.
    if (session.primaryColor) document.documentElement.style.setProperty('--accent', session.primaryColor);
    state.institutions = ordered(institutions);
    if (session.renewal) {
      state.renewal = session.renewal;
      state.bank = renewalBank(session.renewal);
    }
  } catch (e) {
    if (returning && statusInUrl && (e.kind === 'expired' || e.kind === 'invalid')) {
      return settle(returning, statusInUrl, null);
    }
    return showError(e.kind);
  }
  if (returning) return waitFor(returning, statusInUrl);
  // The SDK's modal could not open a popup and handed the page over: straight
  // on to the bank the user chose.
  if (state.renewal) {
    show('renew');
    emit('OPEN');
    return undefined;
  }
  const chosen = state.institutions.find((i) => i.institutionCode === params.get('institution') && !i.isOutage);
  if (chosen && fresh) {
    show('picker');
    return choose(chosen, true);
  }
  show('consent');
  emit('OPEN');
  return undefined;
}

// `/app` is the same page in documents mode: its own module runs the screens.
if (document.documentElement.dataset.mode === 'documents') {
  // The SDK's modal hears READY before the frame's load event; documents.js
  // comes later (a dynamic import does not hold that event back).
  const embed = originOf(new URLSearchParams(location.search).get('embed'));
  if (embed && window.parent !== window) window.parent.postMessage({ source: 'ponte-link', version: 1, event: 'READY' }, embed);
  import('./documents.js');
} else {
  wire();
  start();
}
