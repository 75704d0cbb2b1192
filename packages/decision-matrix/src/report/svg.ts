/**
 * latest.svg: one small panel per metric, a horizontal bar per subject (its median) with a whisker for
 * the interquartile range. Each panel has its own axis — logarithmic when the values span more than a
 * factor of 20, so a 0.2 µs call and a 20 ms one can share a panel — and every value is printed in a
 * column of its own, so no label ever sits on a bar.
 */
import { blockingControl, type Subject } from '../metrics.js';
import { formatMs, formatRounds, formatTick } from './format.js';
import type { MetricResult, Report } from './schema.js';

/** Each kind a colour of its own, in the order of the report's kinds (the baseline grey); the blocking control red. */
const kindColors = ['#6b7280', '#d97706', '#2563eb', '#7c3aed', '#059669', '#db2777', '#0891b2', '#65a30d'];
const blockingColor = '#dc2626';

function colorOf(subject: Subject, subjects: readonly Subject[]): string {
  return subject === blockingControl ? blockingColor : kindColors[subjects.indexOf(subject) % kindColors.length]!;
}

const layout = {
  width: 980,
  margin: 16,
  columns: 2,
  gutter: 28,
  headerHeight: 78,
  panelTitleHeight: 22,
  rowHeight: 20,
  barHeight: 12,
  axisHeight: 30,
  panelGap: 14,
  labelWidth: 74,
  valueWidth: 78,
  footerHeight: 30,
  /** Average glyph width of the 12 px sans-serif text, for fitting lines (a slight overestimate). */
  charWidth: 6.6,
};

const font = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Attributes = Record<string, string | number>;

