// @ts-nocheck
import { formatAreaM2, parseAreaM2 } from './area';
import { normalisePhone } from './phone';

describe('floor areas in integer 0.01 m²', () => {
  it.each([
    ['85', 8500],
    ['85.5', 8550],
    ['85.50', 8550],
    ['0.01', 1],
    ['０.１', 10],
    ['56.78㎡', 5678],
    ['72.25 平方米', 7225],
    ['0', 0],
  ])('reads %s as %i', (text, value) => expect(parseAreaM2(text)).toBe(value));

  it.each(['', '-3', '1.234', 'abc', '1e3', '12,5', '.5'])('refuses %p', (text) => expect(parseAreaM2(text)).toBeNull());

  it('never goes through floating point: 0.1 + 0.2 m² is exactly 0.30 m²', () => {
    expect(parseAreaM2('0.1')! + parseAreaM2('0.2')!).toBe(parseAreaM2('0.3'));
    expect(formatAreaM2(30)).toBe('0.30');
    expect(formatAreaM2(2250000)).toBe('22500.00');
  });
});

describe('phone numbers', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['010-6500 1234', '01065001234'],
  ])('normalises %s', (text, value) => expect(normalisePhone(text)).toBe(value));

  it.each(['1234', '12800138000', '138001380001', 'abc', ''])('refuses %p', (text) => expect(normalisePhone(text)).toBeNull());
});
