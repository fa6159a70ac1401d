// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation (`${X:-d}`) is what these strings are.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { envSchema, readEnv } from '../packages/service/src/env.js';

// No Docker engine runs on our machines, so the container files are checked statically: the
// Dockerfile and both compose files are parsed and held against the repository, against the
// environment schema of the service (imported, so names and values are validated by the very
// code that reads them) and against the variables the integration suite reads. Every check is a
// function returning problems; the real files must have none, and each check is shown to fail
// on a mutated copy. Commands are files of the built dist: `npm test` builds first.

const repo = fileURLToPath(new URL('..', import.meta.url));
const dockerDir = join(repo, 'docker');
const readText = (path: string) => readFileSync(join(repo, path), 'utf8');

/** Exists in the repository once `npm run build` has run. */
const isInRepo = (path: string) => existsSync(join(repo, path));

// ---------------------------------------------------------------------------- Dockerfile

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2] ?? '';
    if (keyword === 'FROM') {
      const [base = '', as, name] = args.split(/\s+/);
      stages.push({
        base,
        name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length),
        instructions: [],
      });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
}

function parseCopy(args: string): Copy {
  const tokens = args.startsWith('[')
    ? (JSON.parse(args) as string[])
    : args.split(/\s+/).filter((token) => token !== '');
  const flags = tokens.filter((token) => token.startsWith('--'));
  const paths = tokens.filter((token) => !token.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  // The last path is the destination.
  return { from, sources: paths.slice(0, -1) };
}

/** The exec-form array after CMD (in CMD itself or in HEALTHCHECK … CMD […]). */
function execForm(args: string): string[] | undefined {
  const start = args.indexOf('[');
  if (start < 0) return undefined;
  const parsed: unknown = JSON.parse(args.slice(start));
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')
    ? parsed
    : undefined;
}

function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const [name, ...value] = pair.split('=');
      if (name) env[name] = value.join('=').replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

const workspaces = (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;
const defaultPort = readEnv({}).PORT;

/** What the final stage of the image provides to the compose services. */
interface Image {
  readonly env: Record<string, string>;
  readonly cmd: readonly string[] | undefined;
  readonly hasHealthcheck: boolean;
  readonly stageNames: readonly string[];
}

function imageOf(stages: readonly Stage[]): Image {
  const final = stages.at(-1);
  const cmd = final?.instructions.findLast((i) => i.keyword === 'CMD');
  return {
    env: final ? stageEnv(final) : {},
    cmd: cmd ? execForm(cmd.args) : undefined,
    hasHealthcheck: final?.instructions.some((i) => i.keyword === 'HEALTHCHECK') ?? false,
    stageNames: stages.map((stage) => stage.name),
  };
}

// The runtime image holds what runs and nothing else: no sources, no dev dependencies.
const RUNTIME_CONTEXT_COPIES = [
  /^package(-lock)?\.json$/,
  /^packages\/[a-z-]+\/package\.json$/,
  // A dev-only workspace (openapi-typescript for the typed-client test): npm ci reads its manifest.
  /^test\/typed-client\/package\.json$/,
  /^packages\/service\/(bin|drizzle)$/,
  // The verifier's launcher, linked by npm ci like the service's.
  /^packages\/verify\/bin$/,
];
const RUNTIME_STAGE_COPIES = [/^packages\/[a-z-]+\/dist$/, /^node_modules$/];

function dockerfileProblems(stages: readonly Stage[]): string[] {
  const problems: string[] = [];
  const final = stages.at(-1);
  if (stages.length < 2 || !final) return ['not multi-stage: expected a build and a runtime stage'];
  const finalOf = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);
  const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN');

  if (!/^node:20(\.\d+)*-(bookworm-slim|alpine)/.test(final.base)) {
    problems.push(`runtime base ${final.base} is not a small node:20 image (slim or alpine)`);
  }
  const user = finalOf('USER').at(-1)?.args.split(':')[0];
  if (!user || user === 'root' || user === '0') {
    problems.push(`the runtime stage runs as ${user ?? 'root (no USER)'}`);
  }
  if (stageEnv(final).NODE_ENV !== 'production') problems.push('NODE_ENV is not production');

  const hasProductionInstall = runs(final).some(
    (r) => /\bnpm ci\b/.test(r.args) && /--omit=dev\b/.test(r.args),
  );
  const hasPrune = stages.some((s) => runs(s).some((r) => /npm prune\b.*--omit=dev/.test(r.args)));
  if (!hasProductionInstall && !hasPrune) {
    problems.push('no `npm ci --omit=dev` in the runtime stage (nor `npm prune --omit=dev`)');
  }
  if (!stages.some((s) => runs(s).some((r) => /\bnpm run build\b/.test(r.args)))) {
    problems.push('no stage runs `npm run build`');
  }

  const healthcheck = finalOf('HEALTHCHECK').at(-1);
  const probe = healthcheck ? execForm(healthcheck.args) : undefined;
  if (!probe) {
    problems.push('the runtime stage has no exec-form HEALTHCHECK');
  } else if (probe[0] !== 'node' || !probe.join(' ').includes('/healthz')) {
    problems.push(`HEALTHCHECK ${probe.join(' ')} does not call /healthz with node`);
  }
  const exposed = finalOf('EXPOSE').flatMap((i) => i.args.split(/\s+/));
  if (exposed.join(' ') !== String(defaultPort)) {
    problems.push(`EXPOSE ${exposed.join(' ')} differs from the PORT default ${defaultPort}`);
  }
  const cmd = imageOf(stages).cmd;
  if (cmd?.join(' ') !== 'node packages/service/dist/main.js') {
    problems.push(`CMD ${cmd?.join(' ')} does not start the API`);
  }

  const workdirOf = (name: string | undefined) =>
    stages.find((s) => s.name === name)?.instructions.findLast((i) => i.keyword === 'WORKDIR')
      ?.args ?? '/';
  stages.forEach((stage, index) => {
    let copiedEverything = false;
    const copied = new Set<string>();
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'RUN' && /\bnpm ci\b/.test(instruction.args)) {
        const manifests = [
          'package.json',
          'package-lock.json',
          ...workspaces.map((w) => `${w}/package.json`),
        ];
        const late = manifests.filter((m) => !copied.has(m));
        if (copiedEverything) problems.push(`${stage.name}: \`COPY . .\` precedes \`npm ci\``);
        if (late.length > 0) {
          problems.push(`${stage.name}: ${late.join(', ')} not copied before \`npm ci\``);
        }
      }
      if (instruction.keyword !== 'COPY') continue;
      const copy = parseCopy(instruction.args);
      for (const source of copy.sources) {
        // A path in an earlier stage is the repository path below that stage's WORKDIR.
        const relative = copy.from
          ? source.replace(`${workdirOf(copy.from).replace(/\/$/, '')}/`, '')
          : source.replace(/^\.\//, '').replace(/\/$/, '') || '.';
        if (copy.from && !stages.slice(0, index).some((s) => s.name === copy.from)) {
          problems.push(`${stage.name}: COPY --from=${copy.from} names no earlier stage`);
        }
        if (!isInRepo(relative)) {
          problems.push(`${stage.name}: COPY source ${relative} does not exist (after a build)`);
        }
        if (relative === '.') copiedEverything = true;
        copied.add(relative);
        const allowed = copy.from ? RUNTIME_STAGE_COPIES : RUNTIME_CONTEXT_COPIES;
        if (stage === final && !allowed.some((pattern) => pattern.test(relative))) {
          problems.push(`runtime stage copies ${relative}, which does not run`);
        }
      }
    }
  });
  return problems;
}

