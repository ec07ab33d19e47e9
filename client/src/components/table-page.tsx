import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Resource } from '../lib/use-resource';
import { ErrorAlert } from './alert';
import { PageHeading } from './page-heading';
import { TableScroll } from './table-scroll';

interface TablePageProps<T> {
  /** The screen's heading, also the name of the table's scroll region. */
  title: string;
  resource: Resource<T[]>;
  empty: string;
  count: (n: number) => string;
  testId: string;
  /** The header row's cells. */
  head: ReactNode;
  /** One `<tr>` per item, with its key. */
  row: (item: T) => ReactNode;
}

/**
 * A list screen: its heading, then the error with a retry, "loading", the empty line, or the count
 * and the table (scrolling sideways on a phone).
 */
export function TablePage<T>({ title, resource, empty, count, testId, head, row }: TablePageProps<T>) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      {resource.error ? (
        <ErrorAlert
          error={resource.error}
          action={
            <button type="button" onClick={resource.reload}>
              {t('common.retry')}
            </button>
          }
        />
      ) : !resource.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : resource.data.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <>
          <p>{count(resource.data.length)}</p>
          <TableScroll label={title}>
            <table className="wide" data-testid={testId}>
              <thead>
                <tr>{head}</tr>
              </thead>
              <tbody>{resource.data.map(row)}</tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
