import { formatAreaM2 } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { PageHeading } from '../components/page-heading';
import { TableScroll } from '../components/table-scroll';
import { api } from '../lib/api';
import { useResource } from '../lib/use-resource';

export default function HouseholdsPage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const households = useResource(`households:${compoundId}`, () => api.households(compoundId));
  const dash = t('common.dash');

  return (
    <>
      <PageHeading title={t('households.title')}>{t('households.title')}</PageHeading>
      {households.error ? (
        <ErrorAlert error={households.error} action={<button type="button" onClick={households.reload}>{t('common.retry')}</button>} />
      ) : !households.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : households.data.length === 0 ? (
        <p>{t('households.empty')}</p>
      ) : (
        <>
          <p>{t('households.count', { n: households.data.length })}</p>
          <TableScroll label={t('households.title')}>
            <table className="wide" data-testid="households-table">
              <thead>
                <tr>
                  <th scope="col">{t('households.label')}</th>
                  <th scope="col" className="number">
                    {t('households.area')}
                  </th>
                  <th scope="col">{t('households.owners')}</th>
                  <th scope="col">{t('households.voter')}</th>
                  <th scope="col">{t('households.proxy')}</th>
                </tr>
              </thead>
              <tbody>
                {households.data.map((h) => (
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
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
