// The TOTP code of a key (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps),
// computed here as an authenticator app would, from the key the platform
// shows (base32, RFC 4648). Node's own crypto: no package.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(key: string): Buffer {
  const clean = key.replace(/[\s=]/g, '').toUpperCase();
  let bits = '';
  for (const c of clean) {
    const value = ALPHABET.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${c}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code of `key` at `now` (ms since 1970), `offset` steps later. */
export function totp(key: string, now = Date.now(), offset = 0): string {
  const step = Math.floor(now / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(key)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}