function dockerignoreProblems(text: string): string[] {
  const patterns = new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const needed = [
    '**/node_modules',
    '**/dist',
    '**/.data',
    '**/.turbo',
    '.git',
    '**/coverage',
    '**/*.tgz',
  ];
  const missing = needed.filter((pattern) => !patterns.has(pattern));
  const negated = [...patterns].filter((pattern) => pattern.startsWith('!'));
  return [
    ...missing.map((pattern) => `Dockerfile.dockerignore lacks ${pattern}`),
    ...negated.map((pattern) => `Dockerfile.dockerignore re-includes ${pattern}`),
  ];
}

// ---------------------------------------------------------------------------- compose

type Yaml = Record<string, unknown>;

function parseYaml(text: string): Yaml {
  // Compose files use `<<` merge keys; duplicate keys are errors, as in compose itself.
  const document = parseDocument(text, { merge: true, uniqueKeys: true });
  const issues = [...document.errors, ...document.warnings];
  if (issues.length > 0) throw new Error(issues.map((issue) => issue.message).join('\n'));
  return asRecord(document.toJS(), 'document');
}

function asRecord(value: unknown, where: string): Yaml {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} is not a mapping`);
  }
  return value as Yaml;
}

const recordOr = (value: unknown): Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Yaml) : {};

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((token) => token !== '');
  return Array.isArray(value) ? value.map(String) : [];
}

/** Compose interpolation: `${X}`, `${X:-default}`, `${X-default}`, `${X:?error}`, `$$`. */
function interpolate(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string | undefined, operator: string | undefined, word: string | undefined) => {
      if (whole === '$$') return '$';
      const value = variables[name ?? ''];
      const unset = value === undefined || (operator?.startsWith(':') === true && value === '');
      if (!unset) return value;
      if (operator?.endsWith('?')) throw new Error(`${name}: ${word}`);
      return operator?.endsWith('-') ? (word ?? '') : '';
    },
  );
}

function environmentOf(service: Yaml): Record<string, string> {
  const raw = service.environment;
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw
        .map(String)
        .map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(
    Object.entries(recordOr(raw)).map(([name, value]) => [
      name,
      value === null ? '' : String(value),
    ]),
  );
}

const servicesOf = (compose: Yaml) => recordOr(compose.services);
const serviceOf = (compose: Yaml, name: string) => recordOr(servicesOf(compose)[name]);

function hostOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The operator's environment for the checks: every variable compose requires, valid. */
const OPERATOR = {
  POSTGRES_PASSWORD: 'Pg0perat0rPassw0rd',
  NOTIFY_SIGNING_SECRET: 'n'.repeat(40),
  REPLY_LINK_SECRET: 'r'.repeat(40),
  PUBLIC_BASE_URL: 'https://dispatch.example.gov.cn',
};
const envNames = Object.keys(envSchema.in.shape);

/** Why the service would refuse this environment at start, if it would. */
function environmentError(environment: Record<string, string>): string | undefined {
  try {
    readEnv(environment);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function dependsOnProblems(compose: Yaml, name: string, expected: Record<string, string>) {
  const dependsOn = recordOr(serviceOf(compose, name).depends_on);
  return Object.entries(expected).flatMap(([target, condition]) => {
    const actual = recordOr(dependsOn[target]).condition;
    return actual === condition ? [] : [`${name} depends on ${target} ${actual} not ${condition}`];
  });
}

function redisFlagProblems(compose: Yaml): string[] {
  const command = stringsOf(serviceOf(compose, 'redis').command).join(' ');
  return [
    ...(/--appendonly yes\b/.test(command) ? [] : ['redis runs without --appendonly yes']),
    ...(/--maxmemory-policy noeviction\b/.test(command)
      ? []
      : ['redis runs without --maxmemory-policy noeviction']),
  ];
}

function healthcheckProblems(compose: Yaml, name: string, probe: RegExp): string[] {
  const healthcheck = recordOr(serviceOf(compose, name).healthcheck);
  const test = stringsOf(healthcheck.test).join(' ');
  return healthcheck.disable !== true && probe.test(test)
    ? []
    : [`${name} has no health check matching ${probe}`];
}

function appCommandProblems(name: string, command: readonly string[], expected: string[]) {
  const problems: string[] = [];
  if (command.join(' ') !== expected.join(' ')) {
    problems.push(`${name} runs \`${command.join(' ')}\`, not \`${expected.join(' ')}\``);
  }
  const script = command[1] ?? '';
  if (command[0] !== 'node' || !isInRepo(script)) {
    problems.push(`${name}: ${script || 'its command'} does not exist (run \`npm run build\`)`);
  }
  const source = script.replace(/\/dist\//, '/src/').replace(/\.js$/, '.ts');
  if (!isInRepo(source)) problems.push(`${name}: ${script} has no source ${source}`);
  return problems;
}

