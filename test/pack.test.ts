import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Other government systems embed the libraries from npm, so this test does what they do: pack
// the built packages, install the tarballs into a fresh project outside the repository, then
// import them from plain Node and type-check against them with the repository's `tsc`.
// It builds nothing: `npm test` runs `turbo run build` first.

const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(repo, 'node_modules', '.bin', 'tsc');
const packages = ['rules', 'matcher', 'verify'] as const;
type PackageName = (typeof packages)[number];

interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
}

// Variables that `npm test` exports to its children and that would point a nested npm back at
// this workspace instead of the temporary project.
const WORKSPACE_ENV =
  /^(npm_package_|npm_lifecycle_|npm_config_(local_prefix|workspaces?|include_workspace_root|prefix|global)$|INIT_CWD$)/i;
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !WORKSPACE_ENV.test(name)),
);

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: childEnv, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runOrThrow(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}) in ${cwd}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Why a package cannot be packed yet, or null when its build output is there. */
function missingBuild(name: PackageName): string | null {
  const dist = join(repo, 'packages', name, 'dist');
  const needed = ['index.js', 'index.d.ts'].filter((file) => !existsSync(join(dist, file)));
  if (needed.length === 0) return null;
  return `packages/${name}/dist lacks ${needed.join(', ')}: run \`npm run build\` at the repository root first (\`npm test\` does this before running the tests)`;
}

function pack(name: PackageName, destination: string): Packed {
  const stdout = runOrThrow(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    join(repo, 'packages', name),
  );
  const [report] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  return {
    tarball: join(destination, report.filename),
    files: report.files.map((file) => file.path),
  };
}

const expertJson = {
  id: 'E-0001',
  name: '张伟',
  birthDate: '1968-05-20',
  phone: '13800000000',
  title: 'senior_full',
  safetyEngineer: 'intermediate',
  practiceYears: 25,
  employer: { id: 'ORG-DESIGN-1', name: '云南冶金设计院', kind: 'design_institute' },
  region: '530102',
  tier: 'province',
  group: 'metallurgy_nonferrous_machinery',
  industries: ['metallurgy', 'nonferrous'],
  specialties: ['molten_metal', 'gas'],
  status: 'active',
  appointment: { from: '2025-06-01', to: '2028-05-31', sealed: true },
  outstanding: false,
  ageWaiver: false,
  profileUpdatedAt: '2026-01-10T09:00:00+08:00',
  conflicts: [],
  unavailable: [],
};

const taskJson = {
  id: 'T-2026-0001',
  type: 'enforcement_inspection',
  industries: ['metallurgy'],
  specialties: ['molten_metal'],
  enterprise: { id: 'ENT-1', name: '某钢铁有限公司', region: '530402' },
  relatedOrganizations: [],
  window: { from: '2026-03-10T09:00:00+08:00', to: '2026-03-12T18:00:00+08:00' },
  panelSize: 3,
  alternates: 1,
  requestedBy: { authorityId: 'YNEM', tier: 'province', region: '530000' },
  shadows: 0,
};

// Plain Node: no TypeScript, no bundler, only the installed tarball.
const rulesScript = `
import * as rules from '@expert-dispatch/rules';
const expert = rules.expertSchema.parse(${JSON.stringify(expertJson)});
const task = rules.taskSchema.parse(${JSON.stringify(taskJson)});
const fit = rules.evaluateExpert(expert, task, { busy: [] }, rules.yunnanGmy2025);
const old = rules.evaluateExpert({ ...expert, birthDate: '1950-01-01' }, task, { busy: [] }, rules.yunnanGmy2025);
const bad = rules.expertSchema.safeParse({ ...expert, title: 'professor' });
console.log(JSON.stringify({
  ok: fit.ok,
  ruleIds: fit.outcomes.map((outcome) => outcome.ruleId),
  dispatchRules: rules.yunnanGmy2025.dispatchRules,
  oldOk: old.ok,
  oldArticles: old.reasons.map((reason) => reason.article),
  badPaths: bad.success ? [] : bad.error.issues.map((issue) => issue.path.join('.')),
}));
`;

