// A tiny element builder: no innerHTML, so nothing from the API is ever
// parsed as markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

// A small bar chart per day, as inline SVG (no library, no inline style).
export function chart(values, label) {
  const w = 300, hgt = 60, n = values.length || 1;
  const max = Math.max(1, ...values);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  // Stretch to the card's width: the last bar is today, at the right edge.
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const bw = w / n;
  values.forEach((v, i) => {
    const r = document.createElementNS(SVG, 'rect');
    const bh = Math.round((v / max) * (hgt - 4));
    r.setAttribute('x', String(i * bw + 1));
    r.setAttribute('y', String(hgt - bh));
    r.setAttribute('width', String(Math.max(1, bw - 2)));
    r.setAttribute('height', String(bh));
    svg.append(r);
  });
  return svg;
}
