import type { Task } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { cityNameOf, formatShanghai, invitationMessage } from './invitation-message.js';

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
    expect(message.text).toContain('时间：2026-03-10 至 2026-03-11（约 2 天）');
    expect(message.text).toContain('地点：昆明市');
    expect(message.text).toContain('请于 2026-03-03 09:00 前答复');
    expect(message.text).toContain('https://dispatch.test/r/42.1.sig');
  });

  it('gives SMS the reply codes 1 (accept) and 2 (decline)', () => {
    expect(message.sms).toContain('回复“1 42”接受，“2 42”谢绝');
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

  it('formats instants as Shanghai wall-clock time', () => {
    expect(formatShanghai(new Date('2026-03-02T17:30:00Z'))).toBe('2026-03-03 01:30');
  });
});
