// npm run bench:readme — rewrites the README's performance section, between <!-- bench:start --> and
// <!-- bench:end -->, from bench/results/latest.json (written by `npm run bench`).
//
// A quick (--quick) or incomplete run is refused unless --force: the README shows measurements only.
// --check: writes nothing, exits 1 if the README's section differs from what latest.json gives.
// --stdout: prints the section instead of writing it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderReadmeSection } from './report/render.js';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const RESULTS = 'bench/results/latest.json';
const README = 'README.md';

function main(args) {
  const flags = new Set(args);
  for (const flag of flags) if (!['--force', '--check', '--stdout'].includes(flag)) throw new Error(`unknown argument ${flag} (--force, --check, --stdout)`);
  if (!existsSync(RESULTS)) throw new Error(`${RESULTS} is missing: run \`npm run bench\` first`);
  const doc = JSON.parse(readFileSync(RESULTS, 'utf8'));
  if (doc.schema !== 1) throw new Error(`${RESULTS} has schema ${doc.schema}; this script reads schema 1`);
  if (!flags.has('--force') && !flags.has('--stdout')) {
    if (doc.options?.quick) throw new Error(`${RESULTS} is from a --quick run (a smoke test): run \`npm run bench\` in full, or pass --force`);
    if (!doc.complete) throw new Error(`${RESULTS} is from an incomplete run (a suite failed, timed out or was skipped): pass --force to publish it anyway`);
  }
  const section = `${START}\n${renderReadmeSection(doc)}\n${END}`;
  if (flags.has('--stdout')) {
    process.stdout.write(`${section}\n`);
    return 0;
  }
  const readme = readFileSync(README, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${README} has no ${START} … ${END} markers`);
  const updated = readme.slice(0, from) + section + readme.slice(to + END.length);
  if (flags.has('--check')) {
    if (updated === readme) return 0;
    process.stderr.write(`${README}: the performance section is not what ${RESULTS} gives; run \`npm run bench:readme\`\n`);
    return 1;
  }
  writeFileSync(README, updated);
  process.stdout.write(`${README}: performance section rewritten from ${RESULTS} (run ${doc.runId}, ${doc.startedAt})\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench:readme: ${error.message}\n`);
  process.exitCode = 1;
}