const APP_COMMANDS: Record<string, string[]> = {
  migrate: ['node', 'packages/service/dist/cli.js', 'migrate'],
  api: ['node', 'packages/service/dist/main.js'],
  worker: ['node', 'packages/service/dist/worker.js'],
};

function composeProblems(compose: Yaml, image: Image): string[] {
  const problems: string[] = [];
  const services = servicesOf(compose);
  for (const name of ['postgres', 'redis', ...Object.keys(APP_COMMANDS)]) {
    if (!(name in services)) problems.push(`service ${name} is missing`);
  }
  for (const [name, value] of Object.entries(services)) {
    const service = recordOr(value);
    if (service.image === undefined && service.build === undefined) {
      problems.push(`${name} has neither image nor build`);
    }
    const restart = name === 'migrate' ? 'no' : 'unless-stopped';
    if (service.restart !== restart) problems.push(`${name} restarts ${service.restart}`);
  }
  if (serviceOf(compose, 'postgres').image !== 'postgres:16-alpine') {
    problems.push('postgres is not postgres:16-alpine');
  }
  if (serviceOf(compose, 'redis').image !== 'redis:7-alpine')
    problems.push('redis is not 7-alpine');
  problems.push(...redisFlagProblems(compose));
  problems.push(...healthcheckProblems(compose, 'postgres', /pg_isready/));
  problems.push(...healthcheckProblems(compose, 'redis', /redis-cli ping/));

  const postgresEnv = environmentOf(serviceOf(compose, 'postgres'));
  const appImages = new Set<unknown>();
  const settable = new Set(Object.keys(image.env));
  for (const [name, expected] of Object.entries(APP_COMMANDS)) {
    const service = serviceOf(compose, name);
    const build = recordOr(service.build);
    appImages.add(service.image);
    if (resolve(dockerDir, String(build.context)) !== resolve(repo)) {
      problems.push(`${name} is not built from the repository root`);
    }
    if (!isInRepo(String(build.dockerfile))) problems.push(`${name}: no ${build.dockerfile}`);
    const command = service.command === undefined ? (image.cmd ?? []) : stringsOf(service.command);
    problems.push(...appCommandProblems(name, command, expected));

    const environment = environmentOf(service);
    for (const variable of Object.keys(environment)) {
      settable.add(variable);
      if (!envNames.includes(variable)) problems.push(`${name}: env.ts reads no ${variable}`);
    }
    const resolved: Record<string, string> = { ...image.env };
    for (const [variable, raw] of Object.entries(environment)) {
      resolved[variable] = interpolate(raw, OPERATOR);
    }
    const invalid = environmentError(resolved);
    if (invalid) problems.push(`${name}: ${invalid}`);
    // A variable production cannot start without comes from the operator, never from this file.
    const required = invalid
      ? []
      : envNames.filter((variable) => {
          const { [variable]: _dropped, ...without } = resolved;
          return environmentError(without) !== undefined;
        });
    for (const variable of required) {
      if (!(environment[variable] ?? '').includes(`\${${variable}:?`)) {
        problems.push(`${name}: ${variable} is required but not \${${variable}:?…}`);
      }
    }
    const databaseUrl = resolved.DATABASE_URL ? new URL(resolved.DATABASE_URL) : undefined;
    const password = interpolate(postgresEnv.POSTGRES_PASSWORD ?? '', OPERATOR);
    if (
      databaseUrl?.hostname !== 'postgres' ||
      databaseUrl.username !== postgresEnv.POSTGRES_USER ||
      databaseUrl.password !== password ||
      databaseUrl.pathname !== `/${postgresEnv.POSTGRES_DB}`
    ) {
      problems.push(`${name}: DATABASE_URL does not name the postgres service's database`);
    }
    if (hostOf(resolved.REDIS_URL) !== 'redis') problems.push(`${name}: REDIS_URL is not redis`);
    const healthcheck = recordOr(service.healthcheck);
    const servesHttp = name === 'api';
    if (servesHttp && (healthcheck.disable === true || !image.hasHealthcheck)) {
      problems.push('api has no health check (the image HEALTHCHECK or its own)');
    }
    if (!servesHttp && healthcheck.disable !== true && healthcheck.test === undefined) {
      problems.push(`${name} serves no HTTP but inherits the image's /healthz check`);
    }
    const portMaps = stringsOf(service.ports);
    if (servesHttp) {
      const containerPorts = portMaps.map((map) => map.split(':').at(-1));
      if (containerPorts.join() !== resolved.PORT || resolved.PORT !== String(defaultPort)) {
        problems.push(`api publishes ${containerPorts.join()} but listens on ${resolved.PORT}`);
      }
    } else if (portMaps.length > 0) {
      problems.push(`${name} publishes ports`);
    }
  }
  if (appImages.size !== 1) problems.push('migrate, api and worker do not share one image');
  const unsettable = envNames.filter((name) => !settable.has(name));
  if (unsettable.length > 0) problems.push(`env.ts variables not in compose: ${unsettable}`);
  for (const name of ['postgres', 'redis']) {
    if (serviceOf(compose, name).ports !== undefined) problems.push(`${name} is published`);
  }

  problems.push(...dependsOnProblems(compose, 'migrate', { postgres: 'service_healthy' }));
  for (const name of ['api', 'worker']) {
    problems.push(
      ...dependsOnProblems(compose, name, {
        postgres: 'service_healthy',
        redis: 'service_healthy',
        migrate: 'service_completed_successfully',
      }),
    );
  }
  const replicas = Number(recordOr(serviceOf(compose, 'worker').deploy).replicas ?? 1);
  if (!(replicas >= 2)) problems.push(`worker runs ${replicas} replica(s)`);

  const declared = Object.keys(recordOr(compose.volumes));
  const used = Object.values(services).flatMap((service) =>
    stringsOf(recordOr(service).volumes)
      .map((mount) => mount.split(':')[0] ?? '')
      .filter((source) => !/^[./~]/.test(source)),
  );
  for (const volume of used) {
    if (!declared.includes(volume)) problems.push(`volume ${volume} is not declared`);
  }
  for (const volume of declared) {
    if (!used.includes(volume)) problems.push(`volume ${volume} is never mounted`);
  }
  for (const [name, path] of [
    ['postgres', '/var/lib/postgresql/data'],
    ['redis', '/data'],
  ] as const) {
    const mounts = stringsOf(serviceOf(compose, name).volumes);
    if (!mounts.some((mount) => mount.split(':')[1] === path)) {
      problems.push(`${name} keeps ${path} in no volume`);
    }
  }
  return problems;
}

