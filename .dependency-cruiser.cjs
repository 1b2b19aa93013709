/**
 * The plugin's dependency rules, checked in CI by `npm run lint` (dependency-cruiser).
 * Runtime imports go one way; type-only imports may cross (they vanish when compiled).
 * ARCHITECTURE.md explains the layers these rules keep apart.
 */
const runtimeOnly = { dependencyTypesNot: ['type-only'] }

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'A runtime import cycle makes load order matter and ties every module in it together.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: runtimeOnly },
    },
    {
      name: 'core-is-pure',
      comment: 'src/core holds the product rules as pure functions: no Payload, no SDKs, no I/O.',
      severity: 'error',
      from: { path: '^src/core/' },
      // Node's own modules (hashing, for instance) are allowed: they do no I/O here.
      to: { dependencyTypesNot: ['type-only', 'core'], pathNot: ['^src/core/'] },
    },
    {
      name: 'livekit-sdk-stays-in-livekit',
      comment:
        'Only src/livekit talks to the LiveKit server SDK; the rest of the plugin uses its port.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/livekit/' },
      to: { path: 'livekit-server-sdk' },
    },
    {
      name: 'kit-does-not-import-admin',
      comment:
        "The React kit runs on the site's own pages, where Payload's admin UI is not loaded.",
      severity: 'error',
      from: { path: '^src/react/' },
      to: { path: ['^src/admin/', '@payloadcms/'] },
    },
    {
      name: 'ui-does-not-import-server',
      comment:
        'Client components must not pull server modules (Payload operations, database code) into the browser bundle.',
      severity: 'error',
      from: {
        path: ['^src/react/', '^src/admin/[^/]+\\.tsx$'],
        pathNot: ['^src/admin/(LedgerView|LiveNowPanel)\\.tsx$'],
      },
      to: {
        ...runtimeOnly,
        path: '^src/',
        pathNot: ['^src/(core|react|admin|i18n)/'],
      },
    },
    {
      name: 'domain-knows-no-http',
      comment: 'Only the HTTP layer and endpoint files know status codes and Request/Response.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/http/', '/endpoints/', '^src/(exports|index)', '^src/plugin\\.ts$'],
      },
      to: { ...runtimeOnly, path: '^src/http/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: ['\\.spec\\.tsx?$'] },
  },
}
