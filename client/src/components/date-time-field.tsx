import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** A local date and time as `datetime-local` writes it: `2026-12-03T19:05`. */
export type LocalDateTime = string;

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (year: number, month: number) => new Date(year, month, 0).getDate();

/** The next full hour from now, as a LocalDateTime. */
export function nextFullHour(now = new Date()): LocalDateTime {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours() + 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`;
}

function parts(value: LocalDateTime) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  const [year, month, day, hour, minute] = (m ? m.slice(1) : nextFullHour().split(/[-T:]/)).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, hour, minute };
}

/**
 * A date and a 24-hour time as five large selects (year, month, day, hour, minute every five).
 * The browser's own date-time input follows the browser's language, not the page's: a zh-CN page
 * on an English phone showed `mm/dd/yyyy, --:-- --` with a clipped AM/PM. Selects say the same
 * in every browser, in the page's language, and are easy targets for an elderly hand.
 */
export function DateTimeField({
  label,
  value,
  onChange,
  error,
  testId,
  dateOnly = false,
  past = false,
}: {
  label: string;
  value: LocalDateTime;
  onChange: (value: LocalDateTime) => void;
  error?: string;
  testId?: string;
  /** Only the day (year, month, day): the time in the value stays as it is. */
  dateOnly?: boolean;
  /** The years offered are this one and the five before it (a range looked back on), not the next ones. */
  past?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const v = parts(value);
  const thisYear = new Date().getFullYear();
  const years = past ? Array.from({ length: 6 }, (_, i) => thisYear - 5 + i) : Array.from({ length: 3 }, (_, i) => thisYear + i);
  if (!years.includes(v.year)) years.unshift(v.year);
  const minutes = Array.from({ length: 12 }, (_, i) => i * 5);
  if (!minutes.includes(v.minute)) minutes.push(v.minute);
  minutes.sort((a, b) => a - b);

  const set = (change: Partial<typeof v>) => {
    const n = { ...v, ...change };
    // 31 January → February: the last day of the month rather than an invalid date.
    n.day = Math.min(n.day, daysIn(n.year, n.month));
    onChange(`${n.year}-${pad(n.month)}-${pad(n.day)}T${pad(n.hour)}:${pad(n.minute)}`);
  };
  const part = (name: 'year' | 'month' | 'day' | 'hour' | 'minute', options: number[], text: (n: number) => string = (n) => String(n)) => (
    <div className="date-time-part">
      <label htmlFor={`${id}-${name}`}>{t(`dateTime.${name}`)}</label>
      <select
        id={`${id}-${name}`}
        value={v[name]}
        onChange={(e) => set({ [name]: Number(e.target.value) } as Partial<typeof v>)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId ? `${testId}-${name}` : undefined}
      >
        {options.map((n) => (
          <option key={n} value={n}>
            {text(n)}
          </option>
        ))}
      </select>
    </div>
  );
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  return (
    <fieldset className="field date-time-field" data-testid={testId}>
      <legend>{label}</legend>
      <div className="date-time-row">
        {part('year', years)}
        {part('month', range(1, 12))}
        {part('day', range(1, daysIn(v.year, v.month)))}
      </div>
      {!dateOnly && (
        <div className="date-time-row">
          {part('hour', range(0, 23), pad)}
          <span className="date-time-colon" aria-hidden="true">
            :
          </span>
          {part('minute', minutes, pad)}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
