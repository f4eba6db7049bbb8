/**
 * A bare node:http server on loopback for transport tests: it records every request (method, URL,
 * headers, body) and every connection that closed before its response ended, and counts the body
 * bytes it wrote, so tests can assert what reached it and when the client hung up.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  requests: RecordedRequest[];
  /** Body bytes written to clients so far (what `write`/`end` sent). */
  bytesSent: number;
  /** Responses whose connection closed before they ended (the client aborted). */
  aborted: number;
  /** Resolves when the next response's connection closes before the response ended. */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

export type RawHandler = (req: RecordedRequest, res: ServerResponse, server: RawServer) => void;

export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const waiters: Array<() => void> = [];
  const state: RawServer = {
    url: '',
    requests: [],
    bytesSent: 0,
    aborted: 0,
    nextAbort: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.requests.push(recorded);
      const write = res.write.bind(res) as (chunk: string | Buffer) => boolean;
      res.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
        state.bytesSent += Buffer.byteLength(chunk);
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof res.write;
      res.on('close', () => {
        if (res.writableFinished) return;
        state.aborted += 1;
        waiters.splice(0).forEach((resolve) => resolve());
      });
      handler(recorded, res, state);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Answers a JSON body. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.write(text);
  res.end();
}
