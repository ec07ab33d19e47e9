// Only the chart types and parts this screen draws, so the chunk stays small (docs/benchmarks.md).
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// No tooltip: every bar prints its value, which a finger on a phone can read without hovering.
echarts.use([BarChart, GridComponent, SVGRenderer]);

export { echarts };
export type { EChartsCoreOption } from 'echarts/core';
