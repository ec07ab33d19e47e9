import { looksLikePhone } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../components/fields';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { useErrorText, type FormErrors } from '../lib/errors';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';

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
  const [code, setCode] = useState(codeFromAddress);
  const [displayName, setDisplayName] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    const trimmed = login.trim();
    // One box for both, as on the sign-in screen: digits mean a phone number.
    const account = looksLikePhone(trimmed) ? { phone: trimmed } : { username: trimmed || undefined };
    try {
      const tokens = await api.join({ code: code.trim(), displayName: displayName.trim(), password, ...account });
      await session.start(tokens);
      navigate('/', { replace: true });
    } catch (error) {
      const found = forForm(error, ['code', 'displayName', 'phone', 'username', 'password']);
      found.fields.login = found.fields.phone ?? found.fields.username;
      setErrors(found);
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageHeading title={t('join.title')}>{t('join.title')}</PageHeading>
      <p>{t('join.intro')}</p>
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
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
        <TextField
          label={t('join.login')}
          hint={t('join.loginHint')}
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={errors?.fields.login}
          data-testid="join-login"
        />
        <TextField
          label={t('join.password')}
          hint={t('join.passwordHint')}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors?.fields.password}
          data-testid="join-password"
        />
        <button type="submit" className="button-primary" disabled={busy} data-testid="join-submit">
          {busy ? t('join.submitting') : t('join.submit')}
        </button>
      </form>
      <p className="aside">
        {t('join.haveAccount')}{' '}
        <Link href="/sign-in" className="button-link">
          {t('join.signInLink')}
        </Link>
      </p>
    </section>
  );
}

/** A signed-in person adds another membership (a second compound or a further role). */
function RedeemForm() {
  const { t } = useTranslation();
  const session = useSession();
  const { forForm } = useErrorText();
  const [code, setCode] = useState(codeFromAddress);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const membership = await api.redeem(code.trim());
      await session.reloadMe();
      navigate(`/c/${encodeURIComponent(membership.compoundId)}`);
    } catch (error) {
      setErrors(forForm(error, ['code']));
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageHeading title={t('join.redeemTitle')}>{t('join.redeemTitle')}</PageHeading>
      <p>{t('join.redeemIntro')}</p>
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <CodeField value={code} onChange={setCode} error={errors?.fields.code} />
        <button type="submit" className="button-primary" disabled={busy} data-testid="redeem-submit">
          {t('join.redeemSubmit')}
        </button>
      </form>
      <p className="aside">
        <Link href="/" className="button-link">
          {t('common.back')}
        </Link>
      </p>
    </section>
  );
}

export function JoinPage() {
  const { state } = useSession();
  // Fixed on arrival: joining signs the user in, and the form must not turn into the other one.
  const [signedInOnArrival] = useState(state.status === 'signed-in');
  return signedInOnArrival ? <RedeemForm /> : <JoinForm />;
}
