import { describe, expect, it } from 'vitest';
import { parseOutboundAllowlist } from './allowlist.js';
import { OutboundRefusedError } from './errors.js';
import { addressRefusal, assertAddressAllowed, configuredHostProblem } from './policy.js';

const none = parseOutboundAllowlist('');
const some = parseOutboundAllowlist('127.0.0.1,10.0.0.0/8,feeds.internal');

describe('addressRefusal (at connect time)', () => {
  it('refuses an internal address unless the address or the host name is allowed', () => {
    expect(addressRefusal(none, 'feeds.example.com', '127.0.0.1')).toBe('a loopback address');
    expect(addressRefusal(some, 'feeds.example.com', '127.0.0.1')).toBeNull();
    expect(addressRefusal(some, 'feeds.example.com', '127.0.0.2')).toBe('a loopback address');
    expect(addressRefusal(some, 'feeds.internal', '192.168.1.1')).toBeNull();
    expect(addressRefusal(none, 'feeds.example.com', '93.184.215.14')).toBeNull();
  });

  it('throws an error naming the host and the address, and how to allow it', () => {
    const attempt = () => assertAddressAllowed(none, 'Feeds.Example.com', '::ffff:169.254.169.254');
    expect(attempt).toThrow(OutboundRefusedError);
    expect(attempt).toThrow(
      'refused to connect to feeds.example.com (::ffff:169.254.169.254): a cloud metadata address is not a ' +
        'public destination; to call it anyway, add the host or its address to LATCH_OUTBOUND_ALLOW',
    );
  });
});

describe('configuredHostProblem (when a destination is set)', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['2130706433', 'a loopback address'],
    ['0x7f.1', 'a loopback address'],
    ['[::1]', 'a loopback address'],
    ['[::ffff:127.0.0.1]', 'a loopback address'],
    ['[fd00:ec2::254]', 'a cloud metadata address'],
    ['localhost', 'a name of the local network'],
    ['LOCALHOST.', 'a name of the local network'],
    ['db.localhost', 'a name of the local network'],
    ['printer.local', 'a name of the local network'],
    ['metadata.google.internal', 'a name of the local network'],
    ['nas.home.arpa', 'a name of the local network'],
  ])('refuses %s as %s', (host, reason) => {
    expect(configuredHostProblem(none, host)).toContain(`is ${reason}, not a public destination`);
    expect(configuredHostProblem(none, host)).toContain('LATCH_OUTBOUND_ALLOW');
  });

  it('leaves other names to the check at connect time, and allows what is listed', () => {
    expect(configuredHostProblem(none, 'api.pagerduty.com')).toBeNull();
    expect(configuredHostProblem(none, 'localhost.example.com')).toBeNull();
    expect(configuredHostProblem(some, '127.0.0.1')).toBeNull();
    expect(configuredHostProblem(some, '10.1.2.3')).toBeNull();
    expect(configuredHostProblem(some, 'feeds.internal')).toBeNull();
    expect(configuredHostProblem(some, 'other.internal')).not.toBeNull();
  });
});
