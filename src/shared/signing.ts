// Who made a journal entry, in a form the hub can check. A station's credential proves only which
// station is pushing; its store is a file on a desk computer, so whatever it says of who did
// something could be written by anyone holding that file. Instead every entry is signed:
//
// - by the staff account that made it, with that account's Ed25519 private key. The key is kept
//   sealed with a key derived from the account's password (scrypt, then AES-256-GCM), and opened
//   only in memory while the account is signed in at a station: a station file alone cannot sign
//   as anyone. The hub holds each account's public key (in its staff row) and checks.
// - by the station's own key, for what no staff account does: the kiosk's commands and the
//   station's housekeeping (loan history purges, lockouts). The hub allows that key only those.
//
// What is signed is the entry's canonical JSON (keys sorted, no whitespace) without its seq: the
// seq is given by the journal's insert, and the hub receives each entry id only once, so a
// signed entry cannot be replayed under another seq.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { JournalEntry } from '../domain/journal';
import { SCRYPT_COST, scryptAsync } from './secrets';

/** scrypt cost for the key that seals a private key: the same as the password hash's. */
const { N, r: R, p: P } = SCRYPT_COST;

export interface KeyPair {
  /** SPKI DER, base64: what the hub and stations keep in the staff row. */
  publicKey: string;
  privateKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey };
}

export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
}

export function exportPrivateKey(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
}

export function importPrivateKey(pkcs8: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
}

function encrypt(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `${iv.toString('base64')}$${cipher.getAuthTag().toString('base64')}$${body.toString('base64')}`;
}

function decrypt(key: Buffer, sealed: string): Buffer | null {
  const [ivB64, tagB64, bodyB64] = sealed.split('$');
  if (!ivB64 || !tagB64 || bodyB64 === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64'));
    decipher.setAuthTag(Buffer.from(tagB64, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(bodyB64, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * Seals a private key with the account's password: `seal1$N$r$p$salt$iv$tag$ciphertext`.
 * Synchronous because it runs where an account is created or its password set, inside the
 * command's SQLite transaction; opening it at sign-in (the path an attacker can drive) is async.
 */
export function sealPrivateKey(privateKey: KeyObject, password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: R, p: P });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return `seal1$${N}$${R}$${P}$${salt.toString('base64')}$${encrypt(key, pkcs8)}`;
}

/** Opens a sealed private key with the password, off the event loop; null when the password is wrong or the seal damaged. */
export async function unsealPrivateKey(sealed: string, password: string): Promise<KeyObject | null> {
  const parts = sealed.split('$');
  if (parts.length !== 8 || parts[0] !== 'seal1') return null;
  const [, n, r, p, saltB64, ...rest] = parts as [string, string, string, string, string, string, string, string];
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), 32, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  }).catch(() => null);
  if (!key) return null;
  const pkcs8 = decrypt(key, rest.join('$'));
  return pkcs8 ? createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) : null;
}

/**
 * A session keeps its account's private key sealed with a key derived from the session's bearer
 * token, which only the signed-in client holds (the station stores the token's hash): a restarted
 * station opens it again at the session's next request, a stolen station file cannot.
 */
export function sealForSession(privateKey: KeyObject, token: string): string {
  return encrypt(sessionKey(token), privateKey.export({ type: 'pkcs8', format: 'der' }));
}

export function unsealForSession(sealed: string, token: string): KeyObject | null {
  const pkcs8 = decrypt(sessionKey(token), sealed);
  return pkcs8 ? createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) : null;
}

function sessionKey(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), Buffer.alloc(0), 'circa session key seal', 32));
}

/**
 * JSON with every object's keys sorted: the same bytes at the station that signs and the hub that
 * checks. Written as loops rather than entries/filter/sort/map: a MARC import signs batches of
 * ~400 KB, and the intermediate arrays were a measurable share of its time and of its garbage.
 *
 * A value that is already canonical (plain objects whose keys are in sorted order, arrays,
 * strings, numbers, booleans, null; see isCanonical) is JSON.stringify's own output, made in one
 * native pass without a string a row: a journal entry's payload and rows are built so
 * (src/services/command.ts). src/shared/signing.test.ts checks the bytes against the original
 * function on random values.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (isCanonical(value, 0)) return JSON.stringify(value);
  return canonicalParts(value);
}

/** The canonical JSON of an object or array that JSON.stringify would not write canonically itself. */
function canonicalParts(value: object): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort orders strings by UTF-16 code units, as `a < b` does.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = object[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Nesting past this is left to canonicalParts (which recurses as before) rather than walked twice. */
const MAX_CANONICAL_DEPTH = 32;

/**
 * True when JSON.stringify(value) is its canonical JSON: every object in it plain (no class, no
 * toJSON) with its keys in ascending order, every array a plain array, every other value a
 * primitive that JSON writes as canonicalJson does (undefined: left out of an object, null in
 * an array, by both).
 */
function isCanonical(value: object, depth: number): boolean {
  if (depth > MAX_CANONICAL_DEPTH) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!isCanonicalValue(value[i], depth)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0 && !(keys[i - 1]! < k)) return false;
    if (!isCanonicalValue(object[k], depth)) return false;
  }
  return true;
}

function isCanonicalValue(v: unknown, depth: number): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'object':
      return isCanonical(v, depth + 1);
    default:
      return false;
  }
}

export type SignedPart = Omit<JournalEntry, 'seq' | 'signature'>;

/**
 * The canonical JSON of the signed fields (keys in sorted order) as UTF-8 bytes, with the
 * payload's canonical JSON given when the caller has it already: runCommand keeps that same text
 * as the journal's payload, so a batch is serialised once rather than twice. The bytes are
 * written once into one buffer: a MARC import's payloads are ~370 KB, and joining them into
 * another string first cost a copy of each.
 */
function signedBytes(entry: SignedPart, payloadJson?: string): Buffer {
  const parts: string[] = [];
  const add = (key: string, v: unknown) => {
    if (v !== undefined) parts.push(`"${key}":${canonicalJson(v)}`);
  };
  add('branchId', entry.branchId);
  add('command', entry.command);
  add('hlc', entry.hlc);
  add('id', entry.id);
  const before = parts.length;
  add('staffId', entry.staffId);
  add('stationId', entry.stationId);
  add('wallTime', entry.wallTime);
  if (entry.payload === undefined) return Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const payload = payloadJson ?? canonicalJson(entry.payload);
  const head = `{${parts.slice(0, before).join(',')}${before > 0 ? ',' : ''}"payload":`;
  const tail = `${parts.length > before ? ',' : ''}${parts.slice(before).join(',')}}`;
  const headBytes = Buffer.byteLength(head, 'utf8');
  const payloadBytes = Buffer.byteLength(payload, 'utf8');
  const out = Buffer.allocUnsafe(headBytes + payloadBytes + Buffer.byteLength(tail, 'utf8'));
  out.write(head, 0, 'utf8');
  out.write(payload, headBytes, 'utf8');
  out.write(tail, headBytes + payloadBytes, 'utf8');
  return out;
}

/** `payloadJson`, when given, must be canonicalJson(entry.payload). */
export function signEntry(entry: SignedPart, privateKey: KeyObject, payloadJson?: string): string {
  return sign(null, signedBytes(entry, payloadJson), privateKey).toString('base64');
}

/** True when `signature` is `publicKey`'s over the entry. A malformed key or signature is false, never a throw. */
export function verifyEntry(
  entry: SignedPart,
  signature: string | null | undefined,
  publicKey: string | null | undefined,
): boolean {
  if (!signature || !publicKey) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, signedBytes(entry), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
