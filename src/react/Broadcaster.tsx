'use client'
import {
  LiveKitRoom,
  PreJoin,
  RoomAudioRenderer,
  useConnectionQualityIndicator,
  useLocalParticipant,
  useParticipants,
  type LocalUserChoices,
} from '@livekit/components-react'
import { DisconnectReason, Track } from 'livekit-client'
import { useEffect, useMemo, useState } from 'react'

import { liveStreamApi, LiveStreamApiError } from './api.js'
import { ChatPanel, FloatingReactions, useChatAndReactions } from './ChatPanel.js'
import { BROADCAST_QUALITIES, broadcastOptions, type BroadcastQuality } from './quality.js'
import { Stage, useViewerCount } from './stage.js'
import { summarizeStats, type StatsEntry, type StatsSummary } from './stats.js'
import { StreamNotice } from './StreamNotice.js'
import { KitStyles } from './styles.js'
import { useLiveStream } from './useLiveStream.js'

/** Props of {@link Broadcaster}. */
export interface BroadcasterProps {
  /** Id of the `live-streams` document. */
  liveStreamId: string | number
  /** Payload's API route. Default `/api`. */
  apiBase?: string
  /** Where "Log in" sends a visitor. Default `/login`. */
  loginUrl?: string
  /** Quality preselected in the pre-join screen. Default `medium` (720p). */
  defaultQuality?: BroadcastQuality
  /** Called after the host ended the stream. */
  onEnded?: () => void
}

/**
 * The host's studio: pre-join with device choice and preview, then camera, microphone and screen
 * share (camera in the corner), simulcast quality presets, viewer count, connection quality, a
 * WebRTC stats panel, recording and go-live to saved destinations, chat, and ending the stream.
 */
