/**
 * Keyed hashing for pseudonyms: HMAC-SHA-256 through Web Crypto (Node 20+, browsers, Deno, Bun,
 * edge), the one implementation `pseudonymise` and `pseudonymiseReport` share.
 * @module
 */
import { optionError, VitalsError } from './errors';

/** The key as bytes; throws a located option error when it is not a non-empty string or Uint8Array. */
export function readHmacKey(fn: string, key: unknown): Uint8Array {
  const bytes = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0)
    throw optionError(fn, 'key', 'is required: a non-empty string or Uint8Array', 'required');
  return bytes;
}

/**
 * A function that maps a string to the lowercase hex HMAC-SHA-256 of it under `key`.
 * @throws VitalsError when the runtime has no Web Crypto.
 */
export async function hmacHex(fn: string, key: Uint8Array): Promise<(text: string) => Promise<string>> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new VitalsError(`${fn}: Web Crypto (crypto.subtle) is not available in this runtime`, { fn });
  const cryptoKey = await subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const enc = new TextEncoder();
  return async (text) =>
    Array.from(new Uint8Array(await subtle.sign('HMAC', cryptoKey, enc.encode(text))), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
}
