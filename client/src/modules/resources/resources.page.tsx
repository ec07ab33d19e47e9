import type { Role } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/page-heading';
import { ResourceList } from './resource-list';
import { ZoneList } from './zone-list';

/** 资源清单 with 责任田. */
export default function ResourcesPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('resourceList.title')}>{t('resourceList.title')}</PageHeading>
      <ResourceList compoundId={compoundId} roles={roles} />
      <section aria-labelledby="zones-title">
        <h2 id="zones-title">{t('resourceList.zones')}</h2>
        <ZoneList compoundId={compoundId} roles={roles} />
      </section>
    </>
  );
}
