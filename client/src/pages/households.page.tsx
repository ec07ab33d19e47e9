import { formatAreaM2 } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { TablePage } from '../components/table-page';
import { api } from '../lib/api';
import { useResource } from '../lib/use-resource';

export default function HouseholdsPage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const households = useResource(`households:${compoundId}`, () => api.households(compoundId));
  const dash = t('common.dash');

  return (
    <TablePage
      title={t('households.title')}
      resource={households}
      empty={t('households.empty')}
      count={(n) => t('households.count', { n })}
      testId="households-table"
      head={
        <>
          <th scope="col">{t('households.label')}</th>
          <th scope="col" className="number">
            {t('households.area')}
          </th>
          <th scope="col">{t('households.owners')}</th>
          <th scope="col">{t('households.voter')}</th>
          <th scope="col">{t('households.proxy')}</th>
        </>
      }
      row={(h) => (
        <tr key={h.id}>
          <th scope="row">{h.label}</th>
          <td className="number">{formatAreaM2(h.areaCentiM2)}</td>
          <td>
            {h.developerHeld && <span className="tag">{t('households.developerHeld')}</span>}
            {h.owners.length === 0
              ? !h.developerHeld && dash
              : h.owners.map((o) => (
                  <span key={o.id} className="block">
                    {o.name}
                    {o.phone && <span className="muted"> {o.phone}</span>}
                  </span>
                ))}
          </td>
          <td>{h.voter?.displayName ?? dash}</td>
          <td>
            {h.proxy ? h.proxy.displayName : dash}
            {h.proxyNote && <span className="muted block">{h.proxyNote}</span>}
          </td>
        </tr>
      )}
    />
  );
}
