import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../testing/smtp-receiver.test-helpers.js';
import { createEmailChannel } from './email-channel.js';

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
    });
    await channel.send({
      deliveryId: 'dl_0123456789abcdef0123',
      seatId: 42,
      taskId: 't-1',
      contact: { channel: 'email', address: 'expert@example.com' },
      message: {
        subject: '【专家邀请】行政执法检查',
        text: '您好！答复链接：https://x/r/1',
        sms: '',
      },
      replyUrl: 'https://x/r/1',
      replyCode: '42',
    });
    channel.close();
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail?.to).toEqual(['expert@example.com']);
    expect(mail?.data).toContain('Message-ID: <dl_0123456789abcdef0123@expert-dispatch>');
    expect(mail?.data).toContain('Idempotency-Key: dl_0123456789abcdef0123');
    expect(mail?.data).toContain('Subject: =?UTF-8?');
  });

  it('fails when the SMTP server cannot be reached, so the job is retried', async () => {
    const channel = createEmailChannel({
      smtpUrl: 'smtp://127.0.0.1:1',
      from: 'dispatch@example.gov.cn',
      timeoutMs: 500,
    });
    await expect(
      channel.send({
        deliveryId: 'dl_x',
        seatId: 1,
        taskId: 't-1',
        contact: { channel: 'email', address: 'expert@example.com' },
        message: { subject: 's', text: 't', sms: '' },
        replyUrl: 'https://x/r/1',
        replyCode: '1',
      }),
    ).rejects.toThrow();
    channel.close();
  });
});
