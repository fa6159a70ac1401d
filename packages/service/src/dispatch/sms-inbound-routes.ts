import { timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { experts, panelSeats } from '../db/schema.js';
import { createRouter } from '../http/create-router.js';
import { SMS_REASON_CODES, smsReasonList } from './claimed-reasons.js';
import { handOverCommitted } from './outbox-collector.js';
import { DECLINE_NOTE_MAX, type Reply, recordReply } from './record-reply.js';
import { replyStateLabel } from './reply-state-label.js';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './webhook-channel.js';

const REASON_PROMPT = `请注明谢绝原因：回复“2 编号 原因代码 情况说明”，原因代码 ${smsReasonList()}；情况说明选填，不超过 ${DECLINE_NOTE_MAX} 字。`;

/** A parsed SMS: the invitation and the reply, or null for a decline without a known reason. */
export interface SmsReply {
  readonly seatId: number;
  readonly reply: Reply | null;
}

/**
 * An SMS reply as text: `1 <code>` accepts; `2 <code> <reason code> <说明>` declines with the
 * reason the expert claims (`SMS_REASON_CODES`, 无正当理由 included) and their own words after
 * it (≤ 500 chars; longer is not understood). Full-width digits are read as digits.
 *
 * @example
 * parseSmsReply('2 42 1 住院治疗'); // { seatId: 42, reply: { answer: 'decline', reason: 'illness', note: '住院治疗' } }
 */
export function parseSmsReply(text: string): SmsReply | null {
  const normalised = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .trim();
  // The reason code is one digit; the words after it start with anything but a digit.
  const match = /^([12])\s*[#＃ ]?\s*(\d{1,15})(?:\s+(\d)(\D[\s\S]*)?)?$/.exec(normalised);
  if (match === null) return null;
  const [, answer, code = '', digit, words] = match;
  if (answer === '1') return { seatId: Number(code), reply: { answer: 'accept' } };
  const reason = digit === undefined ? undefined : SMS_REASON_CODES[digit];
  if (reason === undefined) return { seatId: Number(code), reply: null };
  const note = words?.trim() ?? '';
  if (note.length > DECLINE_NOTE_MAX) return null;
  return {
    seatId: Number(code),
    reply: note === '' ? { answer: 'decline', reason } : { answer: 'decline', reason, note },
  };
}

const normalisePhone = (phone: string) => phone.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');

/**
 * Inbound SMS replies from the gateway: `POST /hooks/sms` with `{ "from", "text" }`, signed like
 * outgoing requests (HMAC-SHA256 over timestamp + body). Only the invited expert's own phone
 * may answer their invitation. The answer `{ reply }` is the text the gateway sends back.
 */
export const smsInboundRoutes = createRouter();

smsInboundRoutes.post('/hooks/sms', async (c) => {
  const services = c.var.services;
  const body = await c.req.text();
  const timestamp = c.req.header(TIMESTAMP_HEADER) ?? '';
  const given = Buffer.from(c.req.header(SIGNATURE_HEADER) ?? '');
  const expected = Buffer.from(signPayload(services.env.NOTIFY_SIGNING_SECRET, timestamp, body));
  const age = Math.abs(services.now().getTime() / 1000 - Number(timestamp));
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || !(age < 300)) {
    return c.json({ reply: null, error: 'bad signature' }, 403);
  }
  let message: { from?: unknown; text?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    return c.json({ reply: null, error: 'malformed JSON' }, 400);
  }
  const parsed = parseSmsReply(String(message.text ?? ''));
  if (parsed === null) {
    return c.json(
      {
        reply: `未能识别您的回复。接受请回复“1 编号”，谢绝请回复“2 编号 原因代码 情况说明”（原因代码 ${smsReasonList()}；说明不超过 ${DECLINE_NOTE_MAX} 字）。`,
      },
      200,
    );
  }
  const [seat] = await c.var.db
    .select({ phone: experts.phone })
    .from(panelSeats)
    .innerJoin(experts, eq(experts.id, panelSeats.expertId))
    .where(eq(panelSeats.id, parsed.seatId));
  if (
    seat === undefined ||
    normalisePhone(seat.phone) !== normalisePhone(String(message.from ?? ''))
  ) {
    return c.json({ reply: '未找到与您的号码对应的邀请，请核对编号。' }, 200);
  }
  if (parsed.reply === null) return c.json({ reply: REASON_PROMPT }, 200);
  const outcome = await recordReply(
    c.var.db,
    parsed.seatId,
    parsed.reply,
    services.now(),
    { keyId: 'sms-gateway', authorityId: null },
    'sms',
  );
  handOverCommitted(services.dispatch, outcome.outbox);
  const prefix = outcome.changed ? '' : '该邀请已有答复：';
  return c.json({ reply: `${prefix}${replyStateLabel(outcome.state).zh}` }, 200);
});
