import { floorsEnabled, notFound } from '../floor.js'

// Floor (a): a Next route handler with nothing in it. Dynamic, so every request runs it.
export const dynamic = 'force-dynamic'

export function GET(): Response {
  return floorsEnabled() ? new Response('hello') : notFound()
}
