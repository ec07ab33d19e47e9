import {
  addFundingLine,
  balanceIssues,
  FUNDING_SOURCES,
  FundingInputError,
  fundingTotals,
  observeFunding,
  readFundingLines,
  removeFundingLine,
  setFundingSplit,
  formatFen,
  formatPermille,
  type FundingLine,
  type FundingSource,
  HOUSEHOLD_SHARE_RULE,
  type HouseholdAreaView,
  householdShares,
  shareOfWhole,
} from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { catalogueLanguage } from '../../lib/i18n';

/** "1,234.5" or "1234.50" yuan → fen, with string arithmetic only (no floating point). */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/[,，]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 67000 hundredths → "670", 12345 → "123.45". */
function formatCenti(centi: number): string {
  const rest = centi % 100;
  return rest === 0 ? String((centi - rest) / 100) : `${(centi - rest) / 100}.${String(rest).padStart(2, '0')}`;
}

function useFundingLines(doc: Y.Doc): FundingLine[] {
  const [lines, setLines] = useState<FundingLine[]>(() => readFundingLines(doc));
  useEffect(() => {
    setLines(readFundingLines(doc));
    return observeFunding(doc, setLines);
  }, [doc]);
  return lines;
}

function SplitEditor({ doc, line, onError }: { doc: Y.Doc; line: FundingLine; onError: (m: string | null) => void }) {
  const { t } = useTranslation();
  const lang = catalogueLanguage();
  const [source, setSource] = useState<FundingSource>('property_rights_unit');
  const [amount, setAmount] = useState('');
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuan(amount);
    if (fen === null) return onError(t('funding.badAmount'));
    try {
      setFundingSplit(doc, line.id, source, fen);
      setAmount('');
      onError(null);
    } catch (err) {
      onError(err instanceof FundingInputError ? err.message : t('errors.unexpected'));
    }
  };
  const id = `split-${line.id}`;
  return (
    <form className="split-form" onSubmit={apply}>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t('funding.source')}</label>
        <select id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value as FundingSource)} data-testid="split-source">
          {FUNDING_SOURCES.map((s) => (
            <option key={s.id} value={s.id}>
              {s[lang === 'zh' ? 'zh' : 'en']}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-amount`}>{t('funding.shareYuan')}</label>
        <input
          id={`${id}-amount`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          data-testid="split-amount"
        />
      </div>
      <button type="submit" data-testid="split-apply">
        {t('funding.setShare')}
      </button>
    </form>
  );
}

/**
 * The proposal's funding plan, live from the `funding` map of its Y.Doc (co-edited like the
 * text, kept offline like the text), with totals per source and what is not covered yet.
 */
/** Each source's part of the total as a bar; the figures are written out, so the bars only repeat them. */
function PayChart({
  bySource,
  totalFen,
  name,
  yuan,
}: {
  bySource: Record<FundingSource, number>;
  totalFen: number;
  name: (s: string) => string;
  yuan: (fen: number) => string;
}) {
  const { t } = useTranslation();
  const shown = FUNDING_SOURCES.filter((s) => bySource[s.id] > 0);
  if (totalFen === 0 || shown.length === 0) return null;
  return (
    <figure className="pay-chart" data-testid="funding-chart">
      <figcaption>
        <strong>{t('funding.chart')}</strong>
      </figcaption>
      <ul className="plain-list">
        {shown.map((s) => {
          const permille = shareOfWhole(bySource[s.id], totalFen).permille;
          return (
            <li key={s.id}>
              <span>{t('funding.chartRow', { source: name(s.id), amount: yuan(bySource[s.id]), share: formatPermille(permille) })}</span>
              <span className="pay-bar" aria-hidden="true">
                <span className={`pay-bar-fill pay-${s.id}`} style={{ width: `${permille / 10}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

/** What each household pays of the residents' part, split by floor area to the fen (the rule is shown). */
function HouseholdShares({ compoundId, residentsFen, yuan }: { compoundId: string; residentsFen: number; yuan: (fen: number) => string }) {
  const { t } = useTranslation();
  const lang = catalogueLanguage();
  const [areas, setAreas] = useState<HouseholdAreaView[] | null>(null);
  useEffect(() => {
    let live = true;
    api.householdAreas(compoundId).then(
      (a) => live && setAreas(a),
      () => live && setAreas([]),
    );
    return () => {
      live = false;
    };
  }, [compoundId]);
  if (!areas || areas.length === 0) return null;
  const shares = new Map(householdShares(residentsFen, areas).map((s) => [s.id, s.shareFen]));
  return (
    <details className="card" data-testid="household-shares">
      <summary className="button-link">{t('funding.perHousehold', { n: areas.length })}</summary>
      <p className="muted">{HOUSEHOLD_SHARE_RULE[lang === 'zh' ? 'zh' : 'en']}</p>
      <ul className="plain-list">
        {areas.map((a) => (
          <li key={a.id}>{t('funding.perHouseholdRow', { label: a.label, amount: yuan(shares.get(a.id) ?? 0) })}</li>
        ))}
      </ul>
    </details>
  );
}

export function FundingTable({
  doc,
  compoundId,
  canEdit,
  onComment,
  commentCounts = {},
}: {
  doc: Y.Doc;
  compoundId: string;
  canEdit: boolean;
  /** Starts a comment thread about a line (absent: the user may not comment). */
  onComment?: (line: FundingLine) => void;
  /** Open threads per line id. */
  commentCounts?: Record<string, number>;
}) {
  const { t } = useTranslation();
  const lang = catalogueLanguage();
  const lines = useFundingLines(doc);
  const [error, setError] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [amount, setAmount] = useState('');
  const totals = fundingTotals(lines);
  const issues = balanceIssues(lines);
  const sourceName = (s: string) => FUNDING_SOURCES.find((x) => x.id === s)?.[lang === 'zh' ? 'zh' : 'en'] ?? s;
  const yuan = (fen: number) => t('funding.yuan', { amount: formatFen(fen) });

  const add = (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuan(amount);
    if (!description.trim() || fen === null) return setError(t('funding.badAmount'));
    try {
      addFundingLine(doc, { description: description.trim(), category: category.trim(), amountFen: fen, sort: lines.length });
      setDescription('');
      setAmount('');
      setError(null);
    } catch (err) {
      setError(err instanceof FundingInputError ? err.message : t('errors.unexpected'));
    }
  };

  return (
    <section aria-labelledby="funding-h" data-testid="funding">
      <h3 id="funding-h">{t('funding.title')}</h3>
      {lines.length === 0 ? (
        <p>{t('funding.empty')}</p>
      ) : (
        <ol className="plain-list funding-lines">
          {lines.map((l, i) => {
            const line = totals.lines[i];
            return (
              <li key={l.id} data-testid="funding-line" data-line-id={l.id}>
                <p>
                  <strong>{l.description || t('common.dash')}</strong> {l.category && <span className="muted">{l.category}</span>}
                </p>
                <p>
                  {t('funding.amount')}: <strong className="number">{yuan(l.amountFen)}</strong>
                  {l.quantityCenti !== null && l.unitPriceFen !== null && (
                    <span className="muted">
                      {' '}
                      {t('funding.quantityTimesPrice', {
                        quantity: formatCenti(l.quantityCenti),
                        unit: l.unit,
                        price: yuan(l.unitPriceFen),
                      })}
                    </span>
                  )}
                </p>
                <ul className="split-list">
                  {Object.entries(l.splits)
                    .filter(([, fen]) => (fen ?? 0) > 0)
                    .map(([s, fen]) => (
                      <li key={s}>
                        {sourceName(s)}: <span className="number">{yuan(fen ?? 0)}</span>
                      </li>
                    ))}
                </ul>
                {line && line.unassignedFen !== 0 && (
                  <p className="field-error" data-testid="funding-unbalanced">
                    ✗{' '}
                    {line.unassignedFen > 0
                      ? t('funding.short', { amount: yuan(line.unassignedFen) })
                      : t('funding.over', { amount: yuan(-line.unassignedFen) })}
                  </p>
                )}
                {onComment && (
                  <button type="button" className="button-quiet" onClick={() => onComment(l)} data-testid="funding-comment">
                    {t('funding.comment')}
                    {commentCounts[l.id] ? ` (${commentCounts[l.id]})` : ''}
                  </button>
                )}
                {canEdit && (
                  <details>
                    <summary className="button-link">{t('funding.edit')}</summary>
                    <SplitEditor doc={doc} line={l} onError={setError} />
                    <button type="button" className="button-quiet" onClick={() => removeFundingLine(doc, l.id)}>
                      {t('funding.remove')}
                    </button>
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div className="table-scroll">
        <table data-testid="funding-totals">
          <caption className="visually-hidden">{t('funding.bySource')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('funding.source')}</th>
              <th scope="col" className="number">
                {t('funding.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {FUNDING_SOURCES.filter((s) => totals.bySource[s.id] > 0).map((s) => (
              <tr key={s.id}>
                <th scope="row">{sourceName(s.id)}</th>
                <td className="number">{yuan(totals.bySource[s.id])}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('funding.total')}</th>
              <td className="number" data-testid="funding-total">
                <strong>{yuan(totals.totalFen)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <PayChart bySource={totals.bySource} totalFen={totals.totalFen} name={sourceName} yuan={yuan} />
      {totals.bySource.residents > 0 && <HouseholdShares compoundId={compoundId} residentsFen={totals.bySource.residents} yuan={yuan} />}
      <p className={issues.length ? 'quorum-not-met' : 'quorum-met'} data-testid="funding-balance">
        {issues.length ? `✗ ${t('funding.notBalanced', { amount: yuan(totals.unassignedFen) })}` : `✓ ${t('funding.balanced')}`}
      </p>
      {canEdit && (
        <details className="card">
          <summary className="button-link">{t('funding.add')}</summary>
          <form onSubmit={add}>
            <div className="field">
              <label htmlFor="funding-description">{t('funding.description')}</label>
              <input
                id="funding-description"
                value={description}
                maxLength={500}
                onChange={(e) => setDescription(e.target.value)}
                data-testid="funding-description"
              />
            </div>
            <div className="field">
              <label htmlFor="funding-category">{t('funding.category')}</label>
              <input id="funding-category" value={category} maxLength={100} onChange={(e) => setCategory(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="funding-amount">{t('funding.amountYuan')}</label>
              <input
                id="funding-amount"
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                data-testid="funding-amount"
              />
            </div>
            <button type="submit" data-testid="funding-add">
              {t('funding.addSubmit')}
            </button>
          </form>
        </details>
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
