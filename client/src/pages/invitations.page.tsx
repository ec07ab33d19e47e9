import { ROLES, type InvitationView, type Role } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { CreateInvitationForm } from '../modules/invitations/create-invitation-form';
import { CreatedCode, InvitationList } from '../modules/invitations/invitation-list';

export default function InvitationsPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const compound = useResource(`compound:${compoundId}`, () => api.compound(compoundId));
  const households = useResource(`households:${compoundId}`, () => api.households(compoundId));
  const invitations = useResource(`invitations:${compoundId}`, () => api.invitations(compoundId));
  const [created, setCreated] = useState<InvitationView | null>(null);
  // A gate leader may only invite residents of their own gate; the chair may invite anyone.
  const creatableRoles: readonly [Role, ...Role[]] = roles.includes('chair') ? ROLES : ['resident'];
  const failed = compound.error ?? households.error;

  return (
    <>
      <PageHeading title={t('invitations.title')}>{t('invitations.title')}</PageHeading>

      <section aria-labelledby="create-invitation">
        <h2 id="create-invitation">{t('invitations.createTitle')}</h2>
        {failed ? (
          <ErrorAlert error={failed} />
        ) : !compound.data || !households.data ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <CreateInvitationForm
            compound={compound.data}
            households={households.data}
            creatableRoles={creatableRoles}
            onCreated={(invitation) => {
              setCreated(invitation);
              invitations.reload();
            }}
          />
        )}
        {created && <CreatedCode key={created.id} invitation={created} />}
      </section>

      <section aria-labelledby="invitation-list">
        <h2 id="invitation-list">{t('invitations.listTitle')}</h2>
        {invitations.error ? (
          <ErrorAlert
            error={invitations.error}
            action={
              <button type="button" onClick={invitations.reload}>
                {t('common.retry')}
              </button>
            }
          />
        ) : !invitations.data ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <InvitationList compoundId={compoundId} invitations={invitations.data} onChanged={invitations.reload} />
        )}
      </section>
    </>
  );
}
