// "You already connected {bank}": the session names the banks this end user
// already connected for the client (`alreadyConnected`) when the client warns
// about or refuses a second connection. The notice is asked before any
// consent is made, so the creation answer's `duplicateWarning` (meant for
// integrators' own pages) never makes the widget say it twice.

const $ = (id) => document.getElementById(id);

/** 'warn' or 'refuse' when `code` is a bank the end user already connected; else null. */
export function duplicatePolicy(session, code) {
  const a = session && session.alreadyConnected;
  if (!a || !Array.isArray(a.institutionCodes) || !a.institutionCodes.includes(code)) return null;
  return a.policy === 'warn' || a.policy === 'refuse' ? a.policy : null;
}

/**
 * Asks about `inst` in a modal dialog. Resolves 'continue' (warn: go on to
 * the consent), 'exit' (refuse: leave the widget) or 'back' (Cancel, Choose
 * another bank, Esc, or the dialog closed from outside).
 */
export function askAboutDuplicate(policy, inst, tr) {
  const dialog = $('dup-dialog');
  const primary = $('dup-primary');
  const secondary = $('dup-secondary');
  dialog.dataset.policy = policy;
  $('dup-title').textContent = tr(`duplicate.${policy}.title`, { bank: inst.name });
  $('dup-text').textContent = tr(`duplicate.${policy}.text`, { bank: inst.name });
  primary.textContent = tr(`duplicate.${policy}.primary`);
  secondary.textContent = tr(`duplicate.${policy}.secondary`);
  primary.value = policy === 'warn' ? 'continue' : 'back';
  secondary.value = policy === 'warn' ? 'back' : 'exit';
  return new Promise((resolve) => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue || 'back'), { once: true });
    dialog.showModal();
    primary.focus();
  });
}
