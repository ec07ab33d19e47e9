import { looksLikePhone } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountForm, LoginField, PasswordField } from '../components/account-form';
import { TextField } from '../components/fields';
import { Link } from '../components/link';
import { api } from '../lib/api';
import { useErrorText } from '../lib/errors';
import { pathTo, useNavigateTo } from '../lib/routes';
import { useSession } from '../lib/session';
import { useFormSubmit } from '../lib/use-action';

/** An invitation link may carry the code (/join?code=…), so the invitee does not have to type it. */
function codeFromAddress(): string {
  return new URLSearchParams(window.location.search).get('code') ?? '';
}

function CodeField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t('join.code')}
      hint={t('join.codeHint')}
      name="code"
      className="code-input"
      autoComplete="off"
      autoCapitalize="characters"
      spellCheck={false}
      maxLength={16}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      data-testid="join-code"
    />
  );
}

/** A new person: creates the account and joins in one step. */
function JoinForm() {
  const { t } = useTranslation();
  const session = useSession();
  const { forForm } = useErrorText();
  const navigate = useNavigateTo();
  const [code, setCode] = useState(codeFromAddress);
  const [displayName, setDisplayName] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, submit } = useFormSubmit(
    async () => {
      const trimmed = login.trim();
      // One box for both, as on the sign-in screen: digits mean a phone number.
      const account = looksLikePhone(trimmed) ? { phone: trimmed } : { username: trimmed || undefined };
      const tokens = await api.join({ code: code.trim(), displayName: displayName.trim(), password, ...account });
      await session.start(tokens);
      navigate(pathTo('home'), { replace: true });
    },
    (error) => {
      const found = forForm(error, ['code', 'displayName', 'phone', 'username', 'password']);
      const loginError = found.fields.phone ?? found.fields.username;
      if (loginError !== undefined) found.fields.login = loginError;
      return found;
    },
  );

  return (
    <AccountForm
      title={t('join.title')}
      intro={t('join.intro')}
      errors={errors}
      onSubmit={submit}
      aside={
        <>
          {t('join.haveAccount')}{' '}
          <Link to={pathTo('signIn')} className="button-link">
            {t('join.signInLink')}
          </Link>
        </>
      }
    >
      <CodeField value={code} onChange={setCode} error={errors?.fields.code} />
      <TextField
        label={t('join.displayName')}
        hint={t('join.displayNameHint')}
        name="displayName"
        autoComplete="name"
        maxLength={40}
        required
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={errors?.fields.displayName}
        data-testid="join-display-name"
      />
      <LoginField
        label={t('join.login')}
        hint={t('join.loginHint')}
        value={login}
        onChange={setLogin}
        error={errors?.fields.login}
        testId="join-login"
      />
      <PasswordField
        label={t('join.password')}
        hint={t('join.passwordHint')}
        isNew
        value={password}
        onChange={setPassword}
        error={errors?.fields.password}
        testId="join-password"
      />
      <button type="submit" className="button-primary" disabled={busy} data-testid="join-submit">
        {busy ? t('join.submitting') : t('join.submit')}
      </button>
    </AccountForm>
  );
}

/** A signed-in person adds another membership (a second compound or a further role). */
function RedeemForm() {
  const { t } = useTranslation();
  const session = useSession();
  const { forForm } = useErrorText();
  const navigate = useNavigateTo();
  const [code, setCode] = useState(codeFromAddress);
  const { busy, errors, submit } = useFormSubmit(
    async () => {
      const membership = await api.redeem(code.trim());
      await session.reloadMe();
      navigate(pathTo('compound', { compoundId: membership.compoundId }));
    },
    (error) => forForm(error, ['code']),
  );

  return (
    <AccountForm
      title={t('join.redeemTitle')}
      intro={t('join.redeemIntro')}
      errors={errors}
      onSubmit={submit}
      aside={
        <Link to={pathTo('home')} className="button-link">
          {t('common.back')}
        </Link>
      }
    >
      <CodeField value={code} onChange={setCode} error={errors?.fields.code} />
      <button type="submit" className="button-primary" disabled={busy} data-testid="redeem-submit">
        {t('join.redeemSubmit')}
      </button>
    </AccountForm>
  );
}

export default function JoinPage() {
  const { state } = useSession();
  // Fixed on arrival: joining signs the user in, and the form must not turn into the other one.
  const [signedInOnArrival] = useState(state.status === 'signed-in');
  return signedInOnArrival ? <RedeemForm /> : <JoinForm />;
}
