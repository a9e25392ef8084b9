// A webhook receiver on loopback that keeps each delivery's raw body and headers.
import { createServer, type IncomingHttpHeaders } from "node:http";

export interface Delivery {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface Receiver {
  deliveries: Delivery[];
  close(): Promise<void>;
  /** The first delivery `matches` accepts, waiting up to `timeoutMs`. */
  waitFor(what: string, matches: (d: Delivery) => boolean, timeoutMs: number): Promise<Delivery>;
}

export async function receive(port: number): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      deliveries.push({ body: Buffer.concat(chunks), headers: request.headers });
      response.writeHead(204).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    waitFor(what, matches, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = deliveries.find(matches);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no ${what} webhook within ${timeoutMs} ms (${deliveries.length} received)`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
  };
}

/** The delivery's body as JSON, or undefined. */
export function json(d: Delivery): Record<string, any> | undefined {
  try {
    return JSON.parse(d.body.toString("utf8"));
  } catch {
    return undefined;
  }
}
