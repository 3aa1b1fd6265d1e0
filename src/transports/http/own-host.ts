// Which requests are the station's own: the guard against DNS rebinding and cross-site requests.
//
// A web page anywhere can point a name it controls (evil.example) at 127.0.0.1 and then talk to
// the station's port as "its own" site: the browser sends `Host: evil.example`. So every request
// must name the station by one of its own names: a loopback name with the station's port, the
// address and port the connection actually arrived at, or a name IT listed (`--allowed-host`,
// CIRCA_ALLOWED_HOSTS). And a request that changes something must come from one of those origins
// (or from no browser page at all: no Origin header), never from another site.
import { BlockList, isIP, isIPv4 } from 'node:net';

/** A name IT lets the station be reached by; `port` null: any port (a reverse proxy's 443, say). */
export interface AllowedHost {
  name: string;
  port: number | null;
}

/** The station's own names, fixed at start; the port and address come from each connection. */
export interface OwnHostPolicy {
  allowed: AllowedHost[];
}

/** What a request says about where it was sent, and where it arrived. */
export interface RequestFacts {
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /**
   * A WebSocket handshake (`Upgrade: websocket`): judged as a request that changes something,
   * since every call on the socket may. Browsers send no CORS preflight for a WebSocket and let
   * any page open one to any host: its Origin is the only word of whose page it is.
   */
  webSocket?: boolean;
  /** The socket's own address and port: what the connection really reached. */
  localAddress: string | undefined;
  localPort: number | undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 421 | 403; message: string };

/** `name`, `name:port`, `[v6]`, `[v6]:port` -> name (lower case, brackets and a final dot off) and port. */
export function splitHost(value: string): { name: string; port: number | null } | null {
  const text = value.trim().toLowerCase();
  // A DNS name or an IPv4 address (letters, digits, - _ .), or an IPv6 address in brackets: no
  // user@, no path, no spaces.
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const name = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!.replace(/\.$/, '');
  const port = m[2] === undefined ? null : Number(m[2]);
  if (!name || (port !== null && (port < 1 || port > 65535))) return null;
  if (m[1]!.startsWith('[') && isIP(name) !== 6) return null;
  return { name, port };
}

/**
 * The allowed-host list from `--allowed-host` options and CIRCA_ALLOWED_HOSTS (comma-separated),
 * plus the --host the station listens on when that is a name or address other than a wildcard.
 * Throws on an entry that is not a host name (so a typo stops the station at start, not later).
 */
export function allowedHostsFrom(options: string[], env: string | undefined, listenHost?: string): AllowedHost[] {
  const specs = [...options, ...(env ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  const allowed = specs.map((spec) => {
    const parsed = splitHost(spec);
    if (!parsed)
      throw new Error(
        `"${spec}" is not a host name or address (expected name or name:port, e.g. desk.library.example:7300)`,
      );
    return isIP(parsed.name) ? { ...parsed, name: canonicalIp(parsed.name) } : parsed;
  });
  const listen = listenHost
    ? splitHost(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost)
    : null;
  if (listen && !isWildcard(listen.name) && !isLoopbackName(listen.name))
    allowed.push({ name: isIP(listen.name) ? canonicalIp(listen.name) : listen.name, port: null });
  return allowed;
}

function isWildcard(name: string): boolean {
  return name === '0.0.0.0' || name === '::' || name === '::0';
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** localhost, 127.0.0.0/8 (a real IPv4 address: not "127.0.0.1.evil.example"), ::1, and those as IPv4-mapped IPv6. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** One spelling per address: ::ffff:10.0.0.5 is 10.0.0.5, and IPv6 in its shortest form. */
function canonicalIp(address: string): string {
  if (address.startsWith('::ffff:') && isIPv4(address.slice(7))) return address.slice(7);
  return isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/**
 * Is `host:port` one of the station's own names? `scheme` is the page's (for an Origin) or the
 * station's own, http. Loopback names and the connection's own address count with the station's
 * own port and over http only (that is what the station serves); a listed name with its port or
 * any port if it was listed without one, over http or https (a proxy in front may add TLS).
 */
function isOwn(
  policy: OwnHostPolicy,
  facts: RequestFacts,
  given: { name: string; port: number },
  scheme: 'http' | 'https',
): boolean {
  const target = { name: isIP(given.name) ? canonicalIp(given.name) : given.name, port: given.port };
  const ownPort = facts.localPort;
  if (scheme === 'http' && target.port === ownPort) {
    if (isLoopbackName(target.name)) return true;
    if (facts.localAddress && isIP(target.name) && canonicalIp(target.name) === canonicalIp(facts.localAddress))
      return true;
  }
  return policy.allowed.some((a) => a.name === target.name && (a.port === null || a.port === target.port));
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a browser says of a request from the station's own page, or typed into the address bar. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/** The verdict on one request: its Host first (every route), then its Origin if it changes something. */
export function judgeRequest(policy: OwnHostPolicy, facts: RequestFacts): Verdict {
  const host = facts.host ? splitHost(facts.host) : null;
  if (!host || !isOwn(policy, facts, { name: host.name, port: host.port ?? 80 }, 'http')) {
    const named = facts.host ? `"${facts.host.slice(0, 100)}"` : 'no name';
    return {
      ok: false,
      status: 421,
      message: `This station does not answer to ${named}. Open it by its own address (http://127.0.0.1:${facts.localPort ?? 7300}/ on this machine), or have IT add the name with --allowed-host.`,
    };
  }
  const api = facts.path.startsWith('/api/') || facts.path === '/api';
  const changes = STATE_CHANGING.has(facts.method.toUpperCase()) || facts.webSocket === true;
  // A page of another site may not drive the API, and may not open its event streams.
  if ((changes || api) && facts.secFetchSite !== undefined && !OWN_FETCH_SITES.has(facts.secFetchSite.toLowerCase())) {
    return {
      ok: false,
      status: 403,
      message: "Requests from another site's pages are refused: use the station's own pages.",
    };
  }
  if (changes && facts.origin !== undefined && !isOwnOrigin(policy, facts, facts.origin)) {
    return {
      ok: false,
      status: 403,
      message: "Requests from another site's pages are refused: use the station's own pages.",
    };
  }
  return { ok: true };
}

function isOwnOrigin(policy: OwnHostPolicy, facts: RequestFacts, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed frame, a file:// page) and anything else unparseable
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) return false;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const name = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname.replace(/\.$/, '');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  return isOwn(policy, facts, { name: name.toLowerCase(), port }, scheme);
}

/**
 * Is the caller on this machine? A loopback socket address, and no proxy in between: a request a
 * proxy relayed (X-Forwarded-For, Forwarded, X-Real-IP) may come from anywhere, even when the
 * proxy itself runs here.
 */
export function isLocalCaller(
  remoteAddress: string | undefined,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const relayed =
    headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined;
  if (relayed || !remoteAddress) return false;
  return isLoopbackName(remoteAddress);
}
