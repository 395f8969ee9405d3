// Apache ECharts, SVG renderer, aria on, only the chart types the dashboard uses. Loaded lazily (dynamic
// import) by the pages that draw charts, so the home page ships no chart library.
import * as echarts from 'echarts/core';
import { LineChart, BarChart, SankeyChart, MapChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { fmt } from './format';

echarts.use([LineChart, BarChart, SankeyChart, MapChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent,
  VisualMapComponent, AriaComponent, SVGRenderer]);

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
export const palette = () => [css('--das-chart-1', '#00607a'), css('--das-chart-2', '#b34700'), css('--das-chart-3', '#5b3c88'),
  css('--das-chart-4', '#2e7d32'), css('--das-chart-5', '#8c2d4f')];
const text = () => css('--das-color-text', '#1a1a1a');

const live = new Set<echarts.ECharts>();
window.addEventListener('resize', () => live.forEach((c) => c.resize()));

function init(el: HTMLElement, summary: string, option: Record<string, unknown>): echarts.ECharts {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption({
    aria: { enabled: true, label: { description: summary } },
    animation: false,
    color: palette(),
    textStyle: { color: text(), fontFamily: 'inherit', fontSize: 13 },
    ...option,
  });
  live.add(chart);
  new MutationObserver((_, obs) => { if (!el.isConnected) { chart.dispose(); live.delete(chart); obs.disconnect(); } })
    .observe(document.body, { childList: true, subtree: true });
  return chart;
}

export interface Series { name: string; values: (number | null)[] }

export function line(el: HTMLElement, summary: string, labels: string[], series: Series[], decimals: number): void {
  init(el, summary, {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => fmt(v, decimals) },
    legend: series.length > 1 ? { top: 0 } : undefined,
    xAxis: { type: 'category', data: labels, axisLabel: { color: text() } },
    yAxis: { type: 'value', axisLabel: { color: text(), formatter: (v: number) => fmt(v, 0) } },
    series: series.map((s, i) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbol: ['circle', 'rect', 'triangle', 'diamond'][i % 4], symbolSize: 8 })),
  });
}

export function bar(el: HTMLElement, summary: string, categories: string[], series: Series[], decimals: number,
  opts: { horizontal?: boolean; markers?: Series; highlight?: number } = {}): void {
  const labelWidth = Math.round(Math.max(80, Math.min(220, el.clientWidth * 0.35)));
  const cat = { type: 'category', data: categories, axisLabel: { color: text(), width: labelWidth, overflow: 'break' } };
  const val = { type: 'value', axisLabel: { color: text(), formatter: (v: number) => fmt(v, 0) } };
  const h = opts.horizontal;
  const decals = [undefined, { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: 0.8 }, { symbol: 'circle', symbolSize: 0.6 }];
  init(el, summary, {
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | null) => fmt(v, decimals) },
    legend: series.length > 1 || opts.markers ? { top: 0 } : undefined,
    xAxis: h ? val : { ...cat, axisLabel: { ...cat.axisLabel, rotate: categories.length > 6 ? 30 : 0 } },
    yAxis: h ? { ...cat, inverse: true } : val,
    series: series.map((s, i) => ({
      type: 'bar', name: s.name,
      data: s.values.map((v, k) => ({ value: v, itemStyle: opts.highlight === k ? { borderColor: text(), borderWidth: 2 } : undefined })),
      itemStyle: { decal: decals[i % decals.length] },
    })).concat(opts.markers ? [{ type: 'scatter', name: opts.markers.name, data: opts.markers.values.map((v) => ({ value: v })),
      symbol: 'diamond', symbolSize: 14, itemStyle: { color: text() } } as never] : []),
  });
}

export interface SankeyNode { name: string; label: string }
export interface SankeyLink { source: string; target: string; value: number }
export function sankey(el: HTMLElement, summary: string, nodes: SankeyNode[], links: SankeyLink[]): void {
  const labelOf = new Map(nodes.map((n) => [n.name, n.label]));
  init(el, summary, {
    tooltip: { trigger: 'item', formatter: (p: { dataType: string; data: SankeyLink & { name?: string }; value: number; name: string }) =>
      p.dataType === 'edge' ? `${labelOf.get(p.data.source)} → ${labelOf.get(p.data.target)}: ${fmt(p.value, 0)}` : `${labelOf.get(p.name)}: ${fmt(p.value, 0)}` },
    series: [{
      type: 'sankey', left: 8, right: 160, top: 8, bottom: 8, nodeGap: 10, draggable: false,
      emphasis: { focus: 'adjacency' },
      data: nodes.map((n) => ({ name: n.name })),
      links,
      label: { color: text(), formatter: (p: { name: string }) => labelOf.get(p.name) ?? p.name },
      lineStyle: { color: 'gradient', opacity: 0.35 },
    }],
  });
}

export function choropleth(el: HTMLElement, summary: string, mapName: string, geojson: object, data: { name: string; value: number | null }[],
  names: Map<string, string>, decimals: number, seriesName: string): void {
  if (!echarts.getMap(mapName)) echarts.registerMap(mapName, geojson as never);
  const vals = data.map((d) => d.value).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const q = (p: number) => vals.length ? vals[Math.min(vals.length - 1, Math.floor(p * vals.length))] : 0;
  const cuts = [q(0.2), q(0.4), q(0.6), q(0.8)];
  const colors = ['#e6f2f1', '#a9d5d0', '#5fa8a0', '#1f7a72', '#064b45'];
  const pieces = [
    { lt: cuts[0], label: `< ${fmt(cuts[0], decimals)}`, color: colors[0] },
    { gte: cuts[0], lt: cuts[1], label: `${fmt(cuts[0], decimals)} – ${fmt(cuts[1], decimals)}`, color: colors[1] },
    { gte: cuts[1], lt: cuts[2], label: `${fmt(cuts[1], decimals)} – ${fmt(cuts[2], decimals)}`, color: colors[2] },
    { gte: cuts[2], lt: cuts[3], label: `${fmt(cuts[2], decimals)} – ${fmt(cuts[3], decimals)}`, color: colors[3] },
    { gte: cuts[3], label: `≥ ${fmt(cuts[3], decimals)}`, color: colors[4] },
  ];
  init(el, summary, {
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${names.get(p.name) ?? p.name}: ${Number.isFinite(p.value) ? fmt(p.value, decimals) : 'x'}` },
    visualMap: { type: 'piecewise', pieces, left: 8, bottom: 8, textStyle: { color: text() }, outOfRange: { color: '#d9d9d9' } },
    series: [{
      type: 'map', map: mapName, name: seriesName, nameProperty: 'statcode', roam: false, aspectScale: 0.62,
      itemStyle: { borderColor: '#ffffff', borderWidth: 0.4, areaColor: '#d9d9d9' },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#f4b400' } },
      select: { disabled: true },
      data: data.map((d) => ({ name: d.name, value: d.value ?? NaN })),
    }],
  });
}
