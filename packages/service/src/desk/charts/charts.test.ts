import { giniCoefficient } from '@expert-dispatch/matcher';
import { describe, expect, it } from 'vitest';
import { giniOfLorenz, lorenzCurve } from './lorenz-curve.js';
import { barChartSvg, lorenzChartSvg } from './svg-chart.js';
import { workloadHistogram } from './workload-histogram.js';

// Worked by hand: the Lorenz curve of [0, 0, 0, 4] is flat until the last expert, who carries
// everything: area under it = ½·¼·1 = 1/8, G = 1 − 2/8 = 3/4. For [1, 2, 3]: cumulative shares
// 1/6, 3/6, 1 at x = 1/3, 2/3, 1; area = ⅓·(0+1/6)/2 + ⅓·(1/6+1/2)/2 + ⅓·(1/2+1)/2 = 7/18,
// G = 1 − 14/18 = 2/9. [0, 0, 1, 3]: shares 0, 0, ¼, 1; area = ¼·(0+¼)/2 + ¼·(¼+1)/2 = 3/16,
// G = 1 − 6/16 = 5/8.
describe('lorenzCurve and giniOfLorenz (工作量分布)', () => {
  it.each<[string, number[], { x: number; y: number }[], number]>([
    [
      'one expert of four carrying every task',
      [0, 0, 0, 4],
      [
        { x: 0, y: 0 },
        { x: 0.25, y: 0 },
        { x: 0.5, y: 0 },
        { x: 0.75, y: 0 },
        { x: 1, y: 1 },
      ],
      3 / 4,
    ],
    [
      'loads 1, 2, 3 in any order',
      [3, 1, 2],
      [
        { x: 0, y: 0 },
        { x: 1 / 3, y: 1 / 6 },
        { x: 2 / 3, y: 1 / 2 },
        { x: 1, y: 1 },
      ],
      2 / 9,
    ],
    [
      'loads 0, 0, 1, 3',
      [0, 0, 1, 3],
      [
        { x: 0, y: 0 },
        { x: 0.25, y: 0 },
        { x: 0.5, y: 0 },
        { x: 0.75, y: 0.25 },
        { x: 1, y: 1 },
      ],
      5 / 8,
    ],
    [
      'equal loads lie on the diagonal',
      [2, 2],
      [
        { x: 0, y: 0 },
        { x: 0.5, y: 0.5 },
        { x: 1, y: 1 },
      ],
      0,
    ],
    [
      'nobody dispatched is the diagonal',
      [0, 0, 0],
      [
        { x: 0, y: 0 },
        { x: 1, y: 1 },
      ],
      0,
    ],
  ])('%s', (_name, values, points, gini) => {
    const curve = lorenzCurve(values);
    expect(curve).toHaveLength(points.length);
    curve.forEach((point, index) => {
      expect(point.x).toBeCloseTo(points[index]?.x ?? Number.NaN, 12);
      expect(point.y).toBeCloseTo(points[index]?.y ?? Number.NaN, 12);
    });
    expect(giniOfLorenz(curve)).toBeCloseTo(gini, 12);
  });

  it.each<[number[]]>([[[1, 2, 3, 0, 0, 0]], [[7, 0, 2, 2, 9, 1, 0, 4]], [[5]]])(
    'agrees with the Gini the report prints for %j',
    (values) => {
      expect(giniOfLorenz(lorenzCurve(values))).toBeCloseTo(giniCoefficient(values) ?? -1, 12);
    },
  );
});

describe('workloadHistogram', () => {
  it.each<[string, number[], number, [string, number][]]>([
    [
      'counts experts per number of tasks, empty bars kept',
      [0, 0, 1, 3],
      10,
      [
        ['0', 2],
        ['1', 1],
        ['2', 0],
        ['3', 1],
      ],
    ],
    [
      'puts the busiest into one open last bar',
      [0, 5, 12, 3],
      4,
      [
        ['0', 1],
        ['1', 0],
        ['2', 0],
        ['3', 1],
        ['≥4', 2],
      ],
    ],
    ['has one bar for nobody', [], 10, [['0', 0]]],
  ])('%s', (_name, values, openFrom, bars) => {
    expect(workloadHistogram(values, openFrom).map((bar) => [bar.label, bar.value])).toEqual(bars);
  });
});

describe('SVG charts', () => {
  it('titles and describes a bar chart and scales the tallest bar to the plot', () => {
    const svg = barChartSvg({ id: 'c1', title: '拒绝 <按月>', desc: 'refusals' }, [
      { label: '01', value: 2 },
      { label: '02', value: 4 },
    ]);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('<title id="c1-title">拒绝 &lt;按月&gt;</title>');
    const heights = [...svg.matchAll(/class="bar"[^>]* height="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toEqual([102, 204]);
  });

  it('draws the Lorenz curve through its points and writes the Gini', () => {
    const svg = lorenzChartSvg(
      { id: 'l', title: '洛伦兹曲线', desc: 'd' },
      lorenzCurve([0, 0, 0, 4]),
      0.75,
    );
    expect(svg).toContain('points="40,220 91,220 142,220 193,220 244,16"');
    expect(svg).toContain('Gini = 0.7500');
  });
});
