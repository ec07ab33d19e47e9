import {
  allows,
  ART278_ITEMS,
  CHOICE_IDS,
  formatPermille,
  isFinalStatus,
  minimumSupportShare,
  newerTally,
  RULE_IDS,
  RULES,
  ruleForArt278Item,
  shareOfWhole,
  type Check,
  type Choice,
  type MyBallotView,
  type ProposalView,
  type Role,
  type RoundView,
  type RuleId,
  type TallyView,
} from '@yishi/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/link';
import { Alert } from '../../components/alert';
import { ReadAloud } from '../../components/read-aloud';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { catalogueLanguage } from '../../lib/i18n';
import { command, getSocket } from '../../lib/realtime';
import { PaperBallotForm } from './paper-ballot-form';

interface Followed {
  round: RoundView;
  tally: TallyView | null;
  mine: MyBallotView[];
}

/**
 * The rounds of a meeting's current proposal, kept live: `vote:rounds` when the room opens (and
 * after every reconnect), `vote:round` events as rounds open and close, and for the current
 * round `vote:follow` with its `vote:tally` events.
 */
function useRound(meetingId: string, proposalId: string): { followed: Followed | null; refresh: () => void } {
  const [followed, setFollowed] = useState<Followed | null>(null);
  const reload = useRef<() => void>(() => undefined);

  useEffect(() => {
    const socket = getSocket();
    let current = true;
    let followedId: string | null = null;

    const follow = async (round: RoundView) => {
      if (followedId !== round.id) {
        if (followedId) socket.emit('vote:unfollow', { roundId: followedId }, () => undefined);
        followedId = round.id;
      }
      try {
        const r = await command('vote:follow', { roundId: round.id });
        if (current) setFollowed((f) => ({ round: r.round, tally: newerTally(f?.round.id === r.round.id ? f.tally : null, r.tally), mine: r.mine }));
      } catch {
        if (current) setFollowed({ round, tally: null, mine: [] });
      }
    };
    const load = async () => {
      try {
        const { rounds } = await command('vote:rounds', { meetingId });
        const latest = rounds.find((r) => r.proposalId === proposalId);
        if (!current) return;
        if (latest) await follow(latest);
        else setFollowed(null);
      } catch {
        // Shown as "no vote" until the next reconnect or event.
      }
    };
    const onRound = (r: RoundView) => {
      if (r.proposalId !== proposalId) return;
      if (r.id === followedId) setFollowed((f) => (f && f.round.id === r.id ? { ...f, round: r } : f));
      else void follow(r);
    };
    const onTally = (t: TallyView) => setFollowed((f) => (f && f.round.id === t.roundId ? { ...f, tally: newerTally(f.tally, t) } : f));
    const onConnect = () => void load();
    // Asks again without leaving the round: an unfollow racing the next follow on the server
    // could leave this socket out of the round's room, and its tallies would stop.
    reload.current = () => void load();

    socket.on('vote:round', onRound);
    socket.on('vote:tally', onTally);
    socket.on('connect', onConnect);
    if (socket.connected) void load();
    return () => {
      current = false;
      socket.off('vote:round', onRound);
      socket.off('vote:tally', onTally);
      socket.off('connect', onConnect);
      if (followedId) socket.emit('vote:unfollow', { roundId: followedId }, () => undefined);
    };
  }, [meetingId, proposalId]);

  return { followed, refresh: () => reload.current() };
}

