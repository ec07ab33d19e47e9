import type { FormEvent, ReactNode } from 'react';
import type { FormErrors } from '../lib/errors';
import { TextField } from './fields';
import { FormError } from './form-error';
import { PageHeading } from './page-heading';

/**
 * The narrow page around the sign-in, join and redeem forms: heading, a line of introduction, the
 * form's errors above it, and a way elsewhere below it.
 */
export function AccountForm({
  title,
  intro,
  notice,
  errors,
  onSubmit,
  children,
  aside,
}: {
  title: string;
  intro: string;
  /** Shown between the introduction and the form's errors (the sign-in page's "session expired"). */
  notice?: ReactNode;
  errors: FormErrors | null;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
  aside: ReactNode;
}) {
  return (
    <section className="narrow">
      <PageHeading title={title}>{title}</PageHeading>
      <p>{intro}</p>
      {notice}
      <FormError errors={errors} />
      <form onSubmit={onSubmit} noValidate>
        {children}
      </form>
      <p className="aside">{aside}</p>
    </section>
  );
}

interface AccountFieldProps {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  testId: string;
}

/** One box for a phone number or a user name, as the server accepts either. */
export function LoginField({ label, hint, value, onChange, error, testId }: AccountFieldProps) {
  return (
    <TextField
      label={label}
      hint={hint}
      name="login"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      data-testid={testId}
    />
  );
}

/** `isNew`: a password being chosen (the password manager offers one; at least 8 characters). */
export function PasswordField({ label, hint, value, onChange, error, testId, isNew = false }: AccountFieldProps & { isNew?: boolean }) {
  return (
    <TextField
      label={label}
      hint={hint}
      name="password"
      type="password"
      autoComplete={isNew ? 'new-password' : 'current-password'}
      minLength={isNew ? 8 : undefined}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      data-testid={testId}
    />
  );
}
