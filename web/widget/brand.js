// The client's brand, painted alike in both modes of the widget.

const $ = (id) => document.getElementById(id);

/**
 * The client's name with its logo, or with its initial when it has none,
 * and the link to its privacy policy when it has one.
 */
export function paintBrand(session, privacyId) {
  const name = session ? session.clientName : '';
  $('brand-name').textContent = name;
  $('brand-mark').textContent = name ? name.trim().charAt(0).toUpperCase() : '';
  const logo = session && session.logoUrl;
  if (logo && $('brand-logo').getAttribute('src') !== logo) $('brand-logo').src = logo;
  $('brand-logo').hidden = !logo;
  $('brand-mark').hidden = !name || Boolean(logo);
  const privacy = session && session.privacyPolicyUrl;
  $(privacyId).hidden = !privacy;
  if (privacy) $(`${privacyId}-link`).href = privacy;
}
