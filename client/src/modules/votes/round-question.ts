import type { RoundQuestion } from '@yishi/shared';
import { useTranslation } from 'react-i18next';

/** A round's question in the reader's language: the chair's own words as typed, the default one worded by the locale. */
export function useRoundQuestion(): (q: RoundQuestion) => string {
  const { t } = useTranslation();
  return (q) => ('text' in q ? q.text : t('vote.defaultQuestion', q.params));
}