const matcherScript = `
import * as rules from '@expert-dispatch/rules';
import * as matcher from '@expert-dispatch/matcher';
const missing = ['selectPanel', 'generatePool', 'generateHistory'].filter((name) => typeof matcher[name] !== 'function');
if (missing.length > 0) {
  console.log(JSON.stringify({ missing }));
} else {
  const now = '2026-03-01T09:00:00+08:00';
  const experts = matcher.generatePool({ size: 300, seed: 'pack-test', now });
  const history = matcher.generateHistory({ experts, seed: 'pack-test', now });
  const task = rules.taskSchema.parse(${JSON.stringify(taskJson)});
  const draw = () => matcher.selectPanel({ task, experts, history, now, seed: 'pack-test' });
  const first = draw();
  const again = draw();
  const ids = new Set(experts.map((expert) => expert.id));
  console.log(JSON.stringify({
    missing,
    ok: first.ok,
    code: first.ok ? null : first.code,
    roles: first.ok ? first.members.map((member) => member.role) : [],
    inPool: first.ok ? first.members.every((member) => ids.has(member.expertId)) : false,
    replayed: JSON.stringify(first) === JSON.stringify(again),
  }));
}
`;

// A draw exported as the service exports it, drawn here with the installed matcher; and a copy
// whose seed was changed afterwards.
const drawFileScript = `
import { writeFileSync } from 'node:fs';
import * as rules from '@expert-dispatch/rules';
import * as matcher from '@expert-dispatch/matcher';
const now = '2026-03-01T09:00:00+08:00';
const experts = matcher.generatePool({ size: 120, seed: 'pack-verify', now });
const history = matcher.generateHistory({ experts, seed: 'pack-verify', now });
const task = rules.taskSchema.parse(${JSON.stringify(taskJson)});
const input = { task, experts, history, now, ruleSet: rules.yunnanGmy2025, policy: 'lottery',
  seed: 'pack-verify-draw', fixed: [], exclude: [] };
const pool = matcher.preparePool(experts, { ruleSet: rules.yunnanGmy2025 });
const result = matcher.selectPanel({ ...input, experts: pool });
const file = {
  format: 'expert-dispatch/draw@1',
  draw: { id: 'd_pack', taskId: task.id, sequence: 1, reason: null, createdAt: now,
    createdByAuthorityId: 'YNEM', poolDigest: pool.digest },
  input,
  result,
};
writeFileSync('draw.json', JSON.stringify(file));
writeFileSync('draw-reseeded.json', JSON.stringify({ ...file, input: { ...input, seed: 'chosen-later' } }));
console.log(JSON.stringify({ ok: result.ok }));
`;

// TypeScript: the declarations must be real, so a wrong value has to be an error.
const rulesTypes = `
import {
  evaluateExpert,
  type Expert,
  type ExpertEvaluation,
  expertSchema,
  type Task,
  taskSchema,
  type Title,
  yunnanGmy2025,
} from '@expert-dispatch/rules';

const expert: Expert = expertSchema.parse(${JSON.stringify(expertJson)});
const task: Task = taskSchema.parse(${JSON.stringify(taskJson)});
const evaluation: ExpertEvaluation = evaluateExpert(expert, task, { busy: [] }, yunnanGmy2025);
// A local-policy rule cites no article (null): only the measures' own articles are listed.
export const articles: string[] = evaluation.reasons.flatMap((reason) => reason.article ?? []);
export const title: Title = expert.title;
// @ts-expect-error 'professor' is not one of the title levels (第九条（四）)
export const wrong: Title = 'professor';
`;

const matcherTypes = `
import { generatePool, selectPanel } from '@expert-dispatch/matcher';
import { EMPTY_HISTORY, taskSchema } from '@expert-dispatch/rules';

const now = '2026-03-01T09:00:00+08:00';
const experts = generatePool({ size: 50, seed: 'pack-test', now });
const task = taskSchema.parse(${JSON.stringify(taskJson)});
const result = selectPanel({ task, experts, history: EMPTY_HISTORY, now, seed: 'pack-test' });
export const leaders: string[] = result.ok
  ? result.members.filter((member) => member.role === 'leader').map((member) => member.expertId)
  : [];
// @ts-expect-error 'random' is not a policy: 'best' | 'lottery' | 'capped'
selectPanel({ task, experts, history: EMPTY_HISTORY, now, seed: 'pack-test', policy: 'random' });
`;

