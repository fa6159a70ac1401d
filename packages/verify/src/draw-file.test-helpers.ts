import { generateHistory, generatePool, preparePool, selectPanel } from '@expert-dispatch/matcher';
import { taskSchema, yunnanGmy2025 } from '@expert-dispatch/rules';
import { DRAW_FILE_FORMAT, type DrawFile } from './draw-file.js';

const NOW = '2026-03-01T09:00:00+08:00';

/**
 * A draw file as the service exports it, drawn here with the matcher: a synthetic pool and
 * history, a lottery draw, and the recorded result as JSON. `digest` 1: the pool digest of draws
 * made before `pool-digest@2`; 2: the hash tree of newer draws.
 */
export function makeDrawFile(seed = 'verify-test', digest: 1 | 2 = 1): DrawFile {
  const experts = generatePool({ size: 120, seed, now: NOW });
  const history = generateHistory({ experts, seed, now: NOW });
  const task = taskSchema.parse({
    id: 'T-2026-0001',
    type: 'enforcement_inspection',
    industries: ['metallurgy'],
    specialties: [],
    enterprise: { id: 'ENT-1', name: '某钢铁有限公司', region: '530402' },
    relatedOrganizations: [],
    window: { from: '2026-03-10T09:00:00+08:00', to: '2026-03-12T18:00:00+08:00' },
    panelSize: 3,
    alternates: 1,
    requestedBy: { authorityId: 'yn-yjt', tier: 'province', region: '530000' },
    shadows: 0,
  });
  const input = {
    task,
    experts,
    history,
    now: NOW,
    ruleSet: yunnanGmy2025,
    policy: 'lottery' as const,
    seed: `${seed}-draw`,
    fixed: [],
    exclude: [],
  };
  const pool = preparePool(experts, { ruleSet: yunnanGmy2025, digest });
  const result = selectPanel({ ...input, experts: pool });
  // Through JSON, as the file travels.
  return JSON.parse(
    JSON.stringify({
      format: DRAW_FILE_FORMAT,
      draw: {
        id: 'd_verify_test',
        taskId: task.id,
        sequence: 1,
        reason: null,
        createdAt: NOW,
        createdByAuthorityId: 'yn-yjt',
        poolDigest: pool.digest,
      },
      input,
      result,
    }),
  ) as DrawFile;
}
