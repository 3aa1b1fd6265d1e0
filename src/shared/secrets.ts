// PINs and passwords are stored only as salted scrypt hashes, and never logged. The cost is
// chosen so that a kiosk sign-in stays well under a tenth of a second on a desk PC while a
// stolen station file does not give up four-digit PINs cheaply (each guess costs the same).
// Checking a sign-in uses verifySecretAsync: scrypt on libuv's thread pool, so that a burst of
// guesses does not stall the desk's event loop; hashing a new secret may stay synchronous.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';

/** scrypt's cost, for every hash and for the key that seals a staff account's private key (signing.ts). */
export const SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;
const { N, r, p } = SCRYPT_COST;
const KEY_LENGTH = 32;

export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The parts of a stored hash, or null when it is not one of ours. */
function parseHash(stored: string | null | undefined): { salt: Buffer; key: Buffer; options: ScryptOptions } | null {
  if (!stored) return null;
  const [scheme, n, rr, pp, saltB64, keyB64] = stored.split('$');
  const options = { N: Number(n), r: Number(rr), p: Number(pp) };
  if (scheme !== 'scrypt' || !saltB64 || !keyB64 || !Object.values(options).every((v) => Number.isInteger(v) && v > 0))
    return null;
  return { salt: Buffer.from(saltB64, 'base64'), key: Buffer.from(keyB64, 'base64'), options };
}

/** scrypt of the secret (NFKC-normalised, as typed on any keyboard) on libuv's thread pool. */
export function scryptAsync(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * A hash of the same parameters as every real one, checked when there is no real one (an unknown
 * username or card, an inactive account, a patron with no PIN): the answer then takes as long as
 * for a known account, so timing does not tell which names exist.
 */
let dummyHash: string | null = null;
const dummy = (): string => (dummyHash ??= hashSecret(randomBytes(16).toString('hex')));

/**
 * Whether the secret is the one the stored hash was made from, off the event loop. A missing or
 * malformed stored hash costs the same time as a real one and never matches.
 */
export async function verifySecretAsync(secret: string, stored: string | null | undefined): Promise<boolean> {
  const real = parseHash(stored);
  const { salt, key, options } = real ?? (parseHash(dummy()) as NonNullable<ReturnType<typeof parseHash>>);
  const actual = await scryptAsync(secret, salt, key.length, options);
  return timingSafeEqual(actual, key) && real !== null;
}

/** A random bearer token, and the hash under which it is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
