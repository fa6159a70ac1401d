import { BlockList, isIP } from 'node:net';

/** Which outbound targets are allowed although their address is internal (`OUTBOUND_ALLOW_HOSTS`). */
export interface OutboundPolicy {
  /** Host names allowed whatever they resolve to (lower case). */
  readonly hosts: ReadonlySet<string>;
  /** Addresses and CIDRs allowed. */
  readonly addresses: BlockList;
  /** The list as configured, for messages. */
  readonly text: string;
}

/** The policy without an allow-list: every internal address is refused. */
export const STRICT_OUTBOUND_POLICY: OutboundPolicy = {
  hosts: new Set(),
  addresses: new BlockList(),
  text: '',
};

/** Internal ranges, most specific first, each with what it is (for the refusal's reason). */
const INTERNAL_RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['169.254.169.254', 32, 'ipv4', 'a cloud metadata address'],
  ['0.0.0.0', 8, 'ipv4', 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'ipv4', 'a private (RFC 1918) address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (CGNAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private (RFC 1918) address'],
  ['192.0.0.0', 24, 'ipv4', 'an IETF protocol address'],
  ['192.168.0.0', 16, 'ipv4', 'a private (RFC 1918) address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved or broadcast address'],
  ['fd00:ec2::254', 128, 'ipv6', 'a cloud metadata address'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['::', 96, 'ipv6', 'an IPv4-compatible address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fec0::', 10, 'ipv6', 'a site-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const RANGES = INTERNAL_RANGES.map(([network, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, what };
});

/**
 * Parses `OUTBOUND_ALLOW_HOSTS`: comma-separated host names, addresses and CIDRs. Throws on an
 * entry that is none of these.
 *
 * @example
 * const policy = parseOutboundAllowList('sms.intranet.gov.cn, 10.20.0.0/16, 127.0.0.1');
 */
export function parseOutboundAllowList(text: string | undefined): OutboundPolicy {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (entry === '') continue;
    const [network = '', prefix] = entry.split('/');
    const family = isIP(network);
    if (family !== 0 && prefix === undefined) {
      addresses.addAddress(network, family === 4 ? 'ipv4' : 'ipv6');
    } else if (family !== 0 && /^\d{1,3}$/.test(prefix ?? '')) {
      const bits = Number(prefix);
      if (bits > (family === 4 ? 32 : 128)) throw new Error(`bad CIDR prefix: ${entry}`);
      addresses.addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
    ) {
      hosts.add(entry.toLowerCase());
    } else {
      throw new Error(`not a host name, address or CIDR: ${entry}`);
    }
  }
  return { hosts, addresses, text: text ?? '' };
}

const policies = new Map<string, OutboundPolicy>();

/**
 * The policy of the environment (`OUTBOUND_ALLOW_HOSTS`), parsed once per distinct value.
 *
 * @example
 * outboundPolicyOf(env).hosts.has('sms.intranet.gov.cn');
 */
export function outboundPolicyOf(env: {
  readonly OUTBOUND_ALLOW_HOSTS?: string | undefined;
}): OutboundPolicy {
  const text = env.OUTBOUND_ALLOW_HOSTS ?? '';
  let policy = policies.get(text);
  if (policy === undefined) {
    policy = parseOutboundAllowList(text);
    policies.set(text, policy);
  }
  return policy;
}

/**
 * What an address is when it is internal (loopback, private, link-local, CGNAT, metadata,
 * unspecified, multicast, reserved), else null. IPv4-mapped and NAT64 IPv6 addresses are
 * judged by the IPv4 address inside.
 *
 * @example
 * internalKindOf('10.1.2.3'); // 'a private (RFC 1918) address'
 * internalKindOf('::ffff:7f00:1'); // 'a loopback address'
 * internalKindOf('93.184.216.34'); // null
 */
export function internalKindOf(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const embedded = family === 6 ? embeddedIpv4Of(address) : null;
  if (embedded !== null) return internalKindOf(embedded);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const range of RANGES) {
    if (range.family === type && range.list.check(address, type)) return range.what;
  }
  return null;
}

/**
 * Why a target may not be contacted: its address is internal and neither its host name nor the
 * address is on the allow-list; null when it may.
 *
 * @example
 * refusalOf('127.0.0.1', '127.0.0.1', STRICT_OUTBOUND_POLICY); // 'a loopback address'
 */
export function refusalOf(
  hostname: string,
  address: string,
  policy: OutboundPolicy,
): string | null {
  const kind = internalKindOf(address);
  if (kind === null) return null;
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (policy.hosts.has(host)) return null;
  const family = isIP(address);
  if (family !== 0 && policy.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6')) return null;
  const embedded = family === 6 ? embeddedIpv4Of(address) : null;
  if (embedded !== null && policy.addresses.check(embedded, 'ipv4')) return null;
  return kind;
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96) address. */
function embeddedIpv4Of(address: string): string | null {
  const groups = expandIpv6(address);
  if (groups === null) return null;
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const isNat64 =
    groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!isMapped && !isNat64) return null;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or null. */
function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const bytes = dotted[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g)) ? null : groups;
}
