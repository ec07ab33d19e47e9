import { ERRORS } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from './api';
import { translateFieldMessage } from './field-messages';
import { CommandError } from './realtime';

export interface FormErrors {
  /** The one sentence for the alert at the top of the form. */
  summary: string;
  /** Messages for the fields the form shows, by field name. */
  fields: Record<string, string>;
  /** Field messages the form has no field for, so they still reach the user. */
  other: string[];
}

/** Field paths may come as "phone" or "body.phone"; the forms name fields by the last part. */
function fieldName(path: string): string {
  const parts = path.split('.').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** Turns any thrown value into words for the user, in the current language. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh';

  const message = (error: unknown): string => {
    if (error instanceof ApiRequestError) {
      if (error.code === 'NETWORK') return t('errors.network');
      return ERRORS[error.code][language];
    }
    if (error instanceof CommandError) {
      if (Object.hasOwn(ERRORS, error.code)) return ERRORS[error.code as keyof typeof ERRORS][language];
      return t('errors.network');
    }
    return t('errors.unexpected');
  };

  const forForm = (error: unknown, knownFields: readonly string[]): FormErrors => {
    const fields: Record<string, string> = {};
    const other: string[] = [];
    if (error instanceof ApiRequestError) {
      for (const f of error.fields) {
        const name = fieldName(f.path);
        const text = translateFieldMessage(f.message, language);
        if (knownFields.includes(name)) fields[name] ??= text;
        else other.push(text);
      }
    }
    return { summary: message(error), fields, other };
  };

  return { message, forForm };
}
