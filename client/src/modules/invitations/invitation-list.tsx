import type { InvitationView } from '@yishi/shared';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { TableScroll } from '../../components/table-scroll';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';

type Status = 'active' | 'revoked' | 'expired' | 'usedUp';

function statusOf(invitation: InvitationView, now: number): Status {
  if (invitation.revoked) return 'revoked';
  if (Date.parse(invitation.expiresAt) <= now) return 'expired';
  if (invitation.uses >= invitation.maxUses) return 'usedUp';
  return 'active';
}

export function CreatedCode({ invitation }: { invitation: InvitationView }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLElement>(null);
  // The code appears below a long form; bring it into view on a small phone. (Braces matter:
  // newer browsers return a promise from scrollIntoView, and an effect may only return a cleanup.)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const copy = () => {
    navigator.clipboard?.writeText(invitation.code).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <section ref={ref} className="card created-code" aria-labelledby="created-code-title" role="status">
      <h3 id="created-code-title">{t('invitations.createdTitle')}</h3>
      <p className="code-display" data-testid="invitation-code" lang="en">
        {invitation.code}
      </p>
      <p>
        {t('invitations.createdFor', {
          role: t(`roles.${invitation.role}`),
          household: invitation.householdLabel ?? t('common.dash'),
        })}
      </p>
      <p>{t('invitations.expiresAt', { date: formatDateTime(invitation.expiresAt) })}</p>
      <p className="muted">{t('invitations.createdHint')}</p>
      {typeof navigator.clipboard?.writeText === 'function' && (
        <button type="button" onClick={copy} data-testid="copy-code">
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      )}
    </section>
  );
}

export function InvitationList({
  compoundId,
  invitations,
  onChanged,
}: {
  compoundId: string;
  invitations: InvitationView[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [now] = useState(() => Date.now());
  const [error, setError] = useState<unknown>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  // Asked in place, not in a pop-up dialog (no pop-ups: the elderly-friendly specification).
  const [confirming, setConfirming] = useState<string | null>(null);

  const revoke = async (invitation: InvitationView) => {
    setConfirming(null);
    setRevoking(invitation.id);
    setError(null);
    try {
      await api.revokeInvitation(compoundId, invitation.id);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setRevoking(null);
    }
  };

  if (invitations.length === 0) return <p>{t('invitations.empty')}</p>;
  return (
    <>
      {error !== null && <ErrorAlert error={error} />}
      <TableScroll label={t('invitations.listTitle')}>
        <table className="wide" data-testid="invitations-table">
          <thead>
            <tr>
              <th scope="col">{t('invitations.code')}</th>
              <th scope="col">{t('invitations.role')}</th>
              <th scope="col">{t('invitations.household')}</th>
              <th scope="col">{t('invitations.uses')}</th>
              <th scope="col">{t('invitations.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('invitations.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((inv) => {
              const status = statusOf(inv, now);
              return (
                <tr key={inv.id} data-testid="invitation-row">
                  <th scope="row" className="code-cell" lang="en">
                    {inv.code}
                  </th>
                  <td>{t(`roles.${inv.role}`)}</td>
                  <td>{inv.householdLabel ?? t('common.dash')}</td>
                  <td className="number">
                    {inv.uses} / {inv.maxUses}
                  </td>
                  <td>
                    {t(`invitations.statuses.${status}`)}
                    <span className="muted block">{formatDateTime(inv.expiresAt)}</span>
                  </td>
                  <td>
                    {status === 'active' && confirming !== inv.id && (
                      <button
                        type="button"
                        aria-label={t('invitations.revokeNamed', { code: inv.code })}
                        disabled={revoking === inv.id}
                        onClick={() => setConfirming(inv.id)}
                        data-testid="invitation-revoke"
                      >
                        {t('invitations.revoke')}
                      </button>
                    )}
                    {status === 'active' && confirming === inv.id && (
                      <div role="group" aria-label={t('invitations.revokeNamed', { code: inv.code })}>
                        <p>{t('invitations.revokeConfirm', { code: inv.code })}</p>
                        <div className="button-row">
                          <button
                            type="button"
                            className="button-primary"
                            onClick={() => void revoke(inv)}
                            data-testid="invitation-revoke-confirm"
                          >
                            {t('invitations.revoke')}
                          </button>
                          <button type="button" className="button-quiet" onClick={() => setConfirming(null)}>
                            {t('comments.cancel')}
                          </button>
                        </div>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
