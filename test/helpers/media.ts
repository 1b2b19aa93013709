import {
  LocalVideoTrack,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  VideoStream,
} from '@livekit/rtc-node'

/** Connects a headless participant with a token from the plugin. */
export async function connect(serverUrl: string, token: string): Promise<Room> {
  const room = new Room()
  await room.connect(serverUrl, token, { autoSubscribe: true, dynacast: false })
  return room
}

/** Publishes a synthetic 64x64 camera track that keeps sending frames until `stop()`. */
export async function publishSyntheticCamera(room: Room, name = 'camera') {
  const source = new VideoSource(64, 64)
  const track = LocalVideoTrack.createVideoTrack(name, source)
  const options = new TrackPublishOptions()
  options.source = TrackSource.SOURCE_CAMERA
  const publication = await room.localParticipant!.publishTrack(track, options)
  let shade = 0
  const timer = setInterval(() => {
    shade = (shade + 16) % 256
    source.captureFrame(
      new VideoFrame(new Uint8Array(64 * 64 * 4).fill(shade), 64, 64, VideoBufferType.RGBA),
    )
  }, 40)
  return { publication, stop: () => clearInterval(timer) }
}

/** Resolves with the number of frames once `count` video frames arrived from `fromIdentity`. */
export function receiveFrames(
  room: Room,
  fromIdentity: string,
  count: number,
  timeoutMs = 20_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${count} frames from ${fromIdentity} within ${timeoutMs} ms`)),
      timeoutMs,
    )
    const consume = async (track: RemoteTrack) => {
      let frames = 0
      const reader = new VideoStream(track).getReader()
      while (!(await reader.read()).done) {
        frames++
        if (frames >= count) {
          clearTimeout(timer)
          resolve(frames)
          reader.releaseLock()
          return
        }
      }
    }
    for (const participant of room.remoteParticipants.values()) {
      if (participant.identity !== fromIdentity) {
        continue
      }
      for (const pub of participant.trackPublications.values()) {
        if (pub.track && pub.kind === TrackKind.KIND_VIDEO) {
          void consume(pub.track as RemoteTrack)
        }
      }
    }
    room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      if (participant.identity === fromIdentity && track.kind === TrackKind.KIND_VIDEO) {
        void consume(track)
      }
    })
  })
}

/** Waits for an event condition on a room, polling `check`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) {
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms`)
}
