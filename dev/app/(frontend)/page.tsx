import config from '@payload-config'
import { getPayload } from 'payload'
import { StreamStateBadge } from 'payload-plugin-livekit/rsc'

export const dynamic = 'force-dynamic'

/** Demo home: the upcoming live streams with their state, straight from the plugin's collection. */
export default async function Home() {
  const payload = await getPayload({ config })
  const streams = await payload.find({
    collection: 'live-streams',
    sort: 'scheduledStart',
    limit: 20,
    depth: 0,
  })
  return (
    <main>
      <h1>payload-plugin-livekit demo</h1>
      <p>
        <a href="/admin">Admin panel</a> · <a href="/streams">Live streams</a> ·{' '}
        <a href="/login">Log in</a>
      </p>
      <ul>
        {streams.docs.map((stream) => (
          <li key={stream.id}>
            <StreamStateBadge state={stream.state as string} />{' '}
            {String(stream.title ?? stream.roomName)} —{' '}
            {stream.scheduledStart
              ? new Date(stream.scheduledStart as string).toLocaleString()
              : 'unscheduled'}
          </li>
        ))}
      </ul>
    </main>
  )
}
