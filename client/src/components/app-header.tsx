import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../lib/i18n';
import { setElderlyMode, useElderlyMode } from '../lib/preferences';
import { useSession } from '../lib/session';
import { Alert } from './alert';
import { Link } from './link';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const target: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="button-quiet"
      lang={target}
      title={t('prefs.otherLanguageLabel')}
      data-testid="language-switch"
      onClick={() => setLanguage(target)}
    >
      {t('prefs.otherLanguage')}
    </button>
  );
}

function ElderlyToggle() {
  const { t } = useTranslation();
  const on = useElderlyMode();
  return (
    <button
      type="button"
      className="button-quiet toggle"
      aria-pressed={on}
      title={t('prefs.elderlyLabel')}
      data-testid="elderly-toggle"
      onClick={() => setElderlyMode(!on)}
    >
      <span className="toggle-mark" aria-hidden="true">
        {on ? '☑' : '☐'}
      </span>
      {t('prefs.elderly')}
    </button>
  );
}

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

function OfflineBanner() {
  const { t } = useTranslation();
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  if (online) return null;
  return <Alert testId="offline-alert">{t('connection.offline')}</Alert>;
}

/** Shown on every screen: the language switch and 长辈版 must always be one tap away. */
export function AppHeader() {
  const { t } = useTranslation();
  const session = useSession();
  const signedIn = session.state.status === 'signed-in' ? session.state.me : null;

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header-inner">
        <Link href="/" className="brand">
          {t('app.name')}
        </Link>
        <div className="header-actions">
          <LanguageSwitch />
          <ElderlyToggle />
          {signedIn && (
            <>
              <span className="user-name" data-testid="user-name">
                {t('nav.signedInAs', { name: signedIn.user.displayName })}
              </span>
              <button type="button" className="button-quiet" data-testid="sign-out" onClick={() => void session.signOut()}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </div>
      <OfflineBanner />
    </header>
  );
}
