import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPhones } from './logger.ts';

describe('logger', () => {
  it('masks mainland mobile numbers and leaves other digits alone', () => {
    expect(maskPhones('code for 13812340000: 123456')).toBe('code for 138****0000: 123456');
    expect(maskPhones('+8613812340000, 8613812340000, 19912345678')).toBe(
      '+86138****0000, 86138****0000, 199****5678',
    );
    expect(maskPhones('order 20260301138123400001 at 1772352000000')).toBe(
      'order 20260301138123400001 at 1772352000000',
    );
    expect(maskPhones('12812340000 is no mobile number')).toBe('12812340000 is no mobile number');
  });

  it('never writes a phone in full, in the message or in a field', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ phone: '13812340000', count: 2 }, 'signed in: %s', '13912340000');
    log.child({ who: 'x' }).warn('failed for 13712340000');
    const text = lines.join('');
    expect(lines).toHaveLength(2);
    expect(text).toContain('138****0000');
    expect(text).toContain('139****0000');
    expect(text).toContain('137****0000');
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });
});
