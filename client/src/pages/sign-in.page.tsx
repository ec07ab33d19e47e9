import { ERRORS } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountForm, LoginField, PasswordField } from '../components/account-form';
import { Alert } from '../components/alert';
import { Link } from '../components/link';
import { api } from '../lib/api';
import { useErrorText } from '../lib/errors';
import { catalogueLanguage } from '../lib/i18n';
import { pathTo } from '../lib/routes';
import { useSession } from '../lib/session';
import { useFormSubmit } from '../lib/use-action';

export function SignInPage({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const { forForm } = useErrorText();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, submit } = useFormSubmit(
    async () => session.start(await api.signIn({ login: login.trim(), password })),
    (error) => forForm(error, ['login', 'password']),
  );

  return (
    <AccountForm
      title={t('signIn.title')}
      intro={t('signIn.intro')}
      notice={expired && !errors && <Alert testId="session-expired">{ERRORS.TOKEN_EXPIRED[catalogueLanguage()]}</Alert>}
      errors={errors}
      onSubmit={submit}
      aside={
        <>
          {t('signIn.noAccount')}{' '}
          <Link to={pathTo('join')} className="button-link" data-testid="join-link">
            {t('signIn.joinLink')}
          </Link>
        </>
      }
    >
      <LoginField label={t('signIn.login')} value={login} onChange={setLogin} error={errors?.fields.login} testId="sign-in-login" />
      <PasswordField
        label={t('signIn.password')}
        value={password}
        onChange={setPassword}
        error={errors?.fields.password}
        testId="sign-in-password"
      />
      <button type="submit" className="button-primary" disabled={busy} data-testid="sign-in-submit">
        {busy ? t('signIn.submitting') : t('signIn.submit')}
      </button>
    </AccountForm>
  );
}
