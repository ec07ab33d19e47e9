import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hasNavigated } from '../lib/routes';

/** The screen's <h1>: names the browser tab and, after a navigation, takes the focus. */
export function PageHeading({ children, title, testId }: { children: ReactNode; title: string; testId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    if (hasNavigated()) ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} data-testid={testId}>
      {children}
    </h1>
  );
}
