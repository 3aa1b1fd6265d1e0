// A bare HTTP(S) client for hub tests: one fresh connection per request (no pooling), so a proxy
// fault set before a request applies to that request.
import http from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  body: unknown;
}

export function call(
  url: string,
  opts: { method?: string; body?: unknown; credential?: string; timeoutMs?: number; ca?: string | Buffer } = {},
): Promise<Answer> {
  const u = new URL(url);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: opts.method ?? (payload ? 'POST' : 'GET'),
        agent: false,
        timeout: opts.timeoutMs ?? 10_000,
        ...(opts.ca ? { ca: opts.ca } : {}),
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.credential ? { authorization: `Bearer ${opts.credential}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}
