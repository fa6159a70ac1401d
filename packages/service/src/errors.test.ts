import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS, ERROR_TITLE, ProblemError, toProblem } from './errors.js';

describe('error codes', () => {
  it.each(ERROR_CODES)('maps %s to an HTTP error status and a bilingual title', (code) => {
    expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS[code]).toBeLessThan(600);
    expect(ERROR_TITLE[code].zh).toMatch(/\p{Script=Han}/u);
    expect(ERROR_TITLE[code].en).toMatch(/^[A-Z]/);
  });

  it('has no mapping for a code outside the closed list', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(ERROR_TITLE).sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('toProblem', () => {
  it('builds an RFC 9457 document with field errors and extensions', () => {
    const error = new ProblemError(
      'illegal_transition',
      { zh: '不允许', en: 'not allowed' },
      {
        errors: [{ path: 'status', message: 'bad' }],
        extensions: { from: 'dismissed', to: 'active' },
      },
    );
    expect(
      toProblem(error, { instance: '/v1/experts/e1/actions/reinstate', requestId: 'r1' }),
    ).toEqual({
      type: 'urn:expert-dispatch:problem:illegal_transition',
      title: 'Illegal state transition',
      titleZh: '不允许的状态变更',
      status: 409,
      detail: 'not allowed',
      detailZh: '不允许',
      instance: '/v1/experts/e1/actions/reinstate',
      code: 'illegal_transition',
      requestId: 'r1',
      errors: [{ path: 'status', message: 'bad' }],
      from: 'dismissed',
      to: 'active',
    });
  });

  it('uses the title as detail when none is given, and no extension can overwrite the core members', () => {
    const error = new ProblemError('forbidden', undefined, {
      extensions: { status: 200, code: 'x' },
    });
    const problem = toProblem(error, { instance: '/x', requestId: 'r' });
    expect(problem).toMatchObject({
      status: 403,
      code: 'forbidden',
      detail: 'Forbidden',
      detailZh: '无权操作',
    });
  });
});
