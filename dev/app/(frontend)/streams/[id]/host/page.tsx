import { Broadcaster } from 'payload-plugin-livekit/react'

export const metadata = { title: 'Go live' }

/** The host's studio for one stream (log in as its host first: /login). */
export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <main>
      <p>
        <a href="/streams">← All streams</a> · <a href={`/streams/${id}/watch`}>Viewer page</a>
      </p>
      <Broadcaster liveStreamId={id} />
    </main>
  )
}
