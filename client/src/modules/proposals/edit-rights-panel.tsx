import { allows, type EditRightsView, proposalAllows, type ProposalStatus, type Role } from '@yishi/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';

/**
 * Who the chair invited to edit this proposal beyond their role (the property company, a
 * person), shown to everyone; the chair invites and withdraws invitations here.
 */
export function EditRightsPanel({
  compoundId,
  proposalId,
  status,
  roles,
}: {
  compoundId: string;
  proposalId: string;
  status: ProposalStatus;
  roles: readonly Role[];
}) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const rights = useResource<EditRightsView>(`edit-rights:${proposalId}:${status}`, () => api.editRights(compoundId, proposalId));
  const isChair = allows(roles, 'proposal.manage');
  // Only the chair chooses whom to invite.
  const compound = useResource(`compound:${compoundId}:${isChair}`, () => (isChair ? api.compound(compoundId) : Promise.resolve(null)));
  const members = useResource(`members:${compoundId}:${isChair}`, () => (isChair ? api.members(compoundId) : Promise.resolve(null)));
  const [organisationId, setOrganisationId] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const r = rights.data;
  if (!r) return rights.error ? <Alert>{message(rights.error)}</Alert> : null;

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setOrganisationId('');
      setUserId('');
      rights.reload();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const grant = (e: FormEvent) => {
    e.preventDefault();
    void act(() => api.grantEdit(compoundId, proposalId, organisationId ? { organisationId } : { userId }));
  };
  const people = [...new Map((members.data ?? []).map((m) => [m.user.id, m.user.displayName])).entries()];

  return (
    <section aria-labelledby="edit-rights-h" data-testid="edit-rights">
      <h3 id="edit-rights-h">{t('editRights.title')}</h3>
      <p className="muted">{t('editRights.byRole')}</p>
      {r.grants.length === 0 ? (
        <p>{t('editRights.none')}</p>
      ) : (
        <ul className="plain-list">
          {r.grants.map((g) => (
            <li key={g.id} data-testid="edit-grant">
              {t('editRights.invited', { name: g.name, by: g.grantedByName })}{' '}
              {isChair && (
                <button
                  type="button"
                  className="button-quiet"
                  disabled={busy}
                  onClick={() => void act(() => api.revokeEdit(compoundId, proposalId, g.id))}
                  data-testid="edit-grant-revoke"
                >
                  {t('editRights.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p data-testid="edit-rights-mine" data-can-edit={r.canEdit}>
        {r.canEdit ? t('editRights.youMay') : t('editRights.youMayNot')}
      </p>
      {isChair && proposalAllows(status, 'grant_edit') && (
        <form onSubmit={grant} data-testid="edit-grant-form">
          <h4>{t('editRights.grantTitle')}</h4>
          <div className="field">
            <label htmlFor="grant-org">{t('editRights.organisation')}</label>
            <select
              id="grant-org"
              value={organisationId}
              onChange={(e) => (setOrganisationId(e.target.value), setUserId(''))}
              data-testid="edit-grant-organisation"
            >
              <option value="">{t('editRights.choose')}</option>
              {(compound.data?.organisations ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-user">{t('editRights.person')}</label>
            <select
              id="grant-user"
              value={userId}
              onChange={(e) => (setUserId(e.target.value), setOrganisationId(''))}
              data-testid="edit-grant-person"
            >
              <option value="">{t('editRights.choose')}</option>
              {people.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy || (!organisationId && !userId)} data-testid="edit-grant-submit">
            {t('editRights.grant')}
          </button>
        </form>
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