// The variables the integration suite reads (process.env.X in the test helpers).
const testingDir = 'packages/service/src/testing';
const helperVariables = readdirSync(join(repo, testingDir))
  .filter((file) => file.endsWith('.test-helpers.ts'))
  .flatMap((file) =>
    [...readText(`${testingDir}/${file}`).matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)].map(
      (match) => match[1] ?? '',
    ),
  );

function composeTestProblems(compose: Yaml, production: Yaml, image: Image): string[] {
  const problems: string[] = [];
  const test = serviceOf(compose, 'test');
  const build = recordOr(test.build);
  const target = String(build.target);
  if (!image.stageNames.slice(0, -1).includes(target)) {
    problems.push(`test builds target ${target}, not a build stage of the Dockerfile`);
  }
  if (!isInRepo(String(build.dockerfile))) problems.push(`test: no ${build.dockerfile}`);
  if (stringsOf(test.command).join(' ') !== 'npm test') problems.push('test does not run npm test');
  const environment = environmentOf(test);
  if (environment.CI !== 'true') problems.push('test runs without CI=true');
  for (const variable of Object.keys(environment)) {
    if (!helperVariables.includes(variable) && !envNames.includes(variable)) {
      problems.push(`test sets ${variable}, which nothing reads`);
    }
  }
  for (const variable of helperVariables.filter((name) => name.startsWith('TEST_'))) {
    if (environment[variable] === undefined) problems.push(`test does not set ${variable}`);
  }
  const services = servicesOf(compose);
  const postgresHost = hostOf(environment.TEST_POSTGRES_URL) ?? '';
  const redisHost = hostOf(environment.TEST_REDIS_URL) ?? '';
  if (!String(recordOr(services[postgresHost]).image).startsWith('postgres:')) {
    problems.push(`TEST_POSTGRES_URL names no PostgreSQL service (${postgresHost})`);
  }
  if (!String(recordOr(services[redisHost]).image).startsWith('redis:')) {
    problems.push(`TEST_REDIS_URL names no Redis service (${redisHost})`);
  }
  problems.push(
    ...dependsOnProblems(compose, 'test', {
      [postgresHost]: 'service_healthy',
      [redisHost]: 'service_healthy',
    }),
  );
  problems.push(...healthcheckProblems(compose, postgresHost, /pg_isready/));
  problems.push(...healthcheckProblems(compose, redisHost, /redis-cli ping/));
  problems.push(...redisFlagProblems(compose));
  for (const name of ['postgres', 'redis']) {
    if (serviceOf(compose, name).image !== serviceOf(production, name).image) {
      problems.push(`the suite's ${name} is not the image compose.yml runs`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------- tests

const files = {
  dockerfile: readText('docker/Dockerfile'),
  dockerignore: readText('docker/Dockerfile.dockerignore'),
  compose: readText('docker/compose.yml'),
  composeTest: readText('docker/compose.test.yml'),
};
type FileName = keyof typeof files;

/** The problems of all four files, each given as text so that a test can mutate one. */
function problemsOf(texts: Record<FileName, string>): string[] {
  const stages = parseDockerfile(texts.dockerfile);
  const image = imageOf(stages);
  const production = parseYaml(texts.compose);
  return [
    ...dockerfileProblems(stages),
    ...dockerignoreProblems(texts.dockerignore),
    ...composeProblems(production, image),
    ...composeTestProblems(parseYaml(texts.composeTest), production, image),
  ];
}

describe('docker/', () => {
  it('the service is built: every command the containers run exists', () => {
    const missing = ['main.js', 'cli.js', 'worker.js']
      .map((file) => `packages/service/dist/${file}`)
      .filter((path) => !isInRepo(path));
    expect(missing, 'run `npm run build` first (`npm test` does)').toEqual([]);
  });

  it('the Dockerfile, its ignore file and both compose files have no problem', () => {
    expect(problemsOf(files)).toEqual([]);
  });

  it('compose refuses to start without the secrets and the public address', () => {
    const environment = environmentOf(serviceOf(parseYaml(files.compose), 'api'));
    const missing = Object.keys(OPERATOR).filter((variable) => {
      const { [variable as keyof typeof OPERATOR]: _dropped, ...rest } = OPERATOR;
      return Object.values(environment).every((raw) => {
        try {
          interpolate(raw, rest);
          return true;
        } catch {
          return false;
        }
      });
    });
    expect(missing).toEqual([]);
  });

  it('interpolates like compose', () => {
    const variables = { SET: 'x', EMPTY: '' };
    expect(interpolate('${SET}|${EMPTY:-d}|${EMPTY-d}|${UNSET:-d}|$${SET}', variables)).toBe(
      'x|d||d|${SET}',
    );
    expect(() => interpolate('${EMPTY:?needed}', variables)).toThrow('EMPTY: needed');
  });

  // Each check is shown to fail: one mutation of one file, and the problem it must raise.
  const mutations: readonly [string, FileName, string | RegExp, string, RegExp][] = [
    [
      'single stage',
      'dockerfile',
      /FROM node:20-bookworm-slim AS build[\s\S]*?FROM/,
      'FROM',
      /not multi-stage/,
    ],
    ['root user', 'dockerfile', 'USER node', 'USER root', /runs as root/],
    ['no USER', 'dockerfile', 'USER node\n', '', /runs as root/],
    [
      'full node image',
      'dockerfile',
      /FROM node:20-bookworm-slim AS runtime/,
      'FROM node:20 AS runtime',
      /runtime base/,
    ],
    ['dev dependencies', 'dockerfile', /npm ci --omit=dev/, 'npm ci', /--omit=dev/],
    ['no build', 'dockerfile', 'RUN npm run build', 'RUN true', /npm run build/],
    [
      'no HEALTHCHECK',
      'dockerfile',
      /HEALTHCHECK[^\n]*\\\n[^\n]*\n/,
      '',
      /no exec-form HEALTHCHECK/,
    ],
    [
      'curl probe',
      'dockerfile',
      /CMD \["node", "-e", "fetch[^\n]*/,
      'CMD ["curl", "-f", "http://127.0.0.1:3000/healthz"]',
      /does not call \/healthz with node/,
    ],
    ['other port', 'dockerfile', 'EXPOSE 3000', 'EXPOSE 8080', /EXPOSE 8080 differs/],
    [
      'CMD not the API',
      'dockerfile',
      'CMD ["node", "packages/service/dist/main.js"]',
      'CMD ["node", "packages/service/dist/cli.js"]',
      /does not start the API/,
    ],
    [
      'missing COPY source',
      'dockerfile',
      'COPY packages/service/drizzle',
      'COPY packages/service/migrations',
      /migrations does not exist/,
    ],
    [
      'sources in runtime',
      'dockerfile',
      'COPY packages/service/drizzle',
      'COPY packages/service/src',
      /copies packages\/service\/src/,
    ],
    [
      'COPY --from unknown stage',
      'dockerfile',
      '--from=build /app/packages/rules',
      '--from=builder /app/packages/rules',
      /names no earlier stage/,
    ],
    [
      'no caching',
      'dockerfile',
      /COPY packages\/matcher\/package\.json packages\/matcher\/\n/,
      '',
      /matcher\/package\.json not copied/,
    ],
    [
      'sources before npm ci',
      'dockerfile',
      'COPY package.json package-lock.json ./\nCOPY packages/rules',
      'COPY . .\nCOPY package.json package-lock.json ./\nCOPY packages/rules',
      /precedes/,
    ],
    ['NODE_ENV', 'dockerfile', 'NODE_ENV=production', 'NODE_ENV=development', /NODE_ENV/],
    [
      'node_modules in context',
      'dockerignore',
      '**/node_modules\n',
      '',
      /lacks \*\*\/node_modules/,
    ],
    ['re-included dist', 'dockerignore', '.git\n', '.git\n!packages/service/dist\n', /re-includes/],
    [
      'unknown variable',
      'compose',
      'LOG_LEVEL: ${LOG_LEVEL:-}',
      'LOGLEVEL: ${LOG_LEVEL:-info}',
      /env\.ts reads no LOGLEVEL/,
    ],
    [
      'invalid value',
      'compose',
      'LOG_LEVEL: ${LOG_LEVEL:-}',
      'LOG_LEVEL: ${LOG_LEVEL:-verbose}',
      /LOG_LEVEL: Invalid option/,
    ],
    [
      'required secret missing',
      'compose',
      /\n {4}REPLY_LINK_SECRET: [^\n]*/,
      '',
      /REPLY_LINK_SECRET: required in production/,
    ],
    [
      'hard-coded secret',
      'compose',
      /REPLY_LINK_SECRET: \$\{[^\n]*/,
      `REPLY_LINK_SECRET: ${'x'.repeat(40)}`,
      /REPLY_LINK_SECRET is required but not/,
    ],
    [
      'variable not in compose',
      'compose',
      /\n {4}DEMO_SIZE: [^\n]*/,
      '',
      /not in compose: DEMO_SIZE/,
    ],
    [
      'wrong database',
      'compose',
      '@postgres:5432/expert_dispatch',
      '@db:5432/expert_dispatch',
      /DATABASE_URL does not name/,
    ],
    [
      'wrong Redis',
      'compose',
      'REDIS_URL: redis://redis:6379',
      'REDIS_URL: redis://cache:6379',
      /REDIS_URL is not redis/,
    ],
    ['worker command', 'compose', 'dist/worker.js', 'dist/workers.js', /worker runs/],
    ['migrate command', 'compose', 'cli.js", "migrate"', 'cli.js", "help"', /migrate runs/],
    ['no appendonly', 'compose', '"--appendonly", "yes", ', '', /--appendonly yes/],
    ['eviction', 'compose', '"noeviction"]', '"allkeys-lru"]', /noeviction/],
    [
      'no pg health check',
      'compose',
      '"pg_isready -U expert_dispatch -d expert_dispatch"',
      '"true"',
      /postgres has no health check/,
    ],
    [
      'migrate before postgres is healthy',
      'compose',
      /(migrate:[\s\S]*?condition: )service_healthy/,
      '$1service_started',
      /migrate depends on postgres service_started/,
    ],
    [
      'api before migrations',
      'compose',
      'condition: service_completed_successfully',
      'condition: service_started',
      /api depends on migrate service_started/,
    ],
    [
      'migrate restarts',
      'compose',
      'restart: "no"',
      'restart: on-failure',
      /migrate restarts on-failure/,
    ],
    [
      'port mismatch',
      'compose',
      '"${API_PORT:-3000}:3000"',
      '"${API_PORT:-3000}:8080"',
      /api publishes 8080/,
    ],
    [
      'worker with /healthz',
      'compose',
      /(stop_grace_period: 30s\n[^\n]*\n {4})healthcheck:\n {6}disable: true/,
      '$1init: true',
      /worker serves no HTTP/,
    ],
    ['single worker', 'compose', 'replicas: 2', 'replicas: 1', /worker runs 1 replica/],
    [
      'undeclared volume',
      'compose',
      '\n  redis-data:\n',
      '\n',
      /volume redis-data is not declared/,
    ],
    [
      'duplicate key',
      'compose',
      'image: redis:7-alpine',
      'image: redis:7-alpine\n    image: redis:7-alpine',
      /unique/i,
    ],
    ['test target', 'composeTest', 'target: build', 'target: runtime', /not a build stage/],
    ['test without CI', 'composeTest', 'CI: "true"', 'CI: "false"', /without CI=true/],
    [
      'test Redis variable',
      'composeTest',
      'TEST_REDIS_URL:',
      'REDIS_URL_FOR_TESTS:',
      /does not set TEST_REDIS_URL/,
    ],
    [
      'test PostgreSQL host',
      'composeTest',
      '@postgres:5432/postgres',
      '@127.0.0.1:5432/postgres',
      /names no PostgreSQL service/,
    ],
    [
      'test image drift',
      'composeTest',
      'image: postgres:16-alpine',
      'image: postgres:15-alpine',
      /not the image compose\.yml runs/,
    ],
  ];

  it.each(mutations)('fails on: %s', (_name, file, find, replacement, problem) => {
    const mutated = files[file].replace(find, replacement);
    expect(mutated, 'the mutation must change the file').not.toBe(files[file]);
    let problems: string[];
    try {
      problems = problemsOf({ ...files, [file]: mutated });
    } catch (error) {
      problems = [error instanceof Error ? error.message : String(error)];
    }
    expect(problems.join('\n')).toMatch(problem);
  });
});
