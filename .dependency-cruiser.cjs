/**
 * The arrows that must never exist (run by `npm run check`). Features depend on ports and shared
 * pieces (`src/common`), never on each other's internals; the core (`jobs`) knows no notifier,
 * transport or worker.
 */
const FEATURES = 'alerts|api-keys|audit|auth|dashboard|diagnostics|dlq|email|health|jobs|metrics|notifications|progress|queue|reports|results|retention|scheduler|secrets|tenancy|uploads|video|webhooks|workers';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make modules impossible to reason about alone.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-plain',
      severity: 'error',
      comment: 'Domain rules are plain TypeScript: no framework, no database, no other feature.',
      from: { path: '^src/([^/]+)/domain/' },
      to: { pathNot: ['^src/$1/domain/', '^src/common/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'jobs-knows-no-notifier-transport-or-worker',
      severity: 'error',
      comment: 'The job core is used by webhooks, queues, workers and the scheduler; it uses none of them.',
      from: { path: '^src/jobs/' },
      to: {
        path: ['^src/webhooks/', '^src/email/', '^src/workers/', '^src/scheduler/', '^src/queue/', '^src/progress/(adapters|events|sse)/'],
        pathNot: '^src/queue/job-queue\\.port\\.ts$',
      },
    },
    { name: 'results-knows-no-jobs', severity: 'error', from: { path: '^src/results/' }, to: { path: '^src/jobs/' } },
    {
      name: 'database-knows-no-feature',
      severity: 'error',
      from: { path: '^src/database/' },
      to: { path: `^src/(${FEATURES})/` },
    },
    {
      name: 'common-knows-no-feature',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: [`^src/(${FEATURES})/`, '^src/database/', '^src/config/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
