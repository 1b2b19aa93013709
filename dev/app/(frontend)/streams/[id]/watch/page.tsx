import { ViewerPlayer } from 'payload-plugin-livekit/react'

export const metadata = { title: 'Watch' }

/** The viewer page: player, chat, reactions; paywall without a ticket. */
export default async function WatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <main>
      <p>
        <a href="/streams">← All streams</a>
      </p>
      <ViewerPlayer liveStreamId={id} />
    </main>
  )
}
