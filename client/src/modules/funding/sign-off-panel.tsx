import { allows, formatFen, proposalAllows, type Role, type SignOffStatusView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useMe } from '../../lib/session';
import { useResource } from '../../lib/use-resource';

/**
 * The required funding sign-offs of the revision that matters now, and for a member of such an
 * organisation (the property-rights unit's representative) the formal commitment or refusal.
 */
export function SignOffPanel({
  compoundId,
  proposalId,
  roles,
  refreshKey,
}: {
  compoundId: string;
  proposalId: string;
  roles: readonly Role[];
  refreshKey: string;
}) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const me = useMe();
  const status = useResource<SignOffStatusView>(`sign-offs:${proposalId}:${refreshKey}`, () => api.signOffs(compoundId, proposalId));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const myOrgs = new Set(me.memberships.filter((m) => m.compoundId === compoundId && m.organisationId).map((m) => m.organisationId!));
  const yuan = (fen: number) => t('funding.yuan', { amount: formatFen(fen) });
  const s = status.data;
  if (!s) return status.error ? <Alert>{message(status.error)}</Alert> : null;

  const decide = async (organisationId: string, decision: 'given' | 'refused', amountFen: number) => {
    if (s.revisionNumber === null) return;
    setBusy(true);
    setError(null);
    try {
      await api.signOff(compoundId, proposalId, s.revisionNumber, {
        decision,
        amountFen,
        note: decision === 'refused' ? note : '',
        organisationId,
      });
      setNote('');
      status.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="signoffs-h" data-testid="sign-offs">
      <h3 id="signoffs-h">{t('funding.signOffs')}</h3>
      {s.required.length === 0 ? (
        <p>{t('funding.noSignOffs')}</p>
      ) : (
        <ul className="plain-list">
          {s.required.map((r) => (
            <li key={r.organisationId} data-testid="sign-off" data-state={r.state}>
              <p>
                <strong>{t('funding.signOffFor', { org: r.organisationName, amount: yuan(r.planFen) })}</strong>{' '}
                <span className={r.state === 'given' ? 'quorum-met' : r.state === 'refused' ? 'quorum-not-met' : 'muted'}>
                  {t(`funding.${r.state}`)}
                </span>
              </p>
              {r.latest && (
                <p className="muted">
                  {t('funding.signedBy', {
                    name: r.latest.signedByName,
                    time: formatDateTime(r.latest.signedAt),
                    n: r.latest.revisionNumber,
                  })}
                  {r.latest.note ? ` · ${r.latest.note}` : ''}
                </p>
              )}
              {myOrgs.has(r.organisationId) && r.planFen === 0 && s.revisionNumber !== null && (
                <p className="muted" data-testid="sign-off-not-asked">
                  {t('funding.notAsked')}
                </p>
              )}
              {myOrgs.has(r.organisationId) &&
                r.planFen > 0 &&
                proposalAllows(s.proposalStatus, 'sign_off') &&
                allows(roles, 'funding.sign_off') &&
                s.revisionNumber !== null &&
                !(r.state === 'given' && r.latest?.revisionNumber === s.revisionNumber) && (
                  <>
                    <div className="button-row">
                      <button
                        type="button"
                        className="button-primary"
                        disabled={busy}
                        onClick={() => void decide(r.organisationId, 'given', r.planFen)}
                        data-testid="sign-off-give"
                      >
                        {t('funding.give', { amount: yuan(r.planFen) })}
                      </button>
                    </div>
                    <div className="field">
                      <label htmlFor={`refuse-${r.organisationId}`}>{t('funding.refuseNote')}</label>
                      <textarea id={`refuse-${r.organisationId}`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
                    </div>
                    <button
                      type="button"
                      disabled={busy || !note.trim()}
                      onClick={() => void decide(r.organisationId, 'refused', 0)}
                      data-testid="sign-off-refuse"
                    >
                      {t('funding.refuse')}
                    </button>
                  </>
                )}
            </li>
          ))}
        </ul>
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
