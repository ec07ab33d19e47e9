import { useId, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../lib/i18n';
import { setElderlyMode, stepTextScale, TEXT_SCALES, useElderlyMode, useTextScale } from '../lib/preferences';
import { type ConnectionState, useConnectionState } from '../lib/realtime';
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

/**
 * The live connection, in words and a symbol (never colour alone); only once a socket is open.
 * In 长辈版 the words are the short ones, so the line stays one line at 360 px.
 */
function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnectionState();
  const elderly = useElderlyMode();
  if (!state) return null;
  const words: Record<ConnectionState, string> = elderly
    ? {
        connected: t('connection.connected'),
        connecting: t('connection.connecting'),
        reconnecting: t('connection.reconnectingShort'),
        offline: t('connection.offlineShort'),
      }
    : {
        connected: t('connection.connected'),
        connecting: t('connection.connecting'),
        reconnecting: t('connection.reconnecting'),
        offline: t('connection.offlineEditing'),
      };
  const mark: Record<ConnectionState, string> = { connected: '●', connecting: '○', reconnecting: '○', offline: '✗' };
  return (
    <p className={`connection connection-${state}`} role="status" data-testid="connection-state" data-state={state}>
      {mark[state]} {words[state]}
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

/**
 * 长辈版: a short name and one large menu button holding the settings, so the header is one row
 * plus the connection line (about 110 px at 360 px wide) and the page starts on the first screen.
 */
function CompactHeader({ name, onSignOut }: { name: string | null; onSignOut: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <div className="header-actions header-compact">
        {name !== null && (
          <span className="user-name user-name-short" data-testid="user-name" title={name}>
            {name}
          </span>
        )}
        <button
          type="button"
          className="button-quiet menu-button"
          aria-expanded={open}
          aria-controls={id}
          data-testid="menu-button"
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '✕' : '☰'}</span> {t('nav.menu')}
        </button>
      </div>
      <div
        id={id}
        className="header-menu"
        hidden={!open}
        data-testid="header-menu"
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        <LanguageSwitch />
        <TextSize />
        <ElderlyToggle />
        {name !== null && (
          <button type="button" className="button-quiet" data-testid="sign-out" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        )}
      </div>
    </>
  );
}

/** Shown on every screen: the language switch and 长辈版 are always at most two taps away. */
export function AppHeader() {
  const { t } = useTranslation();
  const session = useSession();
  const elderly = useElderlyMode();
  const signedIn = session.state.status === 'signed-in' ? session.state.me : null;
  const signOut = () => void session.signOut();

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header-inner">
        <Link to={pathTo('home')} className="brand">
          {t('app.name')}
        </Link>
        {elderly ? (
          <CompactHeader name={signedIn?.user.displayName ?? null} onSignOut={signOut} />
        ) : (
          <div className="header-actions">
            <LanguageSwitch />
            <ElderlyToggle />
            <TextSize />
            {signedIn && (
              <>
                <span className="user-name" data-testid="user-name">
                  {t('nav.signedInAs', { name: signedIn.user.displayName })}
                </span>
                <button type="button" className="button-quiet" data-testid="sign-out" onClick={signOut}>
                  {t('nav.signOut')}
                </button>
              </>
            )}
          </div>
        )}
      </div>
      <OfflineBanner />
      <ConnectionStatus />
    </header>
  );
}
