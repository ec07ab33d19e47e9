import { useTranslation } from 'react-i18next';
import { TablePage } from '../components/table-page';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/use-resource';

export default function MembersPage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const members = useResource(`members:${compoundId}`, () => api.members(compoundId));
  const dash = t('common.dash');

  return (
    <TablePage
      title={t('members.title')}
      resource={members}
      empty={t('members.empty')}
      count={(n) => t('members.count', { n })}
      testId="members-table"
      head={
        <>
          <th scope="col">{t('members.name')}</th>
          <th scope="col">{t('members.role')}</th>
          <th scope="col">{t('members.household')}</th>
          <th scope="col">{t('members.organisation')}</th>
          <th scope="col">{t('members.account')}</th>
          <th scope="col">{t('members.joinedAt')}</th>
        </>
      }
      row={(m) => (
        <tr key={m.membershipId}>
          <th scope="row">{m.user.displayName}</th>
          <td>{t(`roles.${m.role}`)}</td>
          <td>{m.householdLabel ?? dash}</td>
          <td>{m.organisationName ?? dash}</td>
          <td>{m.user.phone ?? m.user.username ?? dash}</td>
          <td>{formatDateTime(m.joinedAt)}</td>
        </tr>
      )}
    />
  );
}
