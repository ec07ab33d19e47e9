import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { PageHeading } from '../components/page-heading';
import { TableScroll } from '../components/table-scroll';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/use-resource';

export default function MembersPage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const members = useResource(`members:${compoundId}`, () => api.members(compoundId));
  const dash = t('common.dash');

  return (
    <>
      <PageHeading title={t('members.title')}>{t('members.title')}</PageHeading>
      {members.error ? (
        <ErrorAlert error={members.error} action={<button type="button" onClick={members.reload}>{t('common.retry')}</button>} />
      ) : !members.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : members.data.length === 0 ? (
        <p>{t('members.empty')}</p>
      ) : (
        <>
          <p>{t('members.count', { n: members.data.length })}</p>
          <TableScroll label={t('members.title')}>
            <table className="wide" data-testid="members-table">
              <thead>
                <tr>
                  <th scope="col">{t('members.name')}</th>
                  <th scope="col">{t('members.role')}</th>
                  <th scope="col">{t('members.household')}</th>
                  <th scope="col">{t('members.organisation')}</th>
                  <th scope="col">{t('members.account')}</th>
                  <th scope="col">{t('members.joinedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {members.data.map((m) => (
                  <tr key={m.membershipId}>
                    <th scope="row">{m.user.displayName}</th>
                    <td>{t(`roles.${m.role}`)}</td>
                    <td>{m.householdLabel ?? dash}</td>
                    <td>{m.organisationName ?? dash}</td>
                    <td>{m.user.phone ?? m.user.username ?? dash}</td>
                    <td>{formatDateTime(m.joinedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
