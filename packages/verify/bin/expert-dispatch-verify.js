#!/usr/bin/env node
// The `expert-dispatch-verify` command. It lives outside dist/ so that a workspace install can
// link it before anything is built; it runs the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('expert-dispatch-verify: not built yet — run `npm run build` first\n');
  process.exit(2);
}
await import(cli.href);
