import { formatAreaM2, type MeetingRecord, RULES } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { catalogueLanguage } from '../../lib/i18n';
import { useRoundQuestion } from '../votes/round-question';

/** A list under its heading, or "none". */
function Part({ id, title, items }: { id: string; title: string; items: string[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`record-${id}`} data-testid={`record-${id}`}>
      <h3 id={`record-${id}`}>{title}</h3>
      {items.length ? (
        <ul>
          {items.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('common.none')}</p>
      )}
    </section>
  );
}

/** The automatic record of a meeting, as the server built it from what was stored: nothing here is typed. */
export function MeetingRecordView({ record }: { record: MeetingRecord }) {
  const { t } = useTranslation();
  const question = useRoundQuestion();
  const lang = catalogueLanguage();
  const a = record.attendance;
  const counts = (c: { households: number; areaCentiM2: number; heads: number }) =>
    t('minutes.counts', { households: c.households, area: formatAreaM2(c.areaCentiM2), heads: c.heads });
  const verdict = (passed: boolean | null) =>
    passed === null ? t('minutes.roundOpen') : passed ? t('minutes.passed') : t('minutes.failed');
  return (
    <div className="minutes-record" data-testid="meeting-record">
      <Part
        id="attendance"
        title={t('minutes.attendance')}
        items={[
          t('minutes.checkedIn', { n: a.people, online: a.online, onSite: a.onSite, registered: a.registered }),
          t('minutes.present', { counts: counts(a.present) }),
          t('minutes.eligible', { counts: counts(a.eligible) }),
          ...(a.names.length ? [a.names.join(t('minutes.nameSeparator'))] : []),
        ]}
      />
      <Part id="agenda" title={t('minutes.agenda')} items={record.agenda.map((x) => `${x.position}. ${x.title}`)} />
      <Part
        id="speakers"
        title={t('minutes.speakers')}
        items={record.speakers.map((s) =>
          t('minutes.speaker', { name: s.name, turns: s.turns, min: Math.floor(s.seconds / 60), s: s.seconds % 60 }),
        )}
      />
      <Part
        id="rounds"
        title={t('minutes.rounds')}
        items={record.rounds.map((r) =>
          t('minutes.round', {
            title: r.proposalTitle,
            n: r.number,
            question: question(r.question),
            rule: RULES[r.rule].name[lang],
            for: r.for,
            against: r.against,
            abstain: r.abstain,
            notVoted: r.notVoted,
            verdict: verdict(r.passed),
          }),
        )}
      />
      <Part
        id="decisions"
        title={t('minutes.decisions')}
        items={record.decisions.map((d) =>
          t('minutes.decision', { title: d.proposalTitle, n: d.roundNumber, rule: RULES[d.rule].name[lang] }),
        )}
      />
      <Part
        id="objections"
        title={t('minutes.objections')}
        items={record.objections.flatMap((o) => [
          t('minutes.objection', {
            author: o.author,
            stance: t(`minutes.stance.${o.stance}`),
            title: o.proposalTitle,
            n: o.roundNumber,
            body: o.body,
          }),
          ...o.answers.map((x) => t('minutes.answer', { author: x.author, body: x.body })),
        ])}
      />
      <Part
        id="whistles"
        title={t('minutes.whistles')}
        items={record.whistles.map((w) =>
          t('minutes.whistle', {
            at: formatDateTime(w.at),
            question: w.question,
            targets: w.targets.join(t('minutes.nameSeparator')),
            deadline: formatDateTime(w.deadline),
          }),
        )}
      />
    </div>
  );
}
