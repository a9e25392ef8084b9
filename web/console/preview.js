// The widget preview in the settings page: the widget's own stylesheet with
// the colour, name and logo given in the query (nothing is saved here).
const q = new URLSearchParams(location.search);
const color = q.get('color');
if (color && /^#[0-9a-fA-F]{6}$/.test(color)) {
  document.documentElement.style.setProperty('--accent', color);
}
const name = q.get('name');
if (name) document.getElementById('brand-name').textContent = name;
const logo = q.get('logo');
if (logo && logo.startsWith('https://')) {
  const img = document.getElementById('brand-logo');
  img.src = logo;
  img.hidden = false;
}
if (q.get('lang') === 'en') {
  document.documentElement.lang = 'en';
  document.getElementById('title').textContent = 'Choose your institution';
  document.getElementById('lead').textContent = 'Through Open Finance, you authorise on your bank’s own site.';
  document.getElementById('continue').textContent = 'Continue';
  // The widget's own footer and the frame's title, as the English widget says them.
  document.querySelector('footer.foot').textContent = 'Secured by Ponte · Open Finance Brasil';
  document.title = 'Widget preview';
}
