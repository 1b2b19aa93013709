'use client'
import type React from 'react'

import {
  LiveKitRoom,
  RoomAudioRenderer,
  useConnectionState,
  useRoomContext,
  useTracks,
} from '@livekit/components-react'
import { ConnectionState, DisconnectReason, Track, VideoQuality } from 'livekit-client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import type { DocId } from '../core/ids.js'

import { liveStreamApi } from './api.js'
import { ChatPanel, FloatingReactions, useChatAndReactions } from './ChatPanel.js'
import { type KitLanguageProps, LivekitKitProvider, useKitText } from './LivekitKitProvider.js'
import { VIEWER_QUALITIES, type ViewerQuality } from './quality.js'
import { SpotlightCard } from './SpotlightCard.js'
import { Stage, useViewerCount } from './stage.js'
import { StreamNotice } from './StreamNotice.js'
import { KitStyles } from './styles.js'
import { type LiveStreamState, useLiveStream } from './useLiveStream.js'

/** Props of {@link ViewerPlayer}. */
export interface ViewerPlayerProps extends KitLanguageProps {
  /** Id of the `live-streams` document. */
  liveStreamId: DocId
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
  const [ended, setEnded] = useState<null | string>(null)
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
          apiBase={props.apiBase}
          live={live}
          liveStreamId={props.liveStreamId}
          loginUrl={props.loginUrl}
        />
      </div>
    )
  }
  return (
    <div className="plk plk-viewer">
      <KitStyles />
      <LiveKitRoom
        audio={false}
        connect
        onDisconnected={(reason) => {
          if (reason === DisconnectReason.ROOM_DELETED) {
            setEnded(t('endedThanks'))
          } else if (reason === DisconnectReason.PARTICIPANT_REMOVED) {
            setEnded(t('removedByModerator'))
          } else if (reason === DisconnectReason.DUPLICATE_IDENTITY) {
            setEnded(t('openedElsewhere'))
          }
        }}
        options={{ adaptiveStream: true, dynacast: true }}
        serverUrl={live.join.serverUrl}
        token={live.join.token}
        video={false}
      >
        <ViewerRoom {...props} live={live} />
      </LiveKitRoom>
    </div>
  )
}

function ViewerRoom(props: { live: LiveStreamState } & ViewerPlayerProps) {
  const room = useRoomContext()
  const { t } = useKitText()
  const connection = useConnectionState()
  const viewers = useViewerCount()
  const chat = useChatAndReactions({
    liveStreamId: props.liveStreamId,
    apiBase: props.apiBase,
    guestCredential: props.live.join?.guestCredential,
  })
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
          empty={<p>{t('waitingForHost')}</p>}
          idle={idle}
          label={t('liveVideo', { title })}
          onActivity={activity}
          overlay={props.overlay}
          stageRef={stageRef}
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
          <SpotlightCard
            apiBase={props.apiBase}
            guestCredential={props.live.join?.guestCredential}
            liveStreamId={props.liveStreamId}
          />
          <div aria-label={t('playerControls')} className="plk-controls" role="toolbar">
            <span className="plk-badge" data-state="live">
              {t('liveBadge')}
            </span>
            <span
              aria-label={t('watchingCount', { count: viewers })}
              data-testid="plk-viewer-count"
            >
              👁 {viewers}
            </span>
            <button aria-pressed={muted} onClick={() => setMuted((m) => !m)} type="button">
              {muted ? t('unmute') : t('mute')}
            </button>
            <label>
              <span className="plk-sr">{t('volume')}</span>
              <input
                aria-label={t('volume')}
                max={1}
                min={0}
                onChange={(e) => setVolume(Number(e.target.value))}
                step={0.05}
                type="range"
                value={volume}
              />
            </label>
            <label>
              <span className="plk-sr">{t('quality')}</span>
              <select
                aria-label={t('quality')}
                onChange={(e) => setQuality(e.target.value as ViewerQuality)}
                value={quality}
              >
                {VIEWER_QUALITIES.map((q) => (
                  <option key={q} value={q}>
                    {t(`viewerQuality-${q}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              onClick={() => {
                const stage = stageRef.current
                if (!stage) {
                  return
                }
                if (document.fullscreenElement) {
                  void document.exitFullscreen()
                } else {
                  void stage.requestFullscreen?.()
                }
              }}
              type="button"
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
          canChat={role !== 'admin'}
          chat={chat}
          onRaiseHand={raiseHand}
          reactions={props.reactions}
          showRaiseHand={role === 'attendee'}
        />
      )}
      <RoomAudioRenderer muted={muted} volume={volume} />
    </div>
  )
}
