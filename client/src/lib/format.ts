import { currentLanguage } from './i18n';

/** Date and time in the reader's language, with a 24-hour clock in either (the date-time picker's). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(date);
}
