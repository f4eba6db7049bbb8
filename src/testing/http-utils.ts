import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body as UTF-8 (rejects above 1 MiB or on socket errors). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed')));
  });
}

/** Sends `body` as JSON with `status`, unless the response is already finished or gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
  });
  res.end(payload);
}

/** Returns the first value of a request header, if present. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the request's media type (parameters ignored) equals `type`. */
export function hasMediaType(req: IncomingMessage, type: string): boolean {
  const value = header(req, 'content-type');
  return value !== undefined && value.split(';')[0].trim().toLowerCase() === type;
}

/** Parses an `application/x-www-form-urlencoded` string into a plain object (first value wins). */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** Parses `text` as a JSON object, or returns undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** Parses a body for echoing: JSON when possible, else the raw string; `null` when empty. */
export function echoBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Extracts the token of an `Authorization: Bearer <token>` header (scheme case-insensitive). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match ? match[1] : undefined;
}

/** The two possible readings of an HTTP Basic header. */
export interface BasicCredentials {
  /** Split on the first ':' with no decoding. */
  raw: { id: string; secret: string };
  /** Each part form-urlencoded-decoded (RFC 6749 §2.3.1); undefined when malformed. */
  strict?: { id: string; secret: string };
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Decodes an `Authorization: Basic …` header, or returns undefined if absent or not Basic. */
export function basicCredentials(req: IncomingMessage): BasicCredentials | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const raw = { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  try {
    return { raw, strict: { id: formDecode(raw.id), secret: formDecode(raw.secret) } };
  } catch {
    return { raw };
  }
}
