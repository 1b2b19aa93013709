import { webhookWork } from '../../../../../../bench/floors/webhookWork.js'
import { floorsEnabled, notFound } from '../../floor.js'

// The webhook floor: a Next route handler doing only the irreducible work of a LiveKit delivery.
export const dynamic = 'force-dynamic'

let receive: ReturnType<typeof webhookWork> | undefined

export async function POST(request: Request): Promise<Response> {
  if (!floorsEnabled()) {
    return notFound()
  }
  // The raw body: the signature covers these exact bytes.
  const raw = await request.text()
  receive ??= webhookWork()
  const { status, body } = await receive(request.headers.get('authorization'), raw)
  return new Response(body, {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })
}
