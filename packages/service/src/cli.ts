#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

// `expert-dispatch <command>`; the commands live in cli/run-cli.ts.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