/** One household's ballot: tap a choice, tap to confirm. No timer, no dialog. */
function BallotBox({ compoundId, round, mine, onCast }: { compoundId: string; round: RoundView; mine: MyBallotView; onCast: () => void }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [choice, setChoice] = useState<Choice | null>(null);
  // One id per intended ballot: a resend after a dropped connection changes nothing.
  const [ballotId, setBallotId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [receiptCheck, setReceiptCheck] = useState<string | null>(null);
  const open = round.status === 'open';

  const cast = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await command('vote:cast', { roundId: round.id, ballotId, householdId: mine.householdId, revisionId: round.revisionId, choice });
      setChoice(null);
      setChanging(false);
      setBallotId(crypto.randomUUID());
      onCast();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const check = async (receipt: string) => {
    try {
      const r = await api.receipt(compoundId, round.id, receipt);
      setReceiptCheck(r.counted ? t('vote.receiptCounted') : t('vote.receiptReplaced'));
    } catch (e) {
      setReceiptCheck(message(e));
    }
  };

  const b = mine.ballot;
  const label = `${mine.label}${mine.as === 'proxy' ? t('vote.asProxy') : ''}`;
  const sameOwner = mine.sameOwnerUnits ?? [mine.label];
  return (
    <div className="ballot" data-testid="ballot" data-household={mine.label}>
      <h4>{t('vote.forHousehold', { label })}</h4>
      {sameOwner.length > 1 && (
        <p className="one-stance" data-testid="one-stance">
          {t('vote.oneStance', { n: sameOwner.length, labels: sameOwner.join(t('home.listSeparator')) })}
        </p>
      )}
      {b && (
        <>
          <p className="ballot-cast" data-testid="ballot-cast">
            {t('vote.cast', { choice: t(`vote.${b.choice}`) })}
          </p>
          <p className="hash" data-testid="receipt">
            {t('vote.receipt', { receipt: b.receipt })}
          </p>
          <div className="button-row">
            <button type="button" className="button-quiet" onClick={() => void check(b.receipt)} data-testid="check-receipt">
              {t('vote.checkReceipt')}
            </button>
            {open && !changing && (
              <button type="button" className="button-quiet" onClick={() => setChanging(true)} data-testid="ballot-change">
                {t('vote.change')}
              </button>
            )}
          </div>
          {receiptCheck && <p role="status">{receiptCheck}</p>}
        </>
      )}
      {open && (!b || changing) && (
        <>
          <div className="choices" role="group" aria-label={t('vote.forHousehold', { label })}>
            {CHOICE_IDS.map((c) => (
              <button key={c} type="button" className={`choice-button choice-${c}`} aria-pressed={choice === c} onClick={() => setChoice(c)} data-testid={`choose-${c}`}>
                {choice === c ? '● ' : '○ '}
                {t(`vote.${c}`)}
              </button>
            ))}
          </div>
          {choice && (
            <div className="button-row">
              <button type="button" className="button-primary confirm-button" disabled={busy} onClick={() => void cast()} data-testid="ballot-confirm">
                {t('vote.confirm', { choice: t(`vote.${choice}`) })}
              </button>
              <button type="button" className="button-quiet" onClick={() => setChoice(null)}>
                {t('vote.cancel')}
              </button>
            </div>
          )}
        </>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

interface Bar {
  check: Check;
  label: string;
  part: number;
  whole: number;
  num: number;
  den: number;
  inclusive: boolean;
}

/** The checks of the rule, each as a bar with its threshold drawn, from the live tally. */
function thresholdBars(rule: RuleId, tally: TallyView): Bar[] {
  const { tally: t, totals, decision } = tally;
  const decisive = t.for.households + t.against.households;
  const special = rule === 'art278_special';
  const agree = special ? { num: 3, den: 4, inclusive: true } : { num: 1, den: 2, inclusive: false };
  const bars: Bar[] = [];
  for (const check of decision.checks) {
    const of = (part: number, whole: number, share: { num: number; den: number; inclusive: boolean }) =>
      bars.push({ check, label: check.id, part, whole, ...share });
    switch (check.id) {
      case 'participation_area':
        of(t.participating.areaCentiM2, totals.areaCentiM2, { num: 2, den: 3, inclusive: true });
        break;
      case 'participation_heads':
        of(t.participating.heads, totals.heads, { num: 2, den: 3, inclusive: true });
        break;
      case 'area_for':
        of(t.for.areaCentiM2, t.participating.areaCentiM2, agree);
        break;
      case 'heads_for':
        of(t.for.heads, t.participating.heads, agree);
        break;
      case 'unanimous':
        of(t.for.households, totals.households, { num: 1, den: 1, inclusive: true });
        break;
      case 'majority':
        of(t.for.households, decisive, rule === 'two_thirds' ? { num: 2, den: 3, inclusive: true } : { num: 1, den: 2, inclusive: false });
        break;
      default:
        break;
    }
  }
  return bars;
}

function TallyPanel({ round, tally }: { round: RoundView; tally: TallyView }) {
  const { t } = useTranslation();
  const lang = catalogueLanguage();
  const { tally: c, totals, decision } = tally;
  const whole = totals.households || 1;
  const segments = [
    { key: 'for' as const, n: c.for.households },
    { key: 'against' as const, n: c.against.households },
    { key: 'abstain' as const, n: c.abstain.households },
    { key: 'notVoted' as const, n: c.notVoted.households },
  ];
  const pct = (part: number, of: number) => formatPermille(shareOfWhole(Math.min(part, of), of).permille);
  const min = minimumSupportShare(round.rule);
  return (
    <div className="tally" data-testid="tally">
      <h4>{round.status === 'open' ? t('vote.tally') : t('vote.finalTally')}</h4>
      <p data-testid="tally-counted">{t('vote.counted', { n: c.participating.households, total: totals.households })}</p>
      <div className="stack-bar" aria-hidden="true">
        {segments.map((s) =>
          s.n > 0 ? <span key={s.key} className={`seg seg-${s.key}`} style={{ width: `${(s.n * 100) / whole}%` }} /> : null,
        )}
      </div>
      <ul className="tally-legend">
        {segments.map((s) => (
          <li key={s.key} data-testid={`tally-${s.key}`}>
            <span className={`swatch seg-${s.key}`} aria-hidden="true" /> {t(`vote.${s.key}`)} {t('vote.households', { n: s.n })}
          </li>
        ))}
      </ul>
      {thresholdBars(round.rule, tally).map((b) => {
        const share = `${Math.round((b.num * 1000) / b.den) / 10}%`;
        return (
          <div key={b.label} className="threshold" data-testid={`check-${b.label}`}>
            <p>
              {t(`vote.checks.${b.check.id}`)}: <strong>{b.whole === 0 ? '—' : pct(b.part, b.whole)}</strong>{' '}
              <span className="muted">{t('vote.threshold', { op: b.inclusive ? t('vote.atLeast') : t('vote.moreThan'), share })}</span>{' '}
              <strong>{b.check.met ? t('vote.checkMet') : t('vote.checkNotMet')}</strong>
            </p>
            <div className="meter" aria-hidden="true">
              <span className="meter-fill" style={{ width: `${b.whole === 0 ? 0 : Math.min(100, (b.part * 100) / b.whole)}%` }} />
              <span className="meter-mark" style={{ left: `${(b.num * 100) / b.den}%` }} />
            </div>
          </div>
        );
      })}
      {round.status === 'open' && (
        <p data-testid="if-closed-now">{t('vote.ifClosedNow', { verdict: decision.passed ? t('vote.wouldPass') : t('vote.wouldFail') })}</p>
      )}
      <p className="muted">
        {t('vote.supportOfWhole', {
          h: formatPermille(tally.supportOfWhole.householdsPermille),
          a: formatPermille(tally.supportOfWhole.areaPermille),
          p: formatPermille(tally.supportOfWhole.headsPermille),
        })}
      </p>
      {min && min.num < min.den && <p className="muted">{t('vote.minimumSupport', { share: `${Math.floor((min.num * 1000) / min.den) / 10}%` })}</p>}
      {tally.assisted > 0 && <p className="muted">{t('vote.assisted', { n: tally.assisted })}</p>}
      <p className="muted">{RULES[round.rule].abstentions[lang]}</p>
    </div>
  );
}

export function ResultBanner({ round }: { round: RoundView }) {
  const { t } = useTranslation();
  if (!round.result) return null;
  const { decision } = round.result;
  return (
    <div className={`result-banner ${decision.passed ? 'result-passed' : 'result-failed'}`} role="status" data-testid="result-banner" data-passed={decision.passed}>
      <p className="result-verdict">{decision.passed ? t('vote.passed') : t('vote.failed')}</p>
      {!decision.passed && <p>{t('vote.why', { reasons: decision.failures.map((f) => t(`vote.failures.${f}`)).join(t('home.listSeparator')) })}</p>}
      <p>{t('vote.proposalNow', { status: t(`proposalStatus.${round.proposalStatus}`) })}</p>
    </div>
  );
}

function OpenRoundForm({ compoundId, meetingId, proposal, lastVoted, meetingRule, meetingItem, onOpened }: {
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
        {proposal.status === 'adopted' ? t('lifecycle.final') : proposal.status === 'passed' ? t('lifecycle.passedWaiting') : t('lifecycle.closedState')}
      </p>
    );
  }
  if (latest <= lastVoted) return <p className="muted" data-testid="freeze-first">{t('vote.freezeFirst')}</p>;
  const art278 = rule.startsWith('art278');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.openRound(compoundId, proposal.id, {
        revisionNumber: latest,
        question: question.trim() || t('vote.defaultQuestion', { title: proposal.title, n: latest }),
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
        <textarea id="round-question" value={question} placeholder={t('vote.defaultQuestion', { title: proposal.title, n: latest })} onChange={(e) => setQuestion(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="round-rule">{t('vote.openRule')}</label>
        <select id="round-rule" value={art278 ? 'art278' : rule} onChange={(e) => setRule(e.target.value === 'art278' ? ruleForArt278Item(item) : (e.target.value as RuleId))} disabled={fixed} data-testid="round-rule">
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
      {fixed && <p className="muted" data-testid="meeting-rule-fixed">{t('vote.meetingRuleFixed')}</p>}
      <p className="muted">{RULES[art278 ? ruleForArt278Item(item) : rule].description[lang]}</p>
      <button type="submit" className="button-primary" disabled={busy} data-testid="round-open">
        {t('vote.openSubmit')}
      </button>
      {error && <Alert>{error}</Alert>}
    </form>
  );
}

export interface VotePanelProps {
  compoundId: string;
  meetingId: string;
  proposal: ProposalView;
  roles: readonly Role[];
  gateIds: string[];
  meetingRule: RuleId | null;
  meetingItem: number | null;
  onChanged: () => void;
}

/** Cast a ballot in two taps, the live count with the rule's thresholds, the result, the receipt. */
export function VotePanel({ compoundId, meetingId, proposal, roles, meetingRule, meetingItem, onChanged }: VotePanelProps) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const { followed, refresh } = useRound(meetingId, proposal.id);
  const [error, setError] = useState<string | null>(null);
  const lang = catalogueLanguage();
  const canRun = allows(roles, 'vote.run');
  const round = followed?.round ?? null;
  const open = round?.status === 'open';

  const close = async () => {
    if (!round) return;
    setError(null);
    try {
      await api.closeRound(compoundId, round.id);
      onChanged();
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <section className="card vote-panel" aria-labelledby="vote-h" data-testid="vote-panel">
      <h2 id="vote-h">{t('vote.title')}</h2>
      {!round ? (
        <p>{t('vote.none')}</p>
      ) : (
        <>
          <p>
            <span className="status-tag" data-testid="round-status" data-status={round.status}>
              {open ? t('vote.open') : t('vote.closed')}
            </span>{' '}
            {t('vote.round', { n: round.number, rev: round.revisionNumber })}
          </p>
          <p className="muted">{t('vote.rule', { rule: RULES[round.rule].name[lang] })}</p>
          <p>
            <Link href="/rules" className="button-link" data-testid="rules-link">
              {t('vote.rulesLink')}
            </Link>
          </p>
          {RULES[round.rule].usesParticipationThreshold && <p className="muted" data-testid="head-key">{t('vote.headKey')}</p>}
          <p className="muted">{t('vote.oneStanceRule')}</p>
          <div className="question">
            <h3>{t('vote.question')}</h3>
            <p className="question-text" data-testid="round-question">
              {round.question}
            </p>
            <ReadAloud text={() => round.question} label={t('vote.readQuestion')} testId="read-question" />
          </div>
          <ResultBanner round={round} />
          {followed!.mine.length === 0
            ? allows(roles, 'vote.cast') && open && <p className="muted">{t('vote.notEligible')}</p>
            : // One box per owner: a ballot for one of an owner's units is recorded for all of them.
              followed!.mine
                .filter((m, i, all) => all.findIndex((x) => x.head === m.head) === i)
                .map((m) => <BallotBox key={m.householdId} compoundId={compoundId} round={round} mine={m} onCast={refresh} />)}
          {followed!.tally && <TallyPanel round={round} tally={followed!.tally} />}
          {canRun && open && (
            <button type="button" onClick={() => void close()} data-testid="round-close">
              {t('vote.close')}
            </button>
          )}
          {open && allows(roles, 'vote.record_assisted') && <PaperBallotForm compoundId={compoundId} round={round} />}
        </>
      )}
      {canRun && !open && <OpenRoundForm compoundId={compoundId} meetingId={meetingId} proposal={proposal} lastVoted={round?.revisionNumber ?? 0} meetingRule={meetingRule} meetingItem={meetingItem} onOpened={onChanged} />}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
