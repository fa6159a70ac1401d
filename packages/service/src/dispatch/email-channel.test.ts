import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OutboundPolicy,
  parseOutboundAllowList,
  STRICT_OUTBOUND_POLICY,
} from '../outbound/outbound-policy.js';
import { OutboundRefused, type ResolveHost } from '../outbound/post-outbound.js';
import { type SmtpReceiver, startSmtpReceiver } from '../testing/smtp-receiver.test-helpers.js';
import { createEmailChannel } from './email-channel.js';
import type { OutgoingInvitation } from './notification-channel.js';

/** The test's own SMTP receiver listens on loopback, allowed as an operator would allow a relay. */
const ALLOW_RECEIVER = parseOutboundAllowList('127.0.0.1');

const notification = (deliveryId: string): OutgoingInvitation => ({
  deliveryId,
  seatId: 42,
  taskId: 't-1',
  contact: { channel: 'email', address: 'expert@example.com' },
  message: { subject: '【专家邀请】行政执法检查', text: '您好！答复链接：https://x/r/1', sms: '' },
  replyUrl: 'https://x/r/1',
  replyCode: '42',
});

describe('the e-mail channel', () => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(() => smtp.close());

  it('sends the invitation over SMTP with the delivery id as Message-ID and Idempotency-Key', async () => {
    const channel = createEmailChannel({
      smtpUrl: smtp.url,
      from: 'dispatch@example.gov.cn',
      timeoutMs: 2000,
      policy: ALLOW_RECEIVER,
    });
    await channel.send(notification('dl_0123456789abcdef0123'));
    channel.close();
    const mail = smtp.mails.find((m) => m.data.includes('dl_0123456789abcdef0123'));
    expect(mail?.to).toEqual(['expert@example.com']);
    expect(mail?.data).toContain('Message-ID: <dl_0123456789abcdef0123@expert-dispatch>');
    expect(mail?.data).toContain('Idempotency-Key: dl_0123456789abcdef0123');
    expect(mail?.data).toContain('Subject: =?UTF-8?');
  });

  it('connects to the address its host name resolved to and was checked as, not a second lookup', async () => {
    const port = new URL(smtp.url).port;
    const looked: string[] = [];
    const resolve: ResolveHost = async (hostname) => {
      looked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const channel = createEmailChannel({
      smtpUrl: `smtp://relay.intranet.invalid:${port}`,
      from: 'dispatch@example.gov.cn',
      timeoutMs: 2000,
      policy: parseOutboundAllowList('relay.intranet.invalid'),
      resolve,
    });
    await channel.send(notification('dl_pinned'));
    expect(looked).toEqual(['relay.intranet.invalid']);
    expect(smtp.mails.some((m) => m.data.includes('dl_pinned'))).toBe(true);
  });

  it.each<[string, string, OutboundPolicy, ResolveHost | undefined]>([
    [
      'a loopback server not on the allow-list',
      'smtp://127.0.0.1',
      STRICT_OUTBOUND_POLICY,
      undefined,
    ],
    [
      'a host name resolving to the cloud metadata address',
      'smtp://mail.example.com',
      STRICT_OUTBOUND_POLICY,
      async () => [{ address: '169.254.169.254', family: 4 }],
    ],
    [
      'a host name with one private address among public ones',
      'smtp://mail.example.com',
      ALLOW_RECEIVER,
      async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    ],
  ])(
    'refuses %s before connecting, so the job fails and nothing is sent',
    async (_, base, policy, resolve) => {
      const before = smtp.mails.length;
      const channel = createEmailChannel({
        smtpUrl: `${base}:${new URL(smtp.url).port}`,
        from: 'dispatch@example.gov.cn',
        timeoutMs: 500,
        policy,
        ...(resolve === undefined ? {} : { resolve }),
      });
      await expect(channel.send(notification('dl_refused'))).rejects.toBeInstanceOf(
        OutboundRefused,
      );
      expect(smtp.mails.length).toBe(before);
    },
  );

  it('fails when the SMTP server cannot be reached, so the job is retried', async () => {
    const channel = createEmailChannel({
      smtpUrl: 'smtp://127.0.0.1:1',
      from: 'dispatch@example.gov.cn',
      timeoutMs: 500,
      policy: ALLOW_RECEIVER,
    });
    await expect(channel.send(notification('dl_x'))).rejects.toThrow();
    channel.close();
  });
});
