// Adds up the vitest JSON reports of one `npm test` run and prints each failed test (its suite,
// file, name and the first lines of its error), then the closing line "N passed, N failed" (CI
// reads it). Exits non-zero when a suite failed or did not report.
import { existsSync, readFileSync } from 'node:fs'

let passed = 0
let failed = 0
let skipped = 0
let missing = 0
const failures = []
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no report at ${file}: that suite did not run to the end`)
    missing++
    continue
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  // A file that failed to load counts as one failure even when no test in it ran.
  failed += report.numFailedTests || (report.success === false ? 1 : 0)
  skipped += report.numPendingTests + report.numTodoTests
  const suite = file.replace(/^.*\//, '').replace(/\.json$/, '')
  for (const result of report.testResults ?? []) {
    const where = String(result.name ?? '').replace(/^.*?\/(test|src)\//, '$1/')
    const failedTests = (result.assertionResults ?? []).filter((t) => t.status === 'failed')
    for (const t of failedTests) {
      failures.push({ suite, where, name: t.fullName ?? t.title, error: t.failureMessages?.[0] })
    }
    if (!failedTests.length && result.status === 'failed') {
      failures.push({ suite, where, name: '(the file failed to load)', error: result.message })
    }
  }
}
for (const f of failures) {
  const error = String(f.error ?? '')
    .split('\n')
    .slice(0, 3)
    .map((line) => `    ${line.slice(0, 300)}`)
    .join('\n')
  console.log(`FAILED [${f.suite}] ${f.where} > ${f.name}\n${error}`)
}
// The lint step (ESLint, Prettier, dependency rules) counts as one check of its own.
if (process.env.LINT_STATUS !== undefined) {
  if (process.env.LINT_STATUS === '0') passed++
  else {
    console.error('lint failed: see artifacts/logs/lint.log')
    failed++
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || missing > 0 || passed === 0 ? 1 : 0)
