import type { StatisticsQuery, StatisticsView } from '@yishi/shared';
import { request, requestBlob } from './http';
import { compoundPath } from './paths';

const search = (q: StatisticsQuery) => new URLSearchParams({ from: q.from, to: q.to, scope: q.scope ?? 'compound' }).toString();

/** The record in figures, and the same as CSV. */
export const statisticsApi = {
  statistics: (compoundId: string, q: StatisticsQuery) => request<StatisticsView>(`${compoundPath(compoundId)}/statistics?${search(q)}`),

  statisticsCsv: (compoundId: string, q: StatisticsQuery) => requestBlob(`${compoundPath(compoundId)}/statistics.csv?${search(q)}`),
};
