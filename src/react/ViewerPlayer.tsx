'use client'
import {
  LiveKitRoom,
  RoomAudioRenderer,
  useConnectionState,
  useRoomContext,
  useTracks,
} from '@livekit/components-react'
import { ConnectionState, DisconnectReason, Track, VideoQuality } from 'livekit-client'
import type React from 'react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { liveStreamApi } from './api.js'
import { ChatPanel, FloatingReactions, useChatAndReactions } from './ChatPanel.js'
import { LivekitKitProvider, useKitText, type KitLanguageProps } from './LivekitKitProvider.js'
import { VIEWER_QUALITIES, type ViewerQuality } from './quality.js'
import { Stage, useViewerCount } from './stage.js'
import { StreamNotice } from './StreamNotice.js'
import { KitStyles } from './styles.js'
import { useLiveStream, type LiveStreamState } from './useLiveStream.js'

/** Props of {@link ViewerPlayer}. */
export interface ViewerPlayerProps extends KitLanguageProps {
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

const QUALITY: Record<Exclude<ViewerQuality, 'auto'>, VideoQuality> = {
  high: VideoQuality.HIGH,
  medium: VideoQuality.MEDIUM,
  low: VideoQuality.LOW,
}

/**
 * Subscribe-only player for ticket holders and guests: the host's camera (or screen share with the
 * camera in a corner), volume, quality, fullscreen, chat, reactions and raise hand. Without a
 * ticket it shows the paywall; before the start, when it starts; after the end, that it ended.
 */
export function ViewerPlayer(props: ViewerPlayerProps) {
  return (
    <LivekitKitProvider locale={props.locale} messages={props.messages}>
      <Viewer {...props} />
    </LivekitKitProvider>
  )
}

function Viewer(props: ViewerPlayerProps) {
  const live = useLiveStream(props.liveStreamId, { apiBase: props.apiBase })
  const { t } = useKitText()
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
        <StreamNotice
          live={live}
          apiBase={props.apiBase}
          loginUrl={props.loginUrl}
          liveStreamId={props.liveStreamId}
        />
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
          if (reason === DisconnectReason.ROOM_DELETED) setEnded(t('endedThanks'))
          else if (reason === DisconnectReason.PARTICIPANT_REMOVED)
            setEnded(t('removedByModerator'))
          else if (reason === DisconnectReason.DUPLICATE_IDENTITY) setEnded(t('openedElsewhere'))
        }}
      >
        <ViewerRoom {...props} live={live} />
      </LiveKitRoom>
    </div>
  )
}

function ViewerRoom(props: ViewerPlayerProps & { live: LiveStreamState }) {
  const room = useRoomContext()
  const { t } = useKitText()
  const connection = useConnectionState()
  const viewers = useViewerCount()
  const chat = useChatAndReactions()
  const [volume, setVolume] = useState(1)
  const [muted, setMuted] = useState(false)
  const [quality, setQuality] = useState<ViewerQuality>('auto')
  const [idle, setIdle] = useState(false)
  const stageRef = useRef<HTMLDivElement>(null)
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const remoteVideo = useTracks([Track.Source.Camera, Track.Source.ScreenShare], {
    onlySubscribed: true,
  })

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
      const publication = ref.publication as
        { setVideoQuality?: (q: VideoQuality) => void } | undefined
      publication?.setVideoQuality?.(quality === 'auto' ? VideoQuality.HIGH : QUALITY[quality])
    }
  }, [quality, remoteVideo])

  const role = props.live.join?.role
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const raiseHand = useCallback(
    (raised: boolean) => api.hand(props.liveStreamId, raised),
    [api, props.liveStreamId],
  )
  const title = props.live.stream?.title ?? t('liveStream')
  return (
    <div className="plk-layout">
      <div>
        <Stage
          label={t('liveVideo', { title })}
          stageRef={stageRef}
          idle={idle}
          onActivity={activity}
          overlay={props.overlay}
          empty={<p>{t('waitingForHost')}</p>}
        >
          {connection === ConnectionState.Reconnecting ? (
            <div
              className="plk-notice"
              role="status"
              style={{ position: 'absolute', inset: 0, background: 'rgba(0,0,0,.6)' }}
            >
              {t('reconnecting')}
            </div>
          ) : null}
          <FloatingReactions reactions={chat.reactions} />
          <div className="plk-controls" role="toolbar" aria-label={t('playerControls')}>
            <span className="plk-badge" data-state="live">
              {t('liveBadge')}
            </span>
            <span
              data-testid="plk-viewer-count"
              aria-label={t('watchingCount', { count: viewers })}
            >
              👁 {viewers}
            </span>
            <button type="button" aria-pressed={muted} onClick={() => setMuted((m) => !m)}>
              {muted ? t('unmute') : t('mute')}
            </button>
            <label>
              <span className="plk-sr">{t('volume')}</span>
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={volume}
                aria-label={t('volume')}
                onChange={(e) => setVolume(Number(e.target.value))}
              />
            </label>
            <label>
              <span className="plk-sr">{t('quality')}</span>
              <select
                aria-label={t('quality')}
                value={quality}
                onChange={(e) => setQuality(e.target.value as ViewerQuality)}
              >
                {VIEWER_QUALITIES.map((q) => (
                  <option key={q} value={q}>
                    {t(`viewerQuality-${q}`)}
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
              {t('fullscreen')}
            </button>
          </div>
        </Stage>
        <h2 style={{ margin: '10px 0 0' }}>{title}</h2>
        {room.state === ConnectionState.Connecting ? (
          <p className="plk-muted">{t('connecting')}</p>
        ) : null}
      </div>
      {props.hideChat ? null : (
        <ChatPanel
          chat={chat}
          canChat={role !== 'admin'}
          reactions={props.reactions}
          showRaiseHand={role === 'attendee'}
          onRaiseHand={raiseHand}
        />
      )}
      <RoomAudioRenderer volume={volume} muted={muted} />
    </div>
  )
}
