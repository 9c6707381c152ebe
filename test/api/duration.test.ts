import { describe, expect, it } from 'vitest';
import { compileCel } from '../../src/api/structural/index.js';
import { durationMilliseconds, durationMinutes, durationMinutesCel } from '../../src/api/duration.js';

describe('policy durations', () => {
  it.each([
    ['30d', 43_200],
    ['12h', 720],
    ['90m', 90],
    ['0m', 0],
  ])('%s is %i minutes', (text, minutes) => {
    expect(durationMinutes(text)).toBe(minutes);
    expect(durationMilliseconds(text)).toBe(minutes * 60_000);
  });

  it.each([['30'], ['d'], ['1h30m'], ['30s'], [' 30d'], ['-1d']])('rejects %j', (text) => {
    expect(durationMinutes(text)).toBeUndefined();
    expect(() => durationMilliseconds(text)).toThrow(RangeError);
  });

  it('computes the same minutes in CEL as in TypeScript (the API server and the operator agree)', () => {
    const program = compileCel(durationMinutesCel('self'));
    if (program instanceof Error) throw program;
    for (const text of ['30d', '7d', '12h', '90m', '1d', '99999d']) {
      expect(program({ self: text }), text).toBe(BigInt(durationMinutes(text)!));
    }
  });
});
