import { expect } from 'vitest'

/** An answer is the plugin's JSON error, `{ error: { code, message } }`, with `code` if given. */
export const expectErrorShape = (answer: { json: Record<string, any> }, code?: string) => {
  expect(typeof answer.json.error?.code).toBe('string')
  expect(typeof answer.json.error?.message).toBe('string')
  if (code) {
    expect(answer.json.error.code).toBe(code)
  }
}
