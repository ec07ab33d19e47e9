import { ERRORS } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../components/alert';
import { TextField } from '../components/fields';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { useErrorText, type FormErrors } from '../lib/errors';
import { catalogueLanguage } from '../lib/i18n';
import { useSession } from '../lib/session';

export function SignInPage({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const { forForm } = useErrorText();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      await session.start(await api.signIn({ login: login.trim(), password }));
    } catch (error) {
      setErrors(forForm(error, ['login', 'password']));
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageHeading title={t('signIn.title')}>{t('signIn.title')}</PageHeading>
      <p>{t('signIn.intro')}</p>
      {expired && !errors && <Alert testId="session-expired">{ERRORS.TOKEN_EXPIRED[catalogueLanguage()]}</Alert>}
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('signIn.login')}
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={errors?.fields.login}
          data-testid="sign-in-login"
        />
        <TextField
          label={t('signIn.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors?.fields.password}
          data-testid="sign-in-password"
        />
        <button type="submit" className="button-primary" disabled={busy} data-testid="sign-in-submit">
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
      <p className="aside">
        {t('signIn.noAccount')}{' '}
        <Link href="/join" className="button-link" data-testid="join-link">
          {t('signIn.joinLink')}
        </Link>
      </p>
    </section>
  );
}
