// node bench/cpuprofile-top.js <file.cpuprofile | directory> [--top=25]
//
// Summarizes V8 CPU profiles written by `node --cpu-prof` (see docs/performance.md for the benches' knobs):
// self time by package (node_modules/<name>, longhaul's own dist/<folder>, node: internals, GC, idle) and
// the top functions by self time. Several files (a directory) are added up. For flame graphs, open the same
// files in Chrome DevTools (Performance → Load profile) or any .cpuprofile viewer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(target, name));
}

/** Where a frame's code lives: a package, longhaul's own folder, node internals, or a V8 pseudo-frame. */
function owner({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/([^/]+)\//.exec(url);
  if (own) return `longhaul dist/${own[1]}`;
  return url.replace(/^file:\/\//, '');
}

function summarize(paths, top) {
  const byOwner = new Map();
  const byFunction = new Map();
  let totalMs = 0;
  for (const path of paths) {
    const profile = JSON.parse(readFileSync(path, 'utf8'));
    const durationMs = (profile.endTime - profile.startTime) / 1000;
    const samples = profile.samples?.length || profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const perSampleMs = samples > 0 ? durationMs / samples : 0;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * perSampleMs;
      if (ms === 0) continue;
      totalMs += ms;
      const frame = node.callFrame;
      const who = owner(frame);
      byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
      const key = `${frame.functionName || '(anonymous)'}  ${who}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    }
  }
  const print = (title, map, limit) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      console.log(`  ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
    }
  };
  console.log(`${paths.length} profile(s), ${(totalMs / 1000).toFixed(1)} s sampled (idle included: see "(idle)")`);
  print('self time by package / folder', byOwner, top);
  print(`top ${top} functions by self time`, byFunction, top);
}

const args = process.argv.slice(2);
const target = args.find((arg) => !arg.startsWith('--'));
const top = Number(/^--top=(\d+)$/.exec(args.find((arg) => arg.startsWith('--top=')) ?? '')?.[1] ?? 25);
if (!target) {
  console.error('usage: node bench/cpuprofile-top.js <file.cpuprofile | directory> [--top=25]');
  process.exit(1);
}
summarize(files(target), top);
