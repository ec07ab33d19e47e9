import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from './echarts-setup';

/**
 * One ECharts chart, drawn as SVG (sharp on any screen, its figures are text a screen reader and
 * a test can read). ECharts itself is fetched on first use, after the figures are on screen.
 */
export function Chart({ option, label, testId }: { option: EChartsCoreOption; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { resize(): void; dispose(): void; setOption(o: EChartsCoreOption): void } | undefined;
    let gone = false;
    void import('./echarts-setup').then(({ echarts }) => {
      if (gone || !ref.current) return;
      chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
      chart.setOption(option);
    });
    const resize = () => chart?.resize();
    window.addEventListener('resize', resize);
    return () => {
      gone = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} className="stat-chart" role="img" aria-label={label} data-testid={testId} />;
}
