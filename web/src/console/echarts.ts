import ReactEChartsCoreModule from 'echarts-for-react/lib/core.js';

// echarts-for-react ships CommonJS: TypeScript sees the module, the bundler the default export.
type EChartsComponent = typeof import('echarts-for-react/lib/core.js').default;
/** echarts-for-react's core component (the page registers the charts it draws with `echarts.use`). */
export const ReactEChartsCore = ((ReactEChartsCoreModule as unknown as { default?: EChartsComponent })
  .default ?? ReactEChartsCoreModule) as EChartsComponent;
