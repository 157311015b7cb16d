// The ustar subset backup archives need: regular files and directories, names within 255 bytes. Enough to write
// an archive that `tar` lists and extracts, and to read PGlite's dumps.

const BLOCK = 512;

export interface TarEntry {
  name: string;
  type: 'file' | 'directory';
  data: Uint8Array;
}

export class TarFormatError extends Error {}

function field(buf: Buffer, offset: number, length: number, value: string) {
  buf.write(value, offset, length, 'ascii');
}

const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** One regular file's header, data and padding. */
export function tarFile(name: string, data: Uint8Array, mtime: Date): Buffer[] {
  if (Buffer.byteLength(name) > 100) throw new TarFormatError(`tar name too long: ${name}`);
  const header = Buffer.alloc(BLOCK);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o600, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(data.length, 12));
  field(header, 136, 12, octal(Math.floor(mtime.getTime() / 1000), 12));
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  field(header, 148, 8, octal(checksum(header), 7) + ' ');
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return [header, Buffer.from(data.buffer, data.byteOffset, data.length), Buffer.alloc(pad)];
}

/** The two zero blocks that end an archive. */
export const tarEnd = () => Buffer.alloc(2 * BLOCK);

function text(buf: Buffer, offset: number, length: number): string {
  const raw = buf.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
}

function parseOctal(buf: Buffer, offset: number, length: number): number {
  const s = text(buf, offset, length).trim();
  if (!/^[0-7]*$/.test(s)) throw new TarFormatError('not a tar archive (bad number field)');
  return s ? parseInt(s, 8) : 0;
}

/** Every entry of a tar archive; a damaged header or a short archive is a TarFormatError. */
export function readTar(archive: Uint8Array): TarEntry[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.length);
  const entries: TarEntry[] = [];
  let pos = 0;
  for (;;) {
    if (pos + BLOCK > buf.length) throw new TarFormatError('not a tar archive, or cut short');
    const header = buf.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    if (parseOctal(header, 148, 8) !== checksum(header)) throw new TarFormatError('damaged tar header');
    const size = parseOctal(header, 124, 12);
    const prefix = text(header, 345, 155);
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const flag = String.fromCharCode(header[156]!);
    const start = pos + BLOCK;
    if (start + size > buf.length) throw new TarFormatError('tar archive cut short');
    if (flag === '0' || flag === '\0')
      entries.push({ name, type: 'file', data: buf.subarray(start, start + size) });
    else if (flag === '5') entries.push({ name, type: 'directory', data: new Uint8Array(0) });
    else throw new TarFormatError(`unsupported tar entry type '${flag}' (${name})`);
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}
