import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { metrics } from '../metrics.js';
import { sampleReport } from '../test-support/sample-report.js';
import { formatMs } from './format.js';
import { chooseScale, escapeXml, fitText, renderSvg } from './svg.js';

const report = sampleReport({ machine: { ...sampleReport().machine, cpuModel: 'Chip <"A" & \'B\'>' } });
const svg = renderSvg(report);

interface PlacedText {
  x: number;
  y: number;
  size: number;
  anchor: string;
  content: string;
}

/** Every <text> of the chart with where it is drawn. renderSvg writes attributes in a fixed form. */
function texts(source: string): PlacedText[] {
  return [...source.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, content]) => {
    const attribute = (name: string) => new RegExp(` ?${name}="([^"]*)"`).exec(` ${attributes}`)?.[1];
    return {
      x: Number(attribute('x')),
      y: Number(attribute('y')),
      size: Number(attribute('font-size')),
      anchor: attribute('text-anchor') ?? 'start',
      content: content!.replace(/&#\d+;/g, 'x'),
    };
  });
}

/** A generous box around a text: 0.62 em per character, ascent 0.8 em, descent 0.25 em. */
function box(text: PlacedText) {
  const width = text.content.length * text.size * 0.62;
  const left = text.anchor === 'middle' ? text.x - width / 2 : text.anchor === 'end' ? text.x - width : text.x;
  return { left, right: left + width, top: text.y - text.size * 0.8, bottom: text.y + text.size * 0.25 };
}

describe('renderSvg', () => {
  it('is well-formed XML with an svg root of a fixed size', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="980" height="\d+"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('escapes text from the machine', () => {
    expect(svg).toContain('Chip &#60;&#34;A&#34; &#38; &#39;B&#39;&#62;');
    expect(svg).not.toContain('Chip <');
  });

  it('draws a panel per metric, with each measured median printed and n/a where a kind has none', () => {
    for (const metric of metrics) {
      const panel = new RegExp(`<g data-metric="${metric.id}">(.*?)</g>`, 's').exec(svg)?.[1];
      expect(panel, metric.id).toBeDefined();
      const result = report.metrics.find((entry) => entry.id === metric.id)!;
      for (const subject of metric.measured) expect(panel).toContain(`>${escapeXml(formatMs(result.results[subject]!.median))}</text>`);
      expect(panel!.match(/>n\/a</g)?.length ?? 0).toBe(Object.keys(metric.notApplicable).length);
    }
  });

  it('keeps every text inside the picture and off every other text', () => {
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    const boxes = texts(svg).map((text) => ({ text, ...box(text) }));
    expect(boxes.length).toBeGreaterThan(100);
    for (const one of boxes) {
      expect(one.left, one.text.content).toBeGreaterThanOrEqual(0);
      expect(one.right, one.text.content).toBeLessThanOrEqual(width);
      expect(one.bottom, one.text.content).toBeLessThanOrEqual(height);
    }
    for (const [index, one] of boxes.entries()) {
      for (const other of boxes.slice(index + 1)) {
        const overlaps = one.left < other.right && other.left < one.right && one.top < other.bottom && other.top < one.bottom;
        expect(overlaps, `"${one.text.content}" and "${other.text.content}"`).toBe(false);
      }
    }
  });
});

describe('chooseScale', () => {
  it('goes logarithmic, by whole decades, when values span more than a factor of 20', () => {
    const scale = chooseScale([0.0004, 0.02, 3], 8);
    expect(scale.kind).toBe('log');
    expect([scale.min, scale.max]).toEqual([0.0001, 10]);
    expect(scale.ticks).toEqual([0.0001, 0.001, 0.01, 0.1, 1, 10]);
    expect(scale.position(0.001)).toBeCloseTo(0.2, 12);
  });

  it('labels every other decade when there is not room for all', () => {
    expect(chooseScale([0.000001, 10], 4).ticks).toEqual([0.000001, 0.001, 1, 1000]);
  });

  it('stays linear from 0 for close values or a zero, with round ticks', () => {
    const close = chooseScale([2, 3.3, 4.1], 5);
    expect(close).toMatchObject({ kind: 'linear', min: 0, max: 5, ticks: [0, 1, 2, 3, 4, 5] });
    expect(close.position(2.5)).toBe(0.5);
    expect(chooseScale([0, 0.5, 40], 4)).toMatchObject({ kind: 'linear', max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(chooseScale([0, 0], 4)).toMatchObject({ kind: 'linear', max: 1 });
  });
});

describe('fitText', () => {
  it('cuts to the width with an ellipsis, and leaves short text alone', () => {
    expect(fitText('short', 100)).toBe('short');
    expect(fitText('a'.repeat(40), 66)).toBe(`${'a'.repeat(9)}…`);
  });
});
