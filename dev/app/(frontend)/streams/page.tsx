import { StreamList } from 'payload-plugin-livekit/react'

export const metadata = { title: 'Live streams' }

/** Discovery page: every live stream, filterable by state, from the REST API. */
export default function StreamsPage() {
  return (
    <main>
      <h1>Live streams</h1>
      <StreamList initialState="" />
    </main>
  )
}
