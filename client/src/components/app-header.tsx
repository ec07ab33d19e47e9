import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../lib/i18n';
import { setElderlyMode, stepTextScale, TEXT_SCALES, useElderlyMode, useTextScale } from '../lib/preferences';
import { useConnectionState } from '../lib/realtime';
import { useSession } from '../lib/session';
import { Alert } from './alert';
import { pathTo } from '../lib/routes';
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

/** A− / A+: the text size on top of the mode's own, for eyes that need more than 长辈版 gives. */
function TextSize() {
  const { t } = useTranslation();
  const index = useTextScale();
  return (
    <span className="text-size">
      {/* The visible "A−" stays part of the name (for voice control); the words follow, hidden. */}
      <button
        type="button"
        className="button-quiet"
        title={t('prefs.textSmallerLabel')}
        disabled={index === 0}
        data-testid="text-smaller"
        onClick={() => stepTextScale(-1)}
      >
        {t('prefs.textSmaller')}
        <span className="visually-hidden"> {t('prefs.textSmallerLabel')}</span>
      </button>
      <button
        type="button"
        className="button-quiet"
        title={t('prefs.textLargerLabel')}
        disabled={index === TEXT_SCALES.length - 1}
        data-testid="text-larger"
        onClick={() => stepTextScale(1)}
      >
        {t('prefs.textLarger')}
        <span className="visually-hidden"> {t('prefs.textLargerLabel')}</span>
      </button>
    </span>
  );
}

/** The live connection, in words and a symbol (never colour alone); only once a socket is open. */
function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (!state) return null;
  const text = {
    connected: `● ${t('connection.connected')}`,
    connecting: `○ ${t('connection.connecting')}`,
    reconnecting: `○ ${t('connection.reconnecting')}`,
    offline: `✗ ${t('connection.offlineEditing')}`,
  }[state];
  return (
    <p className={`connection connection-${state}`} role="status" data-testid="connection-state" data-state={state}>
      {text}
    </p>
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
  const socket = useConnectionState();
  // With a live socket the connection line says it better (and promises the edits are kept).
  if (online || socket) return null;
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
        <Link to={pathTo('home')} className="brand">
          {t('app.name')}
        </Link>
        <div className="header-actions">
          <LanguageSwitch />
          <ElderlyToggle />
          <TextSize />
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
      <ConnectionStatus />
    </header>
  );
}
