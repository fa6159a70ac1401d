import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalHttpServer,
  startLocalHttpServer,
} from '../testing/local-http-server.test-helpers.js';
import { parseOutboundAllowList, STRICT_OUTBOUND_POLICY } from './outbound-policy.js';
import { OutboundRefused, postOutbound, type ResolveHost } from './post-outbound.js';

describe('outbound POSTs (SSRF guard)', () => {
  let receiver: LocalHttpServer;
  let port = 0;
  const received: { host: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    receiver = await startLocalHttpServer((request, body, response) => {
      received.push({ host: request.headers.host, body: body.toString('utf8') });
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `${receiver.origin}/` }).end();
      } else {
        response.writeHead(200).end('ok');
      }
    });
    port = Number(new URL(receiver.origin).port);
  });
  afterAll(async () => {
    await receiver.close();
  });

  const post = (url: string, policy = STRICT_OUTBOUND_POLICY, resolve?: ResolveHost) =>
    postOutbound(url, {
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 5_000,
      policy,
      ...(resolve === undefined ? {} : { resolve }),
    });

  it.each([
    ['a loopback address', () => `http://127.0.0.1:${port}/`],
    ['a name resolving to loopback', () => `http://localhost:${port}/`],
    ['an IPv4-mapped loopback address', () => `http://[::ffff:127.0.0.1]:${port}/`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'http://10.0.0.1/'],
  ])('refuses %s without an allow-list, before connecting', async (_, url) => {
    const before = received.length;
    await expect(post(url())).rejects.toThrow(OutboundRefused);
    expect(received.length).toBe(before);
  });

  it('names why in the error, without the address', async () => {
    await expect(post(`http://localhost:${port}/`)).rejects.toThrow(
      'outbound target refused: its host resolves to a loopback address (not in OUTBOUND_ALLOW_HOSTS)',
    );
  });

  it('reaches an allowed internal receiver (by address, or by host name)', async () => {
    expect(await post(`http://127.0.0.1:${port}/`, parseOutboundAllowList('127.0.0.1'))).toBe(200);
    expect(await post(`http://localhost:${port}/`, parseOutboundAllowList('localhost'))).toBe(200);
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const resolve: ResolveHost = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(
      post('http://mixed.example.test/', STRICT_OUTBOUND_POLICY, resolve),
    ).rejects.toThrow('a private (RFC 1918) address');
  });

  it('connects to the address it checked, not to a second resolution (DNS rebinding)', async () => {
    let lookups = 0;
    // The name is not in any DNS: the request can only arrive through the checked address.
    const resolve: ResolveHost = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const policy = parseOutboundAllowList('127.0.0.1/32');
    const before = received.length;
    expect(await post(`http://hooks.example.test:${port}/x`, policy, resolve)).toBe(200);
    expect(lookups).toBe(1);
    expect(received.slice(before)).toEqual([
      { host: `hooks.example.test:${port}`, body: '{"a":1}' },
    ]);
  });

  it('does not follow a redirect (to wherever it points)', async () => {
    const before = received.length;
    expect(await post(`${receiver.origin}/redirect`, parseOutboundAllowList('127.0.0.1'))).toBe(
      302,
    );
    expect(received.length).toBe(before + 1);
  });
});
