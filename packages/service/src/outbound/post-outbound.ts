import { lookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type OutboundPolicy, refusalOf } from './outbound-policy.js';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (`dns.lookup`, as the system resolves names). */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const resolveWithSystem: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/** A target the policy does not allow: a delivery failure, never a silent success. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
}

/**
 * Resolves the URL's host (every address) and checks each against the policy: one internal
 * address not on the allow-list refuses the target. Returns the address to connect to.
 *
 * @example
 * await checkedAddressOf(new URL('http://127.0.0.1:9/'), STRICT_OUTBOUND_POLICY); // throws OutboundRefused
 */
export async function checkedAddressOf(
  url: URL,
  policy: OutboundPolicy,
  resolve: ResolveHost = resolveWithSystem,
): Promise<ResolvedAddress> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefused(`outbound target refused: ${url.protocol} is not http(s)`);
  }
  return checkedHostAddressOf(url.hostname, policy, resolve);
}

/**
 * Resolves a host name (or takes an address literal) and checks every address against the
 * policy, as `checkedAddressOf` does for a URL; for targets that are not http(s), e.g. SMTP.
 * Returns the address to connect to.
 *
 * @example
 * await checkedHostAddressOf('smtp.intranet.gov.cn', outboundPolicyOf(env)); // { address, family }
 */
export async function checkedHostAddressOf(
  host: string,
  policy: OutboundPolicy,
  resolve: ResolveHost = resolveWithSystem,
): Promise<ResolvedAddress> {
  const hostname = host.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(hostname);
  const addresses: readonly ResolvedAddress[] =
    literal === 0
      ? await resolve(hostname)
      : [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  if (addresses.length === 0) throw new OutboundRefused('outbound target has no address');
  for (const { address } of addresses) {
    const refusal = refusalOf(hostname, address, policy);
    if (refusal !== null) {
      // The address itself stays out of the message: it is stored and shown with the delivery.
      throw new OutboundRefused(
        `outbound target refused: ${literal === 0 ? 'its host resolves to' : 'it is'} ${refusal} (not in OUTBOUND_ALLOW_HOSTS)`,
      );
    }
  }
  const [first] = addresses;
  if (first === undefined) throw new OutboundRefused('outbound target has no address');
  return first;
}

/**
 * POSTs `body` to `url` after `checkedAddressOf`, connecting to exactly the address that was
 * checked (a `lookup` pinned to it), so that a name which resolves differently a moment later
 * (DNS rebinding) cannot slip through. Redirects are not followed. Resolves with the status;
 * rejects on a refused target, a network error or no answer within `timeoutMs`.
 *
 * @example
 * const status = await postOutbound(url, { headers, body, timeoutMs: 10_000, policy });
 */
export async function postOutbound(
  url: string,
  options: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly timeoutMs: number;
    readonly policy: OutboundPolicy;
    readonly resolve?: ResolveHost;
  },
): Promise<number> {
  const target = new URL(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const checked = await Promise.race([
    checkedAddressOf(target, options.policy, options.resolve),
    new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: checked.address, family: checked.family }]);
    else callback(null, checked.address, checked.family);
  };
  const body = Buffer.from(options.body, 'utf8');
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...options.headers, 'content-length': String(body.length) },
    lookup: pinned,
    signal,
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = send(target, requestOptions, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
