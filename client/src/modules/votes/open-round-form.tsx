import { ART278_ITEMS, isFinalStatus, RULE_IDS, RULES, ruleForArt278Item, type ProposalView, type RuleId } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { catalogueLanguage } from '../../lib/i18n';

/** The chair opens the next round on the latest frozen revision, under the meeting's rule or one chosen here. */
export function OpenRoundForm({
  compoundId,
  meetingId,
  proposal,
  lastVoted,
  meetingRule,
  meetingItem,
  onOpened,
}: {
  compoundId: string;
  /** The revision of the latest round: each round needs a newer one. */
  lastVoted: number;
  meetingId: string;
  proposal: ProposalView;
  /** The meeting's rule and item, when it fixed one: every round in it uses them. */
  meetingRule: RuleId | null;
  meetingItem: number | null;
  onOpened: () => void;
}) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const lang = catalogueLanguage();
  const latest = proposal.revisions.reduce((n, r) => Math.max(n, r.number), 0);
  const [question, setQuestion] = useState('');
  const fixed = meetingRule !== null;
  const [rule, setRule] = useState<RuleId>(meetingRule ?? 'art278_ordinary');
  const [item, setItem] = useState<number>(meetingItem ?? 7);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Passed (awaiting sign-offs), adopted, withdrawn: no further round; adopted changes only by an amendment.
  if (proposal.status === 'passed' || isFinalStatus(proposal.status)) {
    return (
      <p className="muted" data-testid="round-final">
        {proposal.status === 'adopted'
          ? t('lifecycle.final')
          : proposal.status === 'passed'
            ? t('lifecycle.passedWaiting')
            : t('lifecycle.closedState')}
      </p>
    );
  }
  if (latest <= lastVoted)
    return (
      <p className="muted" data-testid="freeze-first">
        {t('vote.freezeFirst')}
      </p>
    );
  const art278 = rule.startsWith('art278');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.openRound(compoundId, proposal.id, {
        revisionNumber: latest,
        // Left empty: the default question, stored as such so that each reader sees it in their own language.
        question: question.trim() || null,
        rule: art278 ? ruleForArt278Item(item) : rule,
        art278Item: art278 ? item : null,
        meetingId,
      });
      onOpened();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} data-testid="open-round-form">
      <h4>{t('vote.openTitle')}</h4>
      <p>{t('vote.openRevision', { n: latest })}</p>
      <div className="field">
        <label htmlFor="round-question">{t('vote.openQuestion')}</label>
        <textarea
          id="round-question"
          value={question}
          placeholder={t('vote.defaultQuestion', { title: proposal.title, n: latest })}
          onChange={(e) => setQuestion(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="round-rule">{t('vote.openRule')}</label>
        <select
          id="round-rule"
          value={art278 ? 'art278' : rule}
          onChange={(e) => setRule(e.target.value === 'art278' ? ruleForArt278Item(item) : (e.target.value as RuleId))}
          disabled={fixed}
          data-testid="round-rule"
        >
          {RULE_IDS.filter((r) => r !== 'art278_special').map((r) =>
            r === 'art278_ordinary' ? (
              <option key="art278" value="art278">
                {t('vote.art278')}
              </option>
            ) : (
              <option key={r} value={r}>
                {RULES[r].name[lang]}
              </option>
            ),
          )}
        </select>
      </div>
      {art278 && (
        <div className="field">
          <label htmlFor="round-item">{t('vote.openItem')}</label>
          <select id="round-item" value={item} onChange={(e) => setItem(Number(e.target.value))} disabled={fixed}>
            {ART278_ITEMS.map((i) => (
              <option key={i.item} value={i.item}>
                {i.item}. {i.text[lang]}
              </option>
            ))}
          </select>
        </div>
      )}
      {fixed && (
        <p className="muted" data-testid="meeting-rule-fixed">
          {t('vote.meetingRuleFixed')}
        </p>
      )}
      <p className="muted">{RULES[art278 ? ruleForArt278Item(item) : rule].description[lang]}</p>
      <button type="submit" className="button-primary" disabled={busy} data-testid="round-open">
        {t('vote.openSubmit')}
      </button>
      {error && <Alert>{error}</Alert>}
    </form>
  );
}
