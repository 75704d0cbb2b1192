// Draws bench ratios as an SVG bar chart: one group per operation, a bar per implementation, speed
// relative to node:crypto on a log scale (so 0.1× and 10× sit equally far from parity), and the target.

const width = 760;
const labelWidth = 230;
const plotWidth = width - labelWidth - 30;
const barHeight = 12;
const groupGap = 14;
const top = 44;
/** Log-scale bounds of the axis, in ratios to node:crypto. */
const minRatio = 0.01;
const maxRatio = 10;
const colors = { ours: '#2b6cb0', noble: '#b7791f' };

const x = (ratio) => {
  const clamped = Math.min(Math.max(ratio, minRatio), maxRatio);
  return labelWidth + (plotWidth * Math.log10(clamped / minRatio)) / Math.log10(maxRatio / minRatio);
};
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (ratio) => (ratio >= 0.1 ? ratio.toFixed(2) : ratio.toFixed(3));

/**
 * rows: [{ name, ours, noble?, target? }] where ours/noble are speeds relative to node:crypto (1 = parity)
 * and target is the lowest acceptable `ours`. Returns the SVG document as a string.
 */
export function ratioChart(rows, { title, subtitle }) {
  const groupHeight = (row) => barHeight * (row.noble === undefined ? 1 : 2) + groupGap;
  const height = top + rows.reduce((sum, row) => sum + groupHeight(row), 0) + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="34" fill="#555555">${escape(subtitle)}</text>`,
  ];
  let y = top;
  for (const row of rows) {
    parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight - 2}" text-anchor="end">${escape(row.name)}</text>`);
    const bars = [['ours', row.ours], ...(row.noble === undefined ? [] : [['noble', row.noble]])];
    bars.forEach(([who, ratio], index) => {
      const barY = y + index * barHeight;
      parts.push(
        `<rect x="${labelWidth}" y="${barY}" width="${(x(ratio) - labelWidth).toFixed(1)}" height="${barHeight - 2}" fill="${colors[who]}"/>`,
        `<text x="${(x(ratio) + 4).toFixed(1)}" y="${barY + barHeight - 3}" font-size="10">${format(ratio)}×</text>`,
      );
    });
    if (row.target !== undefined) {
      const targetX = x(row.target).toFixed(1);
      parts.push(
        `<line x1="${targetX}" x2="${targetX}" y1="${y - 2}" y2="${y + barHeight}" stroke="#c53030" stroke-width="2"/>`,
      );
    }
    y += groupHeight(row);
  }
  for (const tick of [0.01, 0.1, 1, 10]) {
    const tickX = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tickX}" x2="${tickX}" y1="${top - 6}" y2="${y}" stroke="${tick === 1 ? '#333333' : '#dddddd'}" stroke-dasharray="${tick === 1 ? '' : '3,3'}"/>`,
      `<text x="${tickX}" y="${y + 14}" text-anchor="middle" fill="#555555">${tick}×</text>`,
    );
  }
  const legendY = y + 30;
  parts.push(
    `<rect x="${labelWidth}" y="${legendY - 9}" width="10" height="10" fill="${colors.ours}"/>`,
    `<text x="${labelWidth + 14}" y="${legendY}">this package (napi)</text>`,
    `<rect x="${labelWidth + 150}" y="${legendY - 9}" width="10" height="10" fill="${colors.noble}"/>`,
    `<text x="${labelWidth + 164}" y="${legendY}">@noble (pure JS)</text>`,
    `<line x1="${labelWidth + 290}" x2="${labelWidth + 290}" y1="${legendY - 10}" y2="${legendY + 2}" stroke="#c53030" stroke-width="2"/>`,
    `<text x="${labelWidth + 296}" y="${legendY}">target for this package</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
