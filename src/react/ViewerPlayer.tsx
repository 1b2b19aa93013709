'use client'
import { LiveKitRoom, RoomAudioRenderer, useConnectionState, useRoomContext, useTracks } from '@livekit/components-react'
import { ConnectionState, DisconnectReason, Track, VideoQuality } from 'livekit-client'
import type React from 'react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { liveStreamApi } from './api.js'
import { ChatPanel, FloatingReactions, useChatAndReactions } from './ChatPanel.js'
import { VIEWER_QUALITIES, type ViewerQuality } from './quality.js'
import { Stage, useViewerCount } from './stage.js'
import { StreamNotice } from './StreamNotice.js'
import { KitStyles } from './styles.js'
import { useLiveStream, type LiveStreamState } from './useLiveStream.js'

/** Props of {@link ViewerPlayer}. */
export interface ViewerPlayerProps {
  /** Id of the `live-streams` document. */
  liveStreamId: string | number
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** Where "Log in" sends a visitor (gets `?next=` with this page). Default `/login`. */
  loginUrl?: string
  /** Reactions offered to viewers. */
  reactions?: readonly string[]
  /** Content over the video (e.g. the site's branding). */
  overlay?: React.ReactNode
  /** Hide the chat column. */
  hideChat?: boolean
}

const QUALITY: Record<Exclude<ViewerQuality, 'auto'>, VideoQuality> = { high: VideoQuality.HIGH, medium: VideoQuality.MEDIUM, low: VideoQuality.LOW }

/**
 * Subscribe-only player for ticket holders and guests: the host's camera (or screen share with the
 * camera in a corner), volume, quality, fullscreen, chat, reactions and raise hand. Without a
 * ticket it shows the paywall; before the start, when it starts; after the end, that it ended.
 */
export function ViewerPlayer(props: ViewerPlayerProps) {
  const live = useLiveStream(props.liveStreamId, { apiBase: props.apiBase })
  const [ended, setEnded] = useState<string | null>(null)
  if (ended) {
    return (
      <div className="plk plk-viewer">
        <KitStyles />
        <div className="plk-notice" role="status">
          <p>{ended}</p>
        </div>
      </div>
    )
  }
  if (live.phase !== 'ready' || !live.join) {
    return (
      <div className="plk plk-viewer">
        <KitStyles />
        <StreamNotice live={live} apiBase={props.apiBase} loginUrl={props.loginUrl} liveStreamId={props.liveStreamId} />
      </div>
    )
  }
  return (
    <div className="plk plk-viewer">
      <KitStyles />
      <LiveKitRoom
        serverUrl={live.join.serverUrl}
        token={live.join.token}
        connect
        audio={false}
        video={false}
        options={{ adaptiveStream: true, dynacast: true }}
        onDisconnected={(reason) => {
          if (reason === DisconnectReason.ROOM_DELETED) setEnded('This live stream has ended. Thank you for watching!')
          else if (reason === DisconnectReason.PARTICIPANT_REMOVED) setEnded('A moderator removed you from this live stream.')
          else if (reason === DisconnectReason.DUPLICATE_IDENTITY) setEnded('You opened this live stream somewhere else, so it stopped here.')
        }}
      >
        <ViewerRoom {...props} live={live} />
      </LiveKitRoom>
    </div>
  )
}

function ViewerRoom(props: ViewerPlayerProps & { live: LiveStreamState }) {
  const room = useRoomContext()
  const connection = useConnectionState()
  const viewers = useViewerCount()
  const chat = useChatAndReactions()
  const [volume, setVolume] = useState(1)
  const [muted, setMuted] = useState(false)
  const [quality, setQuality] = useState<ViewerQuality>('auto')
  const [idle, setIdle] = useState(false)
  const stageRef = useRef<HTMLDivElement>(null)
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const remoteVideo = useTracks([Track.Source.Camera, Track.Source.ScreenShare], { onlySubscribed: true })

  // Controls fade while watching and come back on any movement or key.
  const activity = useCallback(() => {
    setIdle(false)
    clearTimeout(idleTimer.current)
    idleTimer.current = setTimeout(() => setIdle(true), 3000)
  }, [])
  useEffect(() => {
    activity()
    return () => clearTimeout(idleTimer.current)
  }, [activity])

  // A chosen quality caps the simulcast layer of every remote video; `auto` lifts the cap to the
  // top layer again, and adaptive streaming picks within it by player size and bandwidth.
  useEffect(() => {
    for (const ref of remoteVideo) {
      const publication = ref.publication as { setVideoQuality?: (q: VideoQuality) => void } | undefined
      publication?.setVideoQuality?.(quality === 'auto' ? VideoQuality.HIGH : QUALITY[quality])
    }
  }, [quality, remoteVideo])

  const role = props.live.join?.role
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const raiseHand = useCallback((raised: boolean) => api.hand(props.liveStreamId, raised), [api, props.liveStreamId])
  const title = props.live.stream?.title ?? 'Live stream'
  return (
    <div className="plk-layout">
      <div>
        <Stage
          label={`${title}, live video`}
          stageRef={stageRef}
          idle={idle}
          onActivity={activity}
          overlay={props.overlay}
          empty={<p>Waiting for the host to start the camera…</p>}
        >
          {connection === ConnectionState.Reconnecting ? (
            <div className="plk-notice" role="status" style={{ position: 'absolute', inset: 0, background: 'rgba(0,0,0,.6)' }}>
              Reconnecting…
            </div>
          ) : null}
          <FloatingReactions reactions={chat.reactions} />
          <div className="plk-controls" role="toolbar" aria-label="Player controls">
            <span className="plk-badge" data-state="live">● LIVE</span>
            <span data-testid="plk-viewer-count" aria-label={`${viewers} watching`}>
              👁 {viewers}
            </span>
            <button type="button" aria-pressed={muted} onClick={() => setMuted((m) => !m)}>
              {muted ? 'Unmute' : 'Mute'}
            </button>
            <label>
              <span className="plk-sr">Volume</span>
              <input type="range" min={0} max={1} step={0.05} value={volume} aria-label="Volume" onChange={(e) => setVolume(Number(e.target.value))} />
            </label>
            <label>
              <span className="plk-sr">Quality</span>
              <select aria-label="Quality" value={quality} onChange={(e) => setQuality(e.target.value as ViewerQuality)}>
                {VIEWER_QUALITIES.map((q) => (
                  <option key={q} value={q}>
                    {q === 'auto' ? 'Auto' : q[0]!.toUpperCase() + q.slice(1)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              onClick={() => {
                const stage = stageRef.current
                if (!stage) return
                if (document.fullscreenElement) void document.exitFullscreen()
                else void stage.requestFullscreen?.()
              }}
            >
              Fullscreen
            </button>
          </div>
        </Stage>
        <h2 style={{ margin: '10px 0 0' }}>{title}</h2>
        {room.state === ConnectionState.Connecting ? <p className="plk-muted">Connecting…</p> : null}
      </div>
      {props.hideChat ? null : <ChatPanel chat={chat} canChat={role !== 'admin'} reactions={props.reactions} showRaiseHand={role === 'attendee'} onRaiseHand={raiseHand} />}
      <RoomAudioRenderer volume={volume} muted={muted} />
    </div>
  )
}
