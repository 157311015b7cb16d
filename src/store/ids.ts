import { randomBytes } from 'node:crypto';

// Ids are opaque strings: a type prefix and a UUIDv7 (time-ordered, so new rows index well). Generated here
// rather than by the database because uuidv7() only exists from PostgreSQL 18.

let lastMs = 0;
let counter = 0;

export function uuidv7(now = Date.now()): string {
  // A 12-bit counter keeps ids made in the same millisecond in creation order.
  if (now === lastMs) counter = (counter + 1) & 0xfff;
  else {
    lastMs = now;
    counter = randomBytes(2).readUInt16BE(0) & 0x3ff;
  }
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type IdPrefix =
  'usr' | 'tok' | 'evt' | 'grp' | 'res' | 'grt' | 'ast' | 'bga' | 'req' | 'sch' | 'ntf' | 'chn' | 'con' | 'arv';

export const newId = (prefix: IdPrefix) => `${prefix}_${uuidv7()}`;
