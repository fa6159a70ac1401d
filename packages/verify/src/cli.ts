import { runVerify } from './run-verify.js';

// The `expert-dispatch-verify` command: `expert-dispatch-verify verify draw.json`.
process.exitCode = await runVerify(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
