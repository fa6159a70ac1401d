import { giniCoefficient } from '@expert-dispatch/matcher';
import {
  groups,
  type Industry,
  industries,
  industriesServed,
  type Label,
} from '@expert-dispatch/rules';
import type { ReportExpert } from './report-records.js';
import type { Workload, WorkloadSlice } from './report-schemas.js';

/** One expert of the workload population and the tasks they served in the year. */
export interface ExpertLoad {
  readonly expert: Pick<ReportExpert, 'id' | 'name' | 'group' | 'industries'>;
  readonly served: readonly { readonly taskId: string; readonly industries: readonly Industry[] }[];
}

const TOP = 5;

/**
 * The workload over the year: tasks served per expert, overall, per group (第五条) and per
 * industry, each with its Gini coefficient so that overuse of popular experts shows. Everyone
 * in the population counts, with 0 for those never dispatched. An industry's slice holds the
 * experts who can serve it (their own industries, or the comprehensive group) and counts only
 * the tasks of that industry.
 *
 * @example
 * buildWorkload([{ expert, served: [{ taskId: 't-1', industries: ['metallurgy'] }] }]).overall.gini;
 */
export function buildWorkload(population: readonly ExpertLoad[]): Workload {
  return {
    overall: slice('all', 'all', { zh: '全部专家', en: 'All experts' }, population, () => true),
    byGroup: groups.values.map((group) =>
      slice(
        'group',
        group,
        groups.labels[group],
        population.filter((load) => load.expert.group === group),
        () => true,
      ),
    ),
    byIndustry: industries.values.map((industry) =>
      slice(
        'industry',
        industry,
        industries.labels[industry],
        population.filter((load) => industriesServed(load.expert, [industry]).length > 0),
        (task) => task.industries.includes(industry),
      ),
    ),
  };
}

function slice(
  dimension: WorkloadSlice['dimension'],
  key: string,
  label: Label,
  population: readonly ExpertLoad[],
  counts: (task: ExpertLoad['served'][number]) => boolean,
): WorkloadSlice {
  const loads = population.map((load) => ({
    expertId: load.expert.id,
    name: load.expert.name,
    tasks: new Set(load.served.filter(counts).map((task) => task.taskId)).size,
  }));
  const values = loads.map((load) => load.tasks);
  const assignments = values.reduce((sum, value) => sum + value, 0);
  const gini = giniCoefficient(values);
  return {
    dimension,
    key,
    label: { zh: label.zh, en: label.en },
    experts: loads.length,
    assignments,
    mean: loads.length === 0 ? 0 : round(assignments / loads.length),
    max: values.reduce((most, value) => Math.max(most, value), 0),
    gini: gini === null ? null : round(gini),
    top: loads
      .filter((load) => load.tasks > 0)
      .sort((a, b) => b.tasks - a.tasks || (a.expertId < b.expertId ? -1 : 1))
      .slice(0, TOP),
  };
}

/** Four decimals: enough to compare, short enough to read. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