function element(name: string, attributes: Attributes, content?: string): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? String(Math.round(value * 100) / 100) : value)}"`)
    .join('');
  return content === undefined ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${content}</${name}>`;
}

function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return element('text', { x, y, ...attributes }, escapeXml(content));
}

/** Cuts `content` to what fits in `width` pixels at 12 px, ending in an ellipsis when cut. */
export function fitText(content: string, width: number, charWidth = layout.charWidth): string {
  const fits = Math.floor(width / charWidth);
  return content.length <= fits ? content : `${content.slice(0, Math.max(0, fits - 1))}…`;
}

export interface Scale {
  kind: 'log' | 'linear';
  min: number;
  max: number;
  ticks: number[];
  /** 0 at `min`, 1 at `max`. */
  position(value: number): number;
}

function niceStep(span: number, maxTicks: number): number {
  const raw = span / maxTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw) ?? 10 * power);
}

/** An axis for `values` (all ≥ 0) with at most `maxTicks` labelled ticks. */
export function chooseScale(values: readonly number[], maxTicks: number): Scale {
  const positive = values.filter((value) => value > 0);
  const low = Math.min(...positive);
  const high = Math.max(...values);
  if (positive.length === values.length && values.length > 0 && high / low > 20) {
    const minExponent = Math.floor(Math.log10(low));
    // Every `every` decades a tick, at most maxTicks of them, and the last one at the end of the axis.
    const every = Math.ceil((Math.ceil(Math.log10(high)) - minExponent) / Math.max(1, maxTicks - 1));
    const maxExponent = minExponent + every * Math.ceil((Math.ceil(Math.log10(high)) - minExponent) / every);
    // Parsed, not 10 ** n: that is off in the last digit for some negative n.
    const decade = (exponent: number) => Number(`1e${exponent}`);
    const ticks: number[] = [];
    for (let exponent = minExponent; exponent <= maxExponent; exponent += every) ticks.push(decade(exponent));
    return {
      kind: 'log',
      min: decade(minExponent),
      max: decade(maxExponent),
      ticks,
      position: (value) => (Math.log10(Math.max(value, decade(minExponent))) - minExponent) / (maxExponent - minExponent),
    };
  }
  const top = high > 0 ? high : 1;
  const step = niceStep(top, maxTicks);
  const max = Math.ceil(top / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, index) => index * step);
  return { kind: 'linear', min: 0, max, ticks, position: (value) => value / max };
}

/** The subjects a panel shows: those with a number, and those the metric says it does not apply to. */
function rowsOf(metric: MetricResult, subjects: readonly Subject[]): Subject[] {
  return subjects.filter((subject) => metric.results[subject] !== undefined || metric.notApplicable[subject] !== undefined);
}

function panelHeight(metric: MetricResult, subjects: readonly Subject[]): number {
  return layout.panelTitleHeight + rowsOf(metric, subjects).length * layout.rowHeight + layout.axisHeight;
}

function panel(metric: MetricResult, subjects: readonly Subject[], x: number, y: number, width: number): string {
  const rows = rowsOf(metric, subjects);
  const barLeft = x + layout.labelWidth;
  const barWidth = width - layout.labelWidth - layout.valueWidth;
  const values = rows.flatMap((subject) => {
    const found = metric.results[subject];
    return found === undefined ? [] : [found.median, found.q1, found.q3];
  });
  const scale = chooseScale(values, Math.max(2, Math.floor(barWidth / 56)));
  const toX = (value: number) => barLeft + scale.position(value) * barWidth;
  const parts: string[] = [
    text(x, y + 14, fitText(`${metric.group}: ${metric.label}`, width), { 'font-weight': 600, 'font-size': 12, fill: '#111827' }),
  ];
  const axisY = y + layout.panelTitleHeight + rows.length * layout.rowHeight;
  for (const tick of scale.ticks) {
    const tickX = toX(tick);
    parts.push(element('line', { x1: tickX, y1: y + layout.panelTitleHeight - 2, x2: tickX, y2: axisY, stroke: '#e5e7eb' }));
    parts.push(text(tickX, axisY + 13, formatTick(tick), { 'font-size': 10, 'text-anchor': 'middle', fill: '#4b5563' }));
  }
  parts.push(element('line', { x1: barLeft, y1: axisY, x2: barLeft + barWidth, y2: axisY, stroke: '#9ca3af' }));
  parts.push(
    text(barLeft + barWidth, axisY + 26, scale.kind === 'log' ? 'log scale' : 'linear scale', {
      'font-size': 9,
      'text-anchor': 'end',
      fill: '#6b7280',
    }),
  );
  rows.forEach((subject, index) => {
    const rowTop = y + layout.panelTitleHeight + index * layout.rowHeight;
    const middle = rowTop + layout.rowHeight / 2;
    const label = subject === blockingControl ? 'blocking' : subject;
    parts.push(text(x, middle + 4, label, { 'font-size': 11, fill: '#374151' }));
    const found = metric.results[subject];
    if (found === undefined) {
      parts.push(text(barLeft + 4, middle + 4, 'n/a', { 'font-size': 11, 'font-style': 'italic', fill: '#9ca3af' }));
      return;
    }
    const end = Math.max(barLeft + 1, toX(found.median));
    parts.push(element('rect', { x: barLeft, y: middle - layout.barHeight / 2, width: end - barLeft, height: layout.barHeight, fill: colorOf(subject, subjects), rx: 2 }));
    const [low, high] = [toX(found.q1), toX(found.q3)];
    parts.push(element('line', { x1: low, y1: middle, x2: high, y2: middle, stroke: '#111827', 'stroke-width': 1.5 }));
    for (const capX of [low, high]) parts.push(element('line', { x1: capX, y1: middle - 4, x2: capX, y2: middle + 4, stroke: '#111827', 'stroke-width': 1.5 }));
    parts.push(text(barLeft + barWidth + 8, middle + 4, formatMs(found.median), { 'font-size': 11, fill: '#111827' }));
  });
  return element('g', { 'data-metric': metric.id }, parts.join(''));
}

export function renderSvg(report: Report): string {
  const { width, margin, columns, gutter } = layout;
  const panelWidth = (width - 2 * margin - (columns - 1) * gutter) / columns;
  const panels: string[] = [];
  let y = margin + layout.headerHeight;
  for (let start = 0; start < report.metrics.length; start += columns) {
    const row = report.metrics.slice(start, start + columns);
    row.forEach((metric, column) => panels.push(panel(metric, report.subjects, margin + column * (panelWidth + gutter), y, panelWidth)));
    y += Math.max(...row.map((metric) => panelHeight(metric, report.subjects))) + layout.panelGap;
  }
  const height = y + layout.footerHeight;
  const { machine } = report;
  const title = `Decision matrix, measured: ${report.kinds.join(' · ')}`;
  const subtitle = `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ${machine.os} · Node ${machine.node} · ${report.date.slice(0, 10)} · ${report.mode} run, ${formatRounds(report.settings.rounds)}`;
  const legend = report.subjects
    .map((subject, index) => {
      const legendX = margin + index * 150;
      const name = subject === blockingControl ? 'blocking control' : subject;
      return (
        element('rect', { x: legendX, y: margin + 52, width: 12, height: 12, fill: colorOf(subject, report.subjects), rx: 2 }) +
        text(legendX + 18, margin + 62, name, { 'font-size': 12, fill: '#374151' })
      );
    })
    .join('');
  const footer = `Bars: median of ${formatRounds(report.settings.rounds)}; whiskers: interquartile range; shorter is better everywhere. Each panel has its own axis.`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.ceil(height)}" viewBox="0 0 ${width} ${Math.ceil(height)}" role="img" font-family="${escapeXml(font)}">`,
    element('title', {}, escapeXml(`${title} (${subtitle})`)),
    element('rect', { x: 0, y: 0, width, height: Math.ceil(height), fill: '#ffffff' }),
    text(margin, margin + 16, fitText(title, width - 2 * margin, 9), { 'font-size': 18, 'font-weight': 700, fill: '#111827' }),
    text(margin, margin + 38, fitText(subtitle, width - 2 * margin), { 'font-size': 12, fill: '#4b5563' }),
    legend,
    ...panels,
    text(margin, height - 12, fitText(footer, width - 2 * margin), { 'font-size': 11, fill: '#6b7280' }),
    '</svg>',
    '',
  ].join('\n');
}
