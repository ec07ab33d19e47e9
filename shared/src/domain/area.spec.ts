import { formatAreaM2, parseAreaM2 } from './area';
import { looksLikePhone, normalisePhone } from './phone';
import { toHalfWidth } from './area';

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

describe('phone numbers: whole numbers only, at their exact lengths', () => {
  it.each([
    ['0086 138 0013 8000', '13800138000'],
    ['（010）65001234', '01065001234'],
    ['0755-12345678', '075512345678'],
    ['021-1234567', '0211234567'],
    ['19912345678', '19912345678'],
    ['13000000000', '13000000000'],
  ])('normalises %s', (text, value) => expect(normalisePhone(text)).toBe(value));

  it.each([
    // Anchored at both ends: a number inside other text is not a number.
    'x13800138000',
    '13800138000x',
    '+8613800138000x',
    '86 13800138000',
    // Lengths just outside, and prefixes that are not numbers.
    '1380013800',
    '10800138000',
    '02112345',
    '0211234567890',
    '+87 138 0013 8000',
    '138.0013.8000',
    '+86',
  ])('refuses %p', (text) => expect(normalisePhone(text)).toBeNull());

  it.each(['13800138000', '+86 138-0013-8000', '010 (6500) 1234', '  138 0013 8000  ', '１３８'])(
    'takes %p for a phone number at sign-in',
    (login) => {
      expect(looksLikePhone(login)).toBe(true);
    },
  );

  it.each(['wang', 'wang138', '138wang', '138 wang', '', '+', 'a+86'])('takes %p for a user name', (login) => {
    expect(looksLikePhone(login)).toBe(login === '+');
  });
});

describe('full-width text', () => {
  it('turns full-width digits, letters and punctuation and the ideographic space into ASCII, and nothing else', () => {
    expect(toHalfWidth('１２３ＡＢｃ！～　．')).toBe('123ABc!~ .');
    expect(toHalfWidth('王大爷 85.5㎡')).toBe('王大爷 85.5㎡');
    // Just outside the full-width block: unchanged.
    expect(toHalfWidth('\uFF00\uFF5F')).toBe('\uFF00\uFF5F');
  });
});

describe('floor areas at their limits', () => {
  it('reads seven digits of whole square metres, and not eight', () => {
    expect(parseAreaM2('9999999.99')).toBe(999999999);
    expect(parseAreaM2('99999999')).toBeNull();
  });
  it.each(['85.5 m²', '85.5m2', '85.5 平米', '85.5M2', ' 85.5 ', '85.5 ㎡ ', '８５．５　'])('reads %s with its unit', (text) =>
    expect(parseAreaM2(text)).toBe(8550),
  );
  it.each(['m² 85', '85 m² m²', 'x85', '85x'])('refuses %p', (text) => expect(parseAreaM2(text)).toBeNull());
  it('formats whole and small areas', () => {
    expect(formatAreaM2(0)).toBe('0.00');
    expect(formatAreaM2(5)).toBe('0.05');
    expect(formatAreaM2(8550)).toBe('85.50');
    expect(formatAreaM2(-150)).toBe('-1.50');
  });
});
