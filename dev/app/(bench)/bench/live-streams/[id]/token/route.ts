import { tokenWork } from '../../../../../../../bench/floors/tokenWork.js'
import { floorsEnabled, notFound } from '../../../floor.js'

// Floor (b): a Next route handler doing only the irreducible work of a join token.
export const dynamic = 'force-dynamic'

let issue: ReturnType<typeof tokenWork> | undefined

export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  if (!floorsEnabled()) {
    return notFound()
  }
  await request.text()
  issue ??= tokenWork()
  const { status, body } = await issue(request.headers.get('authorization'), (await params).id)
  return new Response(body, {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })
}
