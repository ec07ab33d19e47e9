import type { ProjectorLinkView } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { pathTo } from '../../lib/routes';
import { PROJECTOR_TOKENS_KEY } from '../../lib/offline-store';
import { readStorage, writeStorage } from '../../lib/storage';

// The server keeps only the token's hash: the device that made the link remembers the token (until
// sign-out), so the chair can open the screen again from here.
function storedTokens(): Record<string, string> {
  try {
    return JSON.parse(readStorage(PROJECTOR_TOKENS_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
function keepToken(linkId: string, token: string | null): void {
  const { [linkId]: _dropped, ...others } = storedTokens();
  writeStorage(PROJECTOR_TOKENS_KEY, JSON.stringify(token ? { ...others, [linkId]: token } : others));
}

/** The chair's 投屏 button: makes, shows and revokes the meeting's projector link. */
export function ProjectorLink({ compoundId, meetingId }: { compoundId: string; meetingId: string }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<ProjectorLinkView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    api.projectorLink(compoundId, meetingId).then(setView, setError);
  }, [open, compoundId, meetingId]);

  const act = async (run: () => Promise<ProjectorLinkView>) => {
    setBusy(true);
    setError(null);
    try {
      const before = view?.link?.id;
      setView(await run());
      if (before) keepToken(before, null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const create = () =>
    act(async () => {
      const made = await api.createProjectorLink(compoundId, meetingId);
      keepToken(made.link.id, made.token);
      return { link: made.link };
    });
  const link = view?.link ?? null;
  const token = link ? (storedTokens()[link.id] ?? null) : null;
  const url = token ? `${window.location.origin}${pathTo('projector', { meetingId })}#${token}` : null;

  return (
    <div className="projector-link">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="projector-toggle">
        {t('projector.button')}
      </button>
      {open && (
        <div className="projector-link-panel" data-testid="projector-panel">
          <p className="muted">{t('projector.explain')}</p>
          {url && (
            <p>
              <a href={url} target="_blank" rel="noopener" className="button-link" data-testid="projector-open">
                {t('projector.open')}
              </a>{' '}
              <input
                readOnly
                value={url}
                aria-label={t('projector.address')}
                data-testid="projector-url"
                onFocus={(e) => e.target.select()}
              />
            </p>
          )}
          {link && !url && <p>{t('projector.elsewhere')}</p>}
          <div className="button-row">
            <button type="button" disabled={busy || view === null} onClick={() => void create()} data-testid="projector-create">
              {link ? t('projector.replace') : t('projector.create')}
            </button>
            {link && (
              <button
                type="button"
                disabled={busy}
                onClick={() => void act(() => api.revokeProjectorLink(compoundId, meetingId))}
                data-testid="projector-revoke"
              >
                {t('projector.revoke')}
              </button>
            )}
          </div>
          {error !== null && <Alert>{message(error)}</Alert>}
        </div>
      )}
    </div>
  );
}
