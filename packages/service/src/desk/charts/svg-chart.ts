import type { LorenzPoint } from './lorenz-curve.js';
import type { Bar } from './workload-histogram.js';

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** What every chart says about itself: an id (unique on the page), a title and a description. */
export interface ChartText {
  readonly id: string;
  readonly title: string;
  readonly desc: string;
}

const WIDTH = 480;
const HEIGHT = 260;
const PAD = { left: 40, right: 12, top: 16, bottom: 40 };

/** The opening tag: scales with its container, named by its title and described by its desc. */
function open(text: ChartText): string {
  const id = escapeXml(text.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" class="chart" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" id="${id}">` +
    `<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.desc)}</desc>`
  );
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * A bar chart as inline SVG (no script, no external asset: it passes the pages' CSP). Bars are
 * labelled underneath, their values on top; a y-axis from 0 to the largest value. An all-zero
 * chart still draws its axis and labels.
 *
 * @example
 * barChartSvg({ id: 'load', title: '工作量分布', desc: '…' }, [{ label: '0', value: 3 }]);
 */
export function barChartSvg(text: ChartText, bars: readonly Bar[]): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const top = Math.max(1, ...bars.map((bar) => bar.value));
  const step = plotWidth / Math.max(1, bars.length);
  const width = Math.max(2, step * 0.7);
  const baseline = PAD.top + plotHeight;
  const parts = bars.map((bar, index) => {
    const height = (bar.value / top) * plotHeight;
    const x = PAD.left + index * step + (step - width) / 2;
    const centre = round(x + width / 2);
    return (
      `<rect class="bar" x="${round(x)}" y="${round(baseline - height)}" width="${round(width)}" height="${round(height)}" fill="#2f6db5"><title>${escapeXml(`${bar.label}: ${bar.value}`)}</title></rect>` +
      `<text x="${centre}" y="${round(baseline - height - 3)}" font-size="10" text-anchor="middle">${bar.value}</text>` +
      `<text x="${centre}" y="${baseline + 14}" font-size="10" text-anchor="middle">${escapeXml(bar.label)}</text>`
    );
  });
  const axis =
    `<line x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}" stroke="#333"/>` +
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}" stroke="#333"/>` +
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" font-size="10" text-anchor="end">${top}</text>` +
    `<text x="${PAD.left - 4}" y="${baseline}" font-size="10" text-anchor="end">0</text>`;
  return `${open(text)}${axis}${parts.join('')}</svg>`;
}

/**
 * A Lorenz curve against the diagonal of equality, with the Gini coefficient written in the
 * corner (the area between the two, doubled).
 *
 * @example
 * lorenzChartSvg({ id: 'lorenz', title: '洛伦兹曲线', desc: '…' }, lorenzCurve(loads), 0.42);
 */
export function lorenzChartSvg(
  text: ChartText,
  points: readonly LorenzPoint[],
  gini: number | null,
): string {
  const size = HEIGHT - PAD.top - PAD.bottom;
  const x0 = PAD.left;
  const y0 = PAD.top + size;
  const at = (point: LorenzPoint) => `${round(x0 + point.x * size)},${round(y0 - point.y * size)}`;
  const curve = points.map(at).join(' ');
  const area = `${curve} ${at({ x: 1, y: 0 })}`;
  const giniText = gini === null ? '—' : gini.toFixed(4);
  return (
    `${open(text)}` +
    `<rect x="${x0}" y="${PAD.top}" width="${size}" height="${size}" fill="none" stroke="#333"/>` +
    `<polygon points="${area}" fill="#dbe7f5"/>` +
    `<line class="equality" x1="${x0}" y1="${y0}" x2="${x0 + size}" y2="${PAD.top}" stroke="#888" stroke-dasharray="4 3"/>` +
    `<polyline class="lorenz" points="${curve}" fill="none" stroke="#2f6db5" stroke-width="2"/>` +
    `<text x="${x0}" y="${y0 + 14}" font-size="10">0</text>` +
    `<text x="${x0 + size}" y="${y0 + 14}" font-size="10" text-anchor="end">100% 专家 experts</text>` +
    `<text x="${x0 - 4}" y="${PAD.top + 8}" font-size="10" text-anchor="end">100%</text>` +
    `<text class="gini" x="${x0 + size + 16}" y="${PAD.top + 24}" font-size="14">基尼系数 Gini = ${giniText}</text>` +
    `<text x="${x0 + size + 16}" y="${PAD.top + 44}" font-size="10">虚线：完全平均 / dashed: equal shares</text>` +
    '</svg>'
  );
}
