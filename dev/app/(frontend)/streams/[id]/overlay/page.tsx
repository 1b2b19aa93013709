import config from '@payload-config'
import { getPayload } from 'payload'
import { CompositeView } from 'payload-plugin-livekit/react'

export const dynamic = 'force-dynamic'

/**
 * The composite overlay LiveKit's web egress records (`egress.overlayUrl` points here). The title
 * in the corner is the site's own overlay content.
 */
export default async function OverlayPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const payload = await getPayload({ config })
  const stream = await payload.findByID({
    collection: 'live-streams',
    id,
    depth: 0,
    disableErrors: true,
  })
  return (
    <CompositeView>
      <div
        style={{
          margin: 16,
          padding: '6px 12px',
          background: 'rgba(0,0,0,.55)',
          color: '#fff',
          display: 'inline-block',
          borderRadius: 6,
          fontFamily: 'system-ui',
        }}
      >
        {String(stream?.title ?? 'Live')}
      </div>
    </CompositeView>
  )
}
