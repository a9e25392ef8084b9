// Cursor pagination: Ponte's lists answer a page and an opaque `nextCursor`.

/** One page as the API answers it: its items and the cursor of the next one (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * Every item of every page, fetching the next page only when the caller gets there.
 *
 * ```ts
 * for await (const message of paginate((cursor) => data.webhookMessages({ status: "dead", cursor }))) { … }
 * ```
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (!page.nextCursor || seen.has(page.nextCursor)) return;
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

/** Every item into one array (mind the size of what you list). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
