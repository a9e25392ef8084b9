// Ordering and searching the institutions. No DOM, so Node can test it.

// The banks most people look for, first, in this order; the rest by name.
const POPULAR = ['itau', 'nubank', 'bradesco', 'bb', 'caixa', 'santander', 'inter'];

/** Lower case without accents: "Itaú" and "ITAU" both become "itau". */
export function fold(text) {
  return String(text).normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();
}

export function ordered(institutions) {
  const rank = (i) => {
    const at = POPULAR.indexOf(i.institutionCode);
    return at === -1 ? POPULAR.length : at;
  };
  return [...institutions].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'pt-BR', { sensitivity: 'base' }),
  );
}

/** The institutions whose name or code contains every word of `query`. */
export function matching(institutions, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return institutions;
  return institutions.filter((i) => {
    const hay = `${fold(i.name)} ${fold(i.institutionCode)}`;
    return words.every((w) => hay.includes(w));
  });
}
