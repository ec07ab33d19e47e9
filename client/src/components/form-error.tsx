import type { FormErrors } from '../lib/errors';
import { useTranslation } from 'react-i18next';
import { Alert } from './alert';

/** The alert above a form: what went wrong, plus field messages no visible field can show. */
export function FormError({ errors }: { errors: FormErrors | null }) {
  const { t } = useTranslation();
  if (!errors) return null;
  return (
    <Alert testId="form-error">
      <p>{errors.summary}</p>
      {errors.other.length > 0 && (
        <>
          <p>{t('errors.otherFields')}</p>
          <ul>
            {errors.other.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}
