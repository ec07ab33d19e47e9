import type { ReactNode } from 'react';
import { useErrorText } from '../lib/errors';

/** Errors and lost connections interrupt screen readers (role="alert"); results do not. */
export function Alert({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div role="alert" className="alert alert-error" data-testid={testId ?? 'error-alert'}>
      {children}
    </div>
  );
}

export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div role="status" className="alert alert-ok" data-testid={testId}>
      {children}
    </div>
  );
}

/** Shows any thrown value (usually an API error) in the current language. */
export function ErrorAlert({ error, action }: { error: unknown; action?: ReactNode }) {
  const { message } = useErrorText();
  return (
    <Alert>
      <p>{message(error)}</p>
      {action}
    </Alert>
  );
}
