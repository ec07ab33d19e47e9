import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from './echarts-setup';

export interface ChartLook {
  fontPx: number;
  fg: string;
  bar: string;
}

/**
 * One ECharts chart, drawn as SVG (sharp on any screen, its figures are text a screen reader and
 * a test can read). ECharts itself is fetched on first use, after the figures are on screen.
 */
export function Chart({
  option,
  rows,
  label,
  testId,
}: {
  /** The chart in the page's text size (px, larger in 长辈版) and colours. */
  option: (look: ChartLook) => EChartsCoreOption;
  /** Bars drawn, to give each a line of the page's text. */
  rows: number;
  label: string;
  testId: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { resize(): void; dispose(): void; setOption(o: EChartsCoreOption): void } | undefined;
    let gone = false;
    void import('./echarts-setup').then(({ echarts }) => {
      if (gone || !ref.current) return;
      chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
      const style = getComputedStyle(ref.current);
      chart.setOption(
        option({
          fontPx: parseFloat(style.fontSize),
          fg: style.getPropertyValue('--fg').trim(),
          bar: style.getPropertyValue('--primary').trim(),
        }),
      );
    });
    const resize = () => chart?.resize();
    window.addEventListener('resize', resize);
    return () => {
      gone = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [option]);
  return (
    <div ref={ref} className="stat-chart" style={{ height: `${rows * 2.5 + 3}em` }} role="img" aria-label={label} data-testid={testId} />
  );
}
