import { ReplayPlayer } from 'payload-plugin-livekit/react'

export const metadata = { title: 'Replay' }

/** A finished recording with the products shown during the stream as chapters. */
export default async function ReplayPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return (
    <main>
      <p>
        <a href="/streams">← All streams</a>
      </p>
      <ReplayPlayer recordingId={id} />
    </main>
  )
}
