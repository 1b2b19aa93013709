// Lint rules as Payload's own repositories and plugin template use them (@payloadcms/eslint-config),
// with the few changes this package needs; Prettier owns formatting (.prettierrc.json).
import payloadEsLintConfig from '@payloadcms/eslint-config'

/** @typedef {import('eslint').Linter.Config} Config */

/** @type {Config[]} */
export default [
  {
    ignores: [
      '**/.*',
      '**/dist/',
      '**/node_modules/',
      '**/.next/',
      'artifacts/',
      // Payload writes these files itself (payload generate:importmap, the app template).
      'dev/app/(payload)/**',
      '**/payload-types.ts',
      '**/next-env.d.ts',
    ],
  },
  ...payloadEsLintConfig,
  {
    rules: {
      // Order is behaviour here: object keys become JSON bodies and CSV columns, option interfaces
      // read in the order a site configures them, Set order is iteration order, and a switch's
      // cases may fall through. Imports, exports and unions stay sorted as in Payload's code.
      'perfectionist/sort-classes': 'off',
      'perfectionist/sort-interfaces': 'off',
      'perfectionist/sort-object-types': 'off',
      'perfectionist/sort-objects': 'off',
      'perfectionist/sort-maps': 'off',
      'perfectionist/sort-sets': 'off',
      'perfectionist/sort-switch-case': 'off',
      // Deprecated upstream; the few emojis the kit shows sit in aria-hidden spans next to text.
      'jsx-a11y/accessible-emoji': 'off',
      // The package's public entry points are named exports; the template turns this off too.
      'no-restricted-exports': 'off',
    },
  },
  {
    languageOptions: {
      parserOptions: {
        sourceType: 'module',
        ecmaVersion: 'latest',
        projectService: { allowDefaultProject: ['*.js', '*.cjs', '*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
]
