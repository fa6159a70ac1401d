import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('never writes phone, ID number or birth date, wherever they sit', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        phone: '13812345678',
        expert: { idNumber: '53010219750615123X', birthDate: '1975-06-15', name: 'ok' },
        req: { body: { phone: '13900000000' } },
      },
      'x',
    );
    const text = lines.join('');
    expect(text).toContain('ok');
    expect(text).not.toMatch(/13812345678|53010219750615123X|1975-06-15|13900000000/);
  });
});
