import { isIP } from 'node:net';
import { type FieldError, ProblemError } from '../errors.js';
import { type OutboundPolicy, refusalOf } from './outbound-policy.js';

/** A URL the caller gave, and where in the input it was. */
export interface UrlInput {
  readonly path: string;
  readonly url: string | undefined;
}

/**
 * The inputs whose URL names an internal target outright — a literal internal address, or
 * `localhost` — that the allow-list does not allow. Cheap (no DNS): a name that resolves to an
 * internal address is refused when sending, which is the guarantee (post-outbound.ts).
 *
 * @example
 * internalUrlErrors([{ path: 'callbackUrl', url: 'http://127.0.0.1/' }], STRICT_OUTBOUND_POLICY);
 * // [{ path: 'callbackUrl', message: '… a loopback address …' }]
 */
export function internalUrlErrors(
  inputs: readonly UrlInput[],
  policy: OutboundPolicy,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const { path, url } of inputs) {
    if (url === undefined || !URL.canParse(url)) continue;
    const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const isLocalName = hostname === 'localhost' || hostname.endsWith('.localhost');
    if (isIP(hostname) === 0 && !isLocalName) continue;
    const refusal = refusalOf(hostname, isLocalName ? '127.0.0.1' : hostname, policy);
    if (refusal !== null) {
      errors.push({
        path,
        message: `不允许的内部地址（${refusal}）/ refused: the URL names ${refusal} (not in OUTBOUND_ALLOW_HOSTS)`,
      });
    }
  }
  return errors;
}

/**
 * Throws a 422 `validation_failed` naming each input whose URL is an internal target.
 *
 * @example
 * refuseInternalUrls([{ path: 'callbackUrl', url: body.callbackUrl }], outboundPolicyOf(env));
 */
export function refuseInternalUrls(inputs: readonly UrlInput[], policy: OutboundPolicy): void {
  const errors = internalUrlErrors(inputs, policy);
  if (errors.length === 0) return;
  throw new ProblemError(
    'validation_failed',
    {
      zh: '回调或推送地址指向内部网络',
      en: 'a callback or webhook URL points into the internal network',
    },
    { errors },
  );
}

/**
 * The webhook addresses among contacts, with their paths (`contacts.2.address`).
 *
 * @example
 * webhookUrlsOf([{ channel: 'webhook', address: 'https://x.test/' }], 'contacts');
 * // [{ path: 'contacts.0.address', url: 'https://x.test/' }]
 */
export function webhookUrlsOf(
  contacts: readonly { readonly channel: string; readonly address: string }[],
  path: string,
): UrlInput[] {
  return contacts.flatMap((contact, index) =>
    contact.channel === 'webhook'
      ? [{ path: `${path}.${index}.address`, url: contact.address }]
      : [],
  );
}