describe('the packed libraries, installed into a fresh project', () => {
  let workspace = '';
  let project = '';
  const packed = new Map<PackageName, Packed>();
  const notPacked = new Map<PackageName, string>();

  beforeAll(() => {
    const rulesMissing = missingBuild('rules');
    if (rulesMissing !== null) throw new Error(rulesMissing);
    workspace = mkdtempSync(join(tmpdir(), 'expert-dispatch-pack-'));
    const tarballs = join(workspace, 'tarballs');
    project = join(workspace, 'project');
    mkdirSync(tarballs);
    mkdirSync(project);
    for (const name of packages) {
      const missing = missingBuild(name);
      if (missing === null) packed.set(name, pack(name, tarballs));
      else notPacked.set(name, missing);
    }
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'embedding-system', version: '1.0.0', private: true, type: 'module' }),
    );
    runOrThrow(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        ...[...packed.values()].map((entry) => entry.tarball),
      ],
      project,
    );
  });

  afterAll(() => {
    if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  });

  function packedOrFail(name: PackageName): Packed {
    const entry = packed.get(name);
    if (entry === undefined) throw new Error(notPacked.get(name) ?? `${name} was not packed`);
    return entry;
  }

  function runNode(source: string): unknown {
    const file = join(project, `script-${Math.abs(hash(source))}.mjs`);
    writeFileSync(file, source);
    return JSON.parse(runOrThrow(process.execPath, [file], project));
  }

  function typeCheck(source: string) {
    const file = join(project, `usage-${Math.abs(hash(source))}.ts`);
    writeFileSync(file, source);
    const args = ['--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const result = run(tsc, [...args, '--strict', '--target', 'es2022', file], project);
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  }

  it.each(packages)(
    'ships the built %s: dist, declarations, README, no sources or tests',
    (name) => {
      const { files } = packedOrFail(name);
      for (const file of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']) {
        expect(files).toContain(file);
      }
      expect(files.filter((file) => /^src\/|\.test\.|test-helpers|^test\//.test(file))).toEqual([]);
    },
  );

  it('lets plain Node parse an expert and evaluate every rule of yunnan-gmy-2025', () => {
    packedOrFail('rules');
    const output = runNode(rulesScript) as Record<string, unknown>;
    expect(output.ok).toBe(true);
    expect(output.ruleIds).toEqual(output.dispatchRules);
    expect(output.oldOk).toBe(false);
    expect(output.oldArticles).toEqual(['第九条（五）']);
    expect(output.badPaths).toEqual(['title']);
  });

  it('lets plain Node draw a reproducible panel with the matcher', () => {
    packedOrFail('rules');
    packedOrFail('matcher');
    const output = runNode(matcherScript) as Record<string, unknown>;
    expect(output.missing).toEqual([]);
    expect(output.ok).toBe(true);
    expect(output.roles).toHaveLength(taskJson.panelSize);
    expect((output.roles as string[]).filter((role) => role === 'leader')).toHaveLength(1);
    expect(output.inPool).toBe(true);
    expect(output.replayed).toBe(true);
  });

  it.each([
    ['its bin', ['--no', 'expert-dispatch-verify']],
    ['the package name', ['--no', '@expert-dispatch/verify']],
  ])('verifies an exported draw offline with npx and %s, outside the clone', (_how, command) => {
    packedOrFail('verify');
    expect(packedOrFail('verify').files).toContain('bin/expert-dispatch-verify.js');
    expect(runNode(drawFileScript)).toEqual({ ok: true });
    const verified = run('npx', [...command, 'verify', 'draw.json'], project);
    expect(verified.stdout).toContain('VERIFIED 复核通过');
    expect(verified.status).toBe(0);
    const reseeded = run('npx', [...command, 'verify', 'draw-reseeded.json'], project);
    expect(reseeded.stdout).toContain('NOT VERIFIED 复核未通过');
    expect(reseeded.status).toBe(1);
  });

  it('type-checks a TypeScript consumer of the rules, and its types catch a wrong title', () => {
    packedOrFail('rules');
    expect(typeCheck(rulesTypes)).toEqual({ status: 0, output: '' });
  });

  it('type-checks a TypeScript consumer of the matcher, and its types catch a wrong policy', () => {
    packedOrFail('rules');
    packedOrFail('matcher');
    expect(typeCheck(matcherTypes)).toEqual({ status: 0, output: '' });
  });

  it('proves the type check can fail: a wrong title without the expectation is an error', () => {
    packedOrFail('rules');
    const result = typeCheck(rulesTypes.replace('// @ts-expect-error', '//'));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/professor/);
  });
});

/** A small stable hash, to give each generated file its own name. */
function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (Math.imul(value, 31) + (char.codePointAt(0) ?? 0)) | 0;
  return value;
}
