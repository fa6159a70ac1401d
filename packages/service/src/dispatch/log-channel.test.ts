import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createLogChannel } from './log-channel.js';
import type { OutgoingInvitation } from './notification-channel.js';

const REPLY_URL =
  'https://dispatch.example.gov.cn/r/42.1796000000.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2ln';

const invitation: OutgoingInvitation = {
  deliveryId: 'dl_log_1',
  seatId: 42,
  taskId: 't-log-1',
  contact: { channel: 'log', address: '13987654321' },
  message: {
    subject: '专家邀请：执法检查',
    text: `请答复：${REPLY_URL}`,
    sms: `答复：${REPLY_URL}`,
  },
  replyUrl: REPLY_URL,
  replyCode: '42',
};

/** What the channel logs for one invitation. */
async function logged(showLinks: boolean): Promise<string> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  await createLogChannel(createLogger('info', sink), { showLinks }).send(invitation);
  return lines.join('');
}

describe('the log channel', () => {
  it('prints the reply link in development, so that the invitation can be answered (第十五条)', async () => {
    const text = await logged(true);
    expect(text).toContain(REPLY_URL);
    expect(text).toContain('"invitationId":42');
  });

  it('keeps the reply link, a live credential, and the contact out of a production log', async () => {
    const text = await logged(false);
    expect(text).toContain('"deliveryId":"dl_log_1"');
    expect(text).not.toContain('/r/42.');
    expect(text).not.toContain('13987654321');
  });
});
