import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

/**
 * A stripe-mock of the test's own whose balance transactions carry a processing fee (the bundled
 * fixtures say 0), so the fee rules have something to book. The same binary and fixtures as the
 * suite's stripe-mock, with that one value changed.
 */
export async function stripeMockWithFee(
  fee: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const bin = process.env.STRIPE_MOCK_BIN
  const fixtures = process.env.STRIPE_MOCK_FIXTURES
  if (!bin || !fixtures) {
    throw new Error('STRIPE_MOCK_BIN and STRIPE_MOCK_FIXTURES are set by scripts/lib.sh')
  }
  const data = JSON.parse(readFileSync(fixtures, 'utf8')) as {
    resources: Record<string, Record<string, unknown>>
  }
  const transaction = data.resources.balance_transaction
  transaction.fee = fee
  transaction.net = Number(transaction.amount) - fee
  const file = join(tmpdir(), `stripe-mock-fee-${fee}-${process.pid}.json`)
  writeFileSync(file, JSON.stringify(data))
  const port = await freePort()
  // It always serves HTTPS too; on a port of its own, away from the suite's stripe-mock.
  const tlsPort = await freePort()
  const child: ChildProcess = spawn(
    bin,
    ['-http-addr', `127.0.0.1:${port}`, '-https-addr', `127.0.0.1:${tlsPort}`, '-fixtures', file],
    { stdio: 'ignore' },
  )
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/v1/balance`, { headers: { authorization: 'Bearer sk_test_123' } })
      return {
        url,
        close: () =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve())
            child.kill()
          }),
      }
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  child.kill()
  throw new Error('the fee stripe-mock did not start')
}
