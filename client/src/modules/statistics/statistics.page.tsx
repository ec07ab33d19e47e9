import {
  allows,
  DEMAND_CHANNELS,
  DEMAND_STATUSES,
  MEETING_KINDS,
  meetingKindLabel,
  type Ratio,
  type Role,
  type StatisticsView,
} from '@yishi/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/alert';
import { DateTimeField } from '../../components/date-time-field';
import { Options, SelectField } from '../../components/fields';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { saveFile } from '../../lib/save-file';
import { useResource } from '../../lib/use-resource';
import { Chart, type ChartLook } from './chart';

const PRESETS = ['month', 'year', 'thisYear', 'lastYear', 'fiveYears'] as const;
type Preset = (typeof PRESETS)[number];

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The range of a preset, in days of the reader's calendar, both ends included. */
function presetRange(p: Preset, now = new Date()): { from: string; to: string } {
  const y = now.getFullYear();
  const back = (years: number, days = 0) => new Date(y - years, now.getMonth(), now.getDate() - days + (years ? 1 : 0));
  switch (p) {
    case 'month':
      return { from: day(back(0, 29)), to: day(now) };
    case 'year':
      return { from: day(back(1)), to: day(now) };
    case 'thisYear':
      return { from: `${y}-01-01`, to: day(now) };
    case 'lastYear':
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    case 'fiveYears':
      return { from: day(back(5)), to: day(now) };
  }
}

const percent = (r: Ratio) => (r.den === 0 ? '—' : `${Math.round((r.num * 1000) / r.den) / 10}%`);

/** A bar per key, its value printed on it, in the page's text size. */
function bars(labels: string[], values: number[]) {
  return ({ fontPx, fg, bar }: ChartLook) => {
    const text = { fontSize: fontPx, color: fg };
    return {
      grid: { left: 8, right: fontPx * 3, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: text },
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: text },
      series: [{ type: 'bar', data: values, label: { show: true, position: 'right', ...text }, itemStyle: { color: bar } }],
    };
  };
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat-figure">
      <span className="muted block">{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}

function Charts({ s }: { s: StatisticsView }) {
  const { t, i18n } = useTranslation();
  const options = useMemo(() => {
    const kinds = MEETING_KINDS.filter((k) => s.meetingsByKind[k] > 0);
    return {
      kinds: Math.max(1, kinds.length),
      meetings: bars(
        kinds.map((k) => meetingKindLabel(k, i18n.language)),
        kinds.map((k) => s.meetingsByKind[k]),
      ),
      // Bars, not a pie: a pie's labels are cut off on a 360 px phone.
      status: bars(
        DEMAND_STATUSES.map((k) => t(`demands.statuses.${k}`)),
        DEMAND_STATUSES.map((k) => s.demandsByStatus[k]),
      ),
      channel: bars(
        DEMAND_CHANNELS.map((k) => t(`demands.channels.${k}`)),
        DEMAND_CHANNELS.map((k) => s.demandsByChannel[k]),
      ),
    };
  }, [s, t, i18n.language]);
  return (
    <>
      <section className="card" aria-labelledby="stat-meetings">
        <h2 id="stat-meetings">{t('statistics.meetingsByKind')}</h2>
        <Chart option={options.meetings} rows={options.kinds} label={t('statistics.meetingsByKind')} testId="chart-meetings" />
      </section>
      <section className="card" aria-labelledby="stat-demands">
        <h2 id="stat-demands">{t('statistics.demands')}</h2>
        <Chart option={options.status} rows={DEMAND_STATUSES.length} label={t('statistics.demandsByStatus')} testId="chart-demand-status" />
        <Chart
          option={options.channel}
          rows={DEMAND_CHANNELS.length}
          label={t('statistics.demandsByChannel')}
          testId="chart-demand-channel"
        />
      </section>
    </>
  );
}

