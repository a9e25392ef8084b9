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

function svgEl(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

// One bar per day with its days labelled under the axis and the scale on
// the left, as inline SVG (no library, no inline style). `days` are
// 'YYYY-MM-DD'; `dayLabel` turns one into the reader's short date.
// A day without data shows a thin tick on the axis, so the 30 days read
// as 30 days and not as an empty track.
export function chart(values, days, label, dayLabel, unit = '') {
  const w = 320, top = 8, plot = 64, left = 30, right = 10, n = values.length || 1;
  const bottom = top + plot;
  const max = Math.max(1, ...values.filter((v) => v !== null));
  const svg = svgEl('svg', { viewBox: `0 0 ${w} ${bottom + 20}`, class: 'chart', role: 'img', 'aria-label': label });
  const bw = (w - left - right) / n;
  svg.append(
    svgEl('line', { x1: left, x2: w - right, y1: bottom + 0.5, y2: bottom + 0.5, class: 'axis' }),
    svgEl('line', { x1: left, x2: w - right, y1: top + 0.5, y2: top + 0.5, class: 'grid' }),
    svgEl('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', class: 'tick' }, `${max}${unit}`),
    svgEl('text', { x: left - 4, y: bottom + 3, 'text-anchor': 'end', class: 'tick' }, `0${unit}`));
  values.forEach((v, i) => {
    const x = left + i * bw + 1;
    const bh = v ? Math.max(2, (v / max) * plot) : 0;
    const bar = v
      ? svgEl('rect', { x, y: bottom - bh, width: Math.max(1, bw - 2), height: bh, class: 'bar' })
      : svgEl('rect', { x, y: bottom - 1, width: Math.max(1, bw - 2), height: 1, class: 'empty' });
    bar.append(svgEl('title', {}, `${dayLabel(days[i])}: ${v ?? '—'}${v === null ? '' : unit}`));
    svg.append(bar);
  });
  // A label a week apart, and today at the right edge.
  const marks = [0, 7, 14, 21, n - 1].filter((i) => i < n);
  for (const i of marks) {
    const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    const x = i === 0 ? left + 1 : i === n - 1 ? w - right : left + (i + 0.5) * bw;
    svg.append(svgEl('text', { x, y: bottom + 15, 'text-anchor': anchor, class: 'tick' }, dayLabel(days[i])));
  }
  return svg;
}
