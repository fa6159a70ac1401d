import { describe, expect, it } from 'vitest';
import { readEnv } from '../env.js';
import { parseClusterNodes, queuePrefixFor, redisTargetOf } from './redis-target.js';

describe('REDIS_CLUSTER_NODES', () => {
  it.each([
    [
      'host:port pairs',
      '10.0.0.1:7000,10.0.0.2:7001',
      {
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
        ],
        tls: false,
      },
    ],
    [
      'spaces and an empty entry',
      ' redis-a:6379 , ,redis-b:6379',
      {
        nodes: [
          { host: 'redis-a', port: 6379 },
          { host: 'redis-b', port: 6379 },
        ],
      },
    ],
    [
      'URLs with the same credentials and TLS',
      'rediss://ed:s%40cret@a:6380,rediss://ed:s%40cret@b:6380',
      { username: 'ed', password: 's@cret', tls: true },
    ],
    ['credentials on one URL apply to plain entries', 'redis://:pw@a:1,b:2', { password: 'pw' }],
    ['an IPv6 address', '[::1]:7000', { nodes: [{ host: '::1', port: 7000 }] }],
  ])('parses %s', (_case, text, expected) => {
    expect(parseClusterNodes(text)).toMatchObject({ kind: 'cluster', ...expected });
  });

  it.each([
    ['nothing', ' , '],
    ['a node without a port', 'redis-a'],
    ['another scheme', 'http://a:80'],
    ['a database number', 'redis://a:6379/2'],
    ['different credentials per node', 'redis://:one@a:1,redis://:two@b:1'],
  ])('refuses %s', (_case, text) => {
    expect(() => parseClusterNodes(text)).toThrow();
  });

  it('names the node, never its password, when one does not parse', () => {
    expect(() => readEnv({ REDIS_CLUSTER_NODES: 'a:1,redis://:hunter2@b' })).toThrow(
      /REDIS_CLUSTER_NODES: expected host:port,…: node 2/,
    );
    expect(() => readEnv({ REDIS_CLUSTER_NODES: 'a:1,redis://:hunter2@b' })).not.toThrow(/hunter2/);
  });

  it('is one Redis or a cluster, not both', () => {
    expect(() => readEnv({ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'a:1' })).toThrow(
      /REDIS_CLUSTER_NODES: set REDIS_URL .* or REDIS_CLUSTER_NODES .*, not both/,
    );
  });
});

describe('the Redis of the environment and its queue prefix', () => {
  it.each([
    ['no Redis: the in-process queue', {}, undefined, undefined],
    ['one Redis keeps the prefix as it is', { REDIS_URL: 'redis://a:1' }, 'single', 'ed'],
    [
      'a cluster hash-tags it, so a queue is one slot',
      { REDIS_CLUSTER_NODES: 'a:1' },
      'cluster',
      '{ed}',
    ],
  ] as const)('%s', (_case, source, kind, prefix) => {
    const target = redisTargetOf(readEnv(source));
    expect(target?.kind).toBe(kind);
    expect(target === undefined ? undefined : queuePrefixFor(target, 'ed')).toBe(prefix);
  });
});
