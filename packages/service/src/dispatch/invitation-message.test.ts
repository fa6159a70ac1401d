import type { Task } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import {
  cityNameOf,
  formatShanghai,
  formatShanghaiZh,
  INSPECTION_LIKE_TYPES,
  invitationMessage,
} from './invitation-message.js';

const task = {
  id: 't-1',
  type: 'enforcement_inspection',
  industries: ['metallurgy'],
  specialties: ['molten_metal'],
  enterprise: { id: 'org-steel', name: '昆明钢铁有限公司', region: '530111' },
  relatedOrganizations: [],
  window: { from: '2026-03-10T08:30:00+08:00', to: '2026-03-11T18:00:00+08:00' },
  panelSize: 3,
  alternates: 2,
} as unknown as Task;

describe('the invitation message', () => {
  const message = invitationMessage({
    task,
    replyDeadline: new Date('2026-03-03T09:00:00+08:00'),
    replyUrl: 'https://dispatch.test/r/42.1.sig',
    replyCode: '42',
  });

  it('names the task type, dates, city, duration and reply deadline in Chinese', () => {
    expect(message.text).toContain('任务类型：行政执法检查');
    expect(message.text).toContain('时间：2026年3月10日至3月11日（约 2 天）');
    expect(message.text).toContain('地点：昆明市');
    expect(message.text).toContain('请于2026年3月3日 09:00前答复');
    expect(message.sms).toContain('请于2026年3月3日 09:00前答复');
    expect(message.text).toContain('https://dispatch.test/r/42.1.sig');
  });

  it('gives SMS the reply codes 1 (accept) and 2 (decline) with a code for every reason, 无正当理由 included', () => {
    expect(message.sms).toContain('回复“1 42”接受，“2 42 原因代码 说明”谢绝');
    expect(message.sms).toContain(
      '1 身体原因，2 时间冲突，3 需回避（存在利害关系），4 其他原因（待认定），5 无正当理由',
    );
    expect(message.text).toContain('“2 42 原因代码 情况说明”谢绝');
  });

  it('never presents another reason as already approved (the department decides, 第二十三条（一）)', () => {
    for (const text of [message.text, message.sms]) expect(text).not.toContain('经同意');
  });

  it('says that no reply by the deadline is recorded (第十五条 记录在案)', () => {
    expect(message.text).toContain('逾期未响应将记录在案');
    expect(message.sms).toContain('逾期未响应将记录在案');
  });

  it.each([
    ['enforcement_inspection', true],
    ['site_verification', true],
    ['hazard_investigation', true],
    ['rectification_acceptance', true],
    ['completion_acceptance', true],
    ['standardization_review', true],
    ['design_review', true],
    ['regulation_drafting', false],
    ['consulting', false],
    ['training', false],
    ['accident_rescue', false],
    ['accident_investigation', false],
    ['research_supervision', false],
    ['other', false],
  ] as const)('mentions the served unit for %s work: %s', (type, mentions) => {
    const text = invitationMessage({
      task: { ...task, type } as Task,
      replyDeadline: new Date('2026-03-03T09:00:00+08:00'),
      replyUrl: 'https://dispatch.test/r/42.1.sig',
      replyCode: '42',
    }).text;
    expect(text.includes('服务对象')).toBe(mentions);
    expect(INSPECTION_LIKE_TYPES.has(type)).toBe(mentions);
  });

  it('never names the enterprise before acceptance (第八条（五）（七）)', () => {
    for (const text of [message.subject, message.text, message.sms]) {
      expect(text).not.toContain('昆明钢铁');
      expect(text).not.toContain('org-steel');
    }
  });

  it.each([
    ['530111', '昆明市'],
    ['532901', '大理白族自治州'],
    ['990101', '行政区划 990100'],
  ])('finds the city of region %s', (region, name) => {
    expect(cityNameOf(region)).toBe(name);
  });

  it.each([
    ['2026-03-02T17:30:00Z', '2026-03-03 01:30', '2026年3月3日 01:30'],
    ['2026-12-31T16:00:00Z', '2027-01-01 00:00', '2027年1月1日 00:00'],
    ['2026-12-31T15:59:00Z', '2026-12-31 23:59', '2026年12月31日 23:59'],
  ])('formats %s as Shanghai wall-clock time, %s, and %s in Chinese', (at, plain, zh) => {
    expect(formatShanghai(new Date(at))).toBe(plain);
    expect(formatShanghaiZh(new Date(at))).toBe(zh);
  });
});