/** 统计: meetings by kind, attendance, rounds, demands, whistles and projects over a range, as charts and CSV. */
export default function StatisticsPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [params, setParams] = useSearchParams();
  const [csvError, setCsvError] = useState<string | null>(null);
  const preset = (PRESETS as readonly string[]).includes(params.get('range') ?? '') ? (params.get('range') as Preset) : 'year';
  const range = params.get('from') && params.get('to') ? { from: params.get('from')!, to: params.get('to')! } : presetRange(preset);
  const scope = params.get('scope') === 'community' && allows(roles, 'statistics.community') ? 'community' : 'compound';
  const q = { ...range, scope } as const;
  const figures = useResource(`statistics:${compoundId}:${q.from}:${q.to}:${scope}`, () => api.statistics(compoundId, q));
  const s = figures.data;

  const choose = (next: Record<string, string>) => setParams({ range: preset, scope, ...next }, { replace: true });
  const download = async () => {
    setCsvError(null);
    try {
      saveFile(await api.statisticsCsv(compoundId, q), `statistics-${q.from}-${q.to}.csv`);
    } catch (error) {
      setCsvError(message(error));
    }
  };

  return (
    <>
      <PageHeading title={t('statistics.title')}>{t('statistics.title')}</PageHeading>
      <div className="card">
        <SelectField
          label={t('statistics.range')}
          value={params.get('from') ? 'custom' : preset}
          onChange={(e) => (e.target.value === 'custom' ? choose(range) : choose({ range: e.target.value }))}
        >
          <Options values={PRESETS} label={(p) => t(`statistics.presets.${p}`)} />
          <option value="custom">{t('statistics.customRange')}</option>
        </SelectField>
        {params.get('from') && (
          <div className="stat-range-fields">
            <DateTimeField
              label={t('statistics.from')}
              value={`${range.from}T00:00`}
              onChange={(v) => choose({ from: v.slice(0, 10), to: v.slice(0, 10) > range.to ? v.slice(0, 10) : range.to })}
              dateOnly
              past
              testId="stat-from"
            />
            <DateTimeField
              label={t('statistics.to')}
              value={`${range.to}T00:00`}
              onChange={(v) => choose({ from: v.slice(0, 10) < range.from ? v.slice(0, 10) : range.from, to: v.slice(0, 10) })}
              dateOnly
              past
              testId="stat-to"
            />
          </div>
        )}
        {allows(roles, 'statistics.community') && (
          <SelectField
            label={t('statistics.scope')}
            value={scope}
            onChange={(e) => setParams({ ...Object.fromEntries(params), scope: e.target.value })}
          >
            <option value="compound">{t('statistics.scopes.compound')}</option>
            <option value="community">{t('statistics.scopes.community')}</option>
          </SelectField>
        )}
        <p className="muted" data-testid="stat-range">
          {t('statistics.rangeText', range)}
        </p>
        <button type="button" className="button-link" onClick={() => void download()} data-testid="stat-csv">
          {t('statistics.csv')}
        </button>
        {csvError && <p role="alert">{csvError}</p>}
      </div>
      {figures.error ? (
        <ErrorAlert error={figures.error} />
      ) : !s ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <section className="card stat-figures" aria-label={t('statistics.headline')}>
            <Figure
              label={t('statistics.meetings')}
              value={String(MEETING_KINDS.reduce((n, k) => n + s.meetingsByKind[k], 0))}
              testId="stat-meetings"
            />
            <Figure
              label={t('statistics.attendance', { n: s.attendance.meetings })}
              value={percent(s.attendance)}
              testId="stat-attendance"
            />
            <Figure
              label={t('statistics.rounds', { closed: s.rounds.closed, passed: s.rounds.passed })}
              value={percent({ num: s.rounds.passed, den: s.rounds.closed })}
              testId="stat-pass-rate"
            />
            <Figure
              label={t('statistics.whistles', { ...s.whistles })}
              value={percent({ num: s.whistles.inTime, den: s.whistles.total })}
              testId="stat-whistles"
            />
            <Figure label={t('statistics.projects', { ...s.projects })} value={String(s.projects.done)} testId="stat-projects" />
          </section>
          <Charts s={s} />
        </>
      )}
    </>
  );
}
