import type { Entry } from 'ldapts';

// DN comparison as directories do it for the usual naming attributes (cn, uid, ou, dc: case-insensitive
// strings): attribute types and values compared without case, spaces around separators ignored, escapes
// (`\,` or `\2C`) decoded. Compared RDN by RDN, so a decoded comma inside a value never splits it.

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, e: string) =>
    e.length === 2 ? String.fromCharCode(parseInt(e, 16)) : e,
  );
}

/** The RDNs of a DN, most specific first, each as `type=value` in lower case (multi-valued RDNs sorted). */
export function dnParts(dn: string): string[] {
  if (dn.trim() === '') return [];
  return splitUnescaped(dn, ',').map((rdn) =>
    splitUnescaped(rdn, '+')
      .map((ava) => {
        const [type = '', ...rest] = splitUnescaped(ava, '=');
        return `${type.trim().toLowerCase()}=${unescapeValue(rest.join('=').trim()).toLowerCase()}`;
      })
      .sort()
      .join('+'),
  );
}

export function sameDn(a: string, b: string): boolean {
  const x = dnParts(a);
  const y = dnParts(b);
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

/** Whether `dn` is `base` or below it. */
export function isWithin(dn: string, base: string): boolean {
  const x = dnParts(dn);
  const y = dnParts(base);
  if (y.length > x.length) return false;
  const offset = x.length - y.length;
  return y.every((p, i) => p === x[offset + i]);
}

/** An attribute's values as strings, whatever the case of its name in the answer. */
export function values(entry: Entry, attribute: string): string[] {
  const wanted = attribute.toLowerCase();
  for (const [key, value] of Object.entries(entry)) {
    if (key.toLowerCase() !== wanted || key === 'dn') continue;
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
  }
  return [];
}
