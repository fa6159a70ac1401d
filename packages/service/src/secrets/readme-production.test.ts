import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envSchema, PRODUCTION_REQUIRED, readEnv } from '../env.js';

// The READMEs are what an operator deploys from (issue 12, item 1): the production block of the
// root README names only variables the service reads and every one production requires, and the
// service README's tables name every variable there is.
const rootReadme = readFileSync(
  fileURLToPath(new URL('../../../../README.md', import.meta.url)),
  'utf8',
);
const serviceReadme = readFileSync(
  fileURLToPath(new URL('../../README.md', import.meta.url)),
  'utf8',
);
const VARIABLES = Object.keys(envSchema.in.shape);

/** The root README's shell block that sets NODE_ENV=production. */
function productionBlock(): string {
  const blocks = [...rootReadme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const block = blocks.find((text) => /^export NODE_ENV=production$/m.test(text));
  if (block === undefined)
    throw new Error('README.md has no block with export NODE_ENV=production');
  return block;
}

/** The variables a block exports, and those it sets before a command (`DISPATCH_WORKERS=false npm start`). */
function variablesSetIn(block: string): string[] {
  const exported = [...block.matchAll(/^export ([A-Z_]+)=/gm)].map((match) => match[1] ?? '');
  const inline = [...block.matchAll(/(?:^|[\s:#])([A-Z][A-Z_]+)=\S*\s+npm /gm)].map(
    (match) => match[1] ?? '',
  );
  return [...new Set([...exported, ...inline])];
}

describe('the README production block', () => {
  const names = variablesSetIn(productionBlock());

  it('sets only variables the service reads (src/env.ts)', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !VARIABLES.includes(name))).toEqual([]);
  });

  it('sets every variable production refuses to start without', () => {
    expect(PRODUCTION_REQUIRED.filter((name) => !names.includes(name))).toEqual([]);
    expect(names).toContain('NODE_ENV');
  });

  it('is refused without those variables, naming each (no default secret)', () => {
    expect(() => readEnv({ NODE_ENV: 'production' })).toThrow(
      new RegExp(
        PRODUCTION_REQUIRED.map((name) => `${name}: required in production`).join('[\\s\\S]*'),
      ),
    );
  });

  it('leaves no variable of src/env.ts out of the service README', () => {
    expect(VARIABLES.filter((name) => !serviceReadme.includes(`\`${name}\``))).toEqual([]);
  });
});
