import { describe, expect, it } from 'vitest';
import {
  internalKindOf,
  parseOutboundAllowList,
  refusalOf,
  STRICT_OUTBOUND_POLICY,
} from './outbound-policy.js';

describe('internal addresses', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private (RFC 1918) address'],
    ['172.16.0.1', 'a private (RFC 1918) address'],
    ['172.31.255.254', 'a private (RFC 1918) address'],
    ['192.168.1.1', 'a private (RFC 1918) address'],
    ['fd12:3456::1', 'a unique local (private) address'],
    ['169.254.10.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a shared (CGNAT) address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['0.0.0.0', 'an unspecified ("this network") address'],
    ['::', 'an unspecified address'],
    ['224.0.0.251', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a reserved or broadcast address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
    ['64:ff9b::a00:1', 'a private (RFC 1918) address'],
  ])('%s is %s', (address, kind) => {
    expect(internalKindOf(address)).toBe(kind);
  });

  it.each(['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:5db8:d822'])(
    '%s is public',
    (address) => {
      expect(internalKindOf(address)).toBeNull();
    },
  );
});

describe('OUTBOUND_ALLOW_HOSTS', () => {
  const policy = parseOutboundAllowList(
    ' gateway.intranet.gov.cn, 10.20.0.0/16 ,127.0.0.1, [fd00::5] ',
  );

  it('allows an internal address by its host name, its address or a CIDR around it', () => {
    expect(refusalOf('Gateway.Intranet.gov.cn', '10.9.9.9', policy)).toBeNull();
    expect(refusalOf('sms.example', '10.20.3.4', policy)).toBeNull();
    expect(refusalOf('127.0.0.1', '127.0.0.1', policy)).toBeNull();
    expect(refusalOf('x.example', '::ffff:127.0.0.1', policy)).toBeNull();
    expect(refusalOf('x.example', 'fd00::5', policy)).toBeNull();
  });

  it('still refuses the internal addresses it does not name', () => {
    expect(refusalOf('sms.example', '10.21.0.1', policy)).toBe('a private (RFC 1918) address');
    expect(refusalOf('127.0.0.2', '127.0.0.2', policy)).toBe('a loopback address');
    expect(refusalOf('metadata', '169.254.169.254', policy)).toBe('a cloud metadata address');
  });

  it('refuses every internal address when unset', () => {
    expect(refusalOf('localhost', '127.0.0.1', STRICT_OUTBOUND_POLICY)).toBe('a loopback address');
    expect(refusalOf('example.org', '93.184.216.34', STRICT_OUTBOUND_POLICY)).toBeNull();
  });

  it.each(['http://x', '10.0.0.0/99', 'bad host!', '1.2.3.4/x'])('rejects %s', (entry) => {
    expect(() => parseOutboundAllowList(entry)).toThrow();
  });
});