export function Broadcaster(props: BroadcasterProps) {
  const live = useLiveStream(props.liveStreamId, { apiBase: props.apiBase })
  const [choices, setChoices] = useState<LocalUserChoices | null>(null)
  const [quality, setQuality] = useState<BroadcastQuality>(props.defaultQuality ?? 'medium')
  const [ended, setEnded] = useState<string | null>(null)
  const options = useMemo(() => broadcastOptions(quality), [quality])

  let body
  if (ended) body = <div className="plk-notice" role="status"><p>{ended}</p></div>
  else if (live.phase !== 'ready' || !live.join) body = <StreamNotice live={live} apiBase={props.apiBase} loginUrl={props.loginUrl} liveStreamId={props.liveStreamId} />
  else if (live.join.role !== 'host' && live.join.role !== 'co-host') {
    body = <div className="plk-notice" role="alert"><p>Only the host and co-hosts can broadcast this stream.</p></div>
  } else if (!choices) {
    body = (
      <div className="plk-prejoin" style={{ padding: 12 }}>
        <h2 style={{ marginTop: 0 }}>{live.stream?.title ?? 'Go live'}</h2>
        <label>
          Quality{' '}
          <select value={quality} onChange={(e) => setQuality(e.target.value as BroadcastQuality)}>
            {Object.entries(BROADCAST_QUALITIES).map(([key, preset]) => (
              <option key={key} value={key}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <PreJoin
          persistUserChoices={false}
          joinLabel="Go live"
          micLabel="Microphone"
          camLabel="Camera"
          defaults={{ username: live.join.name, videoEnabled: true, audioEnabled: true }}
          onSubmit={setChoices}
        />
      </div>
    )
  } else {
    const preset = BROADCAST_QUALITIES[quality]
    body = (
      <LiveKitRoom
        serverUrl={live.join.serverUrl}
        token={live.join.token}
        connect
        options={options}
        video={choices.videoEnabled ? { deviceId: choices.videoDeviceId || undefined, resolution: { width: preset.width, height: preset.height, frameRate: preset.frameRate } } : false}
        audio={choices.audioEnabled ? { deviceId: choices.audioDeviceId || undefined } : false}
        onDisconnected={(reason) => {
          if (reason === DisconnectReason.ROOM_DELETED) setEnded('The live stream has ended.')
          else if (reason === DisconnectReason.DUPLICATE_IDENTITY) setEnded('You went live from another window, so this one stopped.')
        }}
      >
        <Studio liveStreamId={props.liveStreamId} apiBase={props.apiBase} title={live.stream?.title ?? 'Live stream'} onEnded={() => (setEnded('The live stream has ended.'), props.onEnded?.())} />
      </LiveKitRoom>
    )
  }
  return (
    <div className="plk plk-broadcaster">
      <KitStyles />
      {body}
    </div>
  )
}

function Studio(props: { liveStreamId: string | number; apiBase?: string; title: string; onEnded: () => void }) {
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const { localParticipant, isCameraEnabled, isMicrophoneEnabled, isScreenShareEnabled } = useLocalParticipant()
  const { quality } = useConnectionQualityIndicator({ participant: localParticipant })
  const viewers = useViewerCount()
  const hands = useParticipants().filter((p) => p.attributes?.hand === 'raised')
  const chat = useChatAndReactions()
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [recording, setRecording] = useState<string | null>(null)
  const [streaming, setStreaming] = useState<string | null>(null)
  const [destinations, setDestinations] = useState<Array<{ id: string | number; name: string }>>([])
  const [chosen, setChosen] = useState<Array<string | number>>([])
  const [showStats, setShowStats] = useState(false)
  const [stats, setStats] = useState<StatsSummary | null>(null)

  useEffect(() => {
    api.destinations().then((r) => setDestinations(r.docs), () => setDestinations([]))
  }, [api])

  // The stats panel samples the camera sender every two seconds while it is open.
  useEffect(() => {
    if (!showStats) return
    let previous: StatsSummary | null = null
    const timer = setInterval(async () => {
      const track = localParticipant.getTrackPublication(Track.Source.Camera)?.track ?? localParticipant.getTrackPublication(Track.Source.ScreenShare)?.track
      const report = await track?.getRTCStatsReport?.()
      if (!report) return
      previous = summarizeStats(Array.from(report.values()) as StatsEntry[], previous)
      setStats(previous)
    }, 2000)
    return () => clearInterval(timer)
  }, [showStats, localParticipant])

  async function act(name: string, run: () => Promise<void>) {
    setBusy(name)
    setProblem(null)
    try {
      await run()
    } catch (error) {
      setProblem(error instanceof LiveStreamApiError || error instanceof Error ? error.message : String(error))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="plk-layout">
      <div>
        <Stage label={`${props.title}, your broadcast`} empty={<p>Your camera is off. Turn it on or share your screen.</p>}>
          <FloatingReactions reactions={chat.reactions} />
        </Stage>
        <div className="plk-controls" role="toolbar" aria-label="Broadcast controls">
          <span className="plk-badge" data-state="live">● LIVE</span>
          <span data-testid="plk-viewer-count" aria-label={`${viewers} watching`}>
            👁 {viewers}
          </span>
          <span className="plk-muted" aria-label={`Connection ${quality}`}>
            Connection: {quality}
          </span>
          <button type="button" aria-pressed={isCameraEnabled} onClick={() => void act('camera', () => localParticipant.setCameraEnabled(!isCameraEnabled).then(() => undefined))}>
            {isCameraEnabled ? 'Camera on' : 'Camera off'}
          </button>
          <button type="button" aria-pressed={isMicrophoneEnabled} onClick={() => void act('microphone', () => localParticipant.setMicrophoneEnabled(!isMicrophoneEnabled).then(() => undefined))}>
            {isMicrophoneEnabled ? 'Microphone on' : 'Microphone off'}
          </button>
          <button type="button" aria-pressed={isScreenShareEnabled} onClick={() => void act('screen', () => localParticipant.setScreenShareEnabled(!isScreenShareEnabled, { audio: true }).then(() => undefined))}>
            {isScreenShareEnabled ? 'Stop sharing' : 'Share screen'}
          </button>
          <button type="button" aria-pressed={showStats} onClick={() => setShowStats((s) => !s)}>
            Stats
          </button>
        </div>
        {showStats ? (
          <dl className="plk-stats" aria-label="Connection statistics" data-testid="plk-stats">
            <dt>Bitrate</dt>
            <dd>{stats?.bitrateKbps != null ? `${stats.bitrateKbps} kbps` : '…'}</dd>
            <dt>Packet loss</dt>
            <dd>{stats ? `${stats.packetLossPercent}%` : '…'}</dd>
            <dt>Frames</dt>
            <dd>{stats?.framesPerSecond != null ? `${stats.framesPerSecond} fps` : '…'}</dd>
            <dt>Resolution</dt>
            <dd>{stats?.resolution ?? '…'}</dd>
            <dt>Round trip</dt>
            <dd>{stats?.roundTripMs != null ? `${stats.roundTripMs} ms` : '…'}</dd>
          </dl>
        ) : null}
        <div className="plk-controls" role="group" aria-label="Recording and streaming">
          {recording ? (
            <button type="button" disabled={busy !== null} onClick={() => void act('record', async () => (await api.stopEgress(props.liveStreamId, recording), setRecording(null)))}>
              Stop recording
            </button>
          ) : (
            <button type="button" disabled={busy !== null} onClick={() => void act('record', async () => setRecording((await api.startEgress(props.liveStreamId, { kind: 'recording' })).egressId))}>
              {busy === 'record' ? 'Starting recording…' : 'Start recording'}
            </button>
          )}
          {destinations.length > 0 ? (
            <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 8 }}>
              <legend className="plk-sr">Destinations</legend>
              {destinations.map((d) => (
                <label key={d.id}>
                  <input
                    type="checkbox"
                    checked={chosen.includes(d.id)}
                    disabled={streaming !== null}
                    onChange={(e) => setChosen((list) => (e.target.checked ? [...list, d.id] : list.filter((x) => x !== d.id)))}
                  />{' '}
                  {d.name}
                </label>
              ))}
            </fieldset>
          ) : null}
          {streaming ? (
            <button type="button" disabled={busy !== null} onClick={() => void act('rtmp', async () => (await api.stopEgress(props.liveStreamId, streaming), setStreaming(null)))}>
              Stop streaming out
            </button>
          ) : (
            <button
              type="button"
              disabled={busy !== null || chosen.length === 0}
              title={chosen.length === 0 ? 'Choose a saved destination first' : undefined}
              onClick={() => void act('rtmp', async () => setStreaming((await api.startEgress(props.liveStreamId, { kind: 'rtmp', destinations: chosen })).egressId))}
            >
              Go live to {chosen.length || 'saved'} destination{chosen.length === 1 ? '' : 's'}
            </button>
          )}
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => {
              if (!window.confirm('End the live stream for everyone?')) return
              void act('end', async () => {
                await api.end(props.liveStreamId)
                props.onEnded()
              })
            }}
          >
            End stream
          </button>
        </div>
        {problem ? (
          <p className="plk-error" role="alert" data-testid="plk-problem">
            {problem}
          </p>
        ) : null}
        {hands.length > 0 ? (
          <p aria-live="polite">✋ {hands.map((p) => p.name || p.identity).join(', ')}</p>
        ) : null}
      </div>
      <ChatPanel chat={chat} canChat />
      <RoomAudioRenderer />
    </div>
  )
}
