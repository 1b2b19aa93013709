'use client'
import {
  LiveKitRoom,
  type LocalUserChoices,
  PreJoin,
  RoomAudioRenderer,
  useConnectionQualityIndicator,
  useLocalParticipant,
  useParticipants,
} from '@livekit/components-react'
import { DisconnectReason, Track } from 'livekit-client'
import { useEffect, useMemo, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { KitMessageKey } from './messages/index.js'

import { liveStreamApi } from './api.js'
import { ChatPanel, FloatingReactions, useChatAndReactions } from './ChatPanel.js'
import { type KitLanguageProps, LivekitKitProvider, useKitText } from './LivekitKitProvider.js'
import { ProductPicker } from './ProductPicker.js'
import { BROADCAST_QUALITIES, broadcastOptions, type BroadcastQuality } from './quality.js'
import { Stage, useViewerCount } from './stage.js'
import { type StatsEntry, type StatsSummary, summarizeStats } from './stats.js'
import { StreamNotice } from './StreamNotice.js'
import { KitStyles } from './styles.js'
import { useLiveStream } from './useLiveStream.js'

/** Props of {@link Broadcaster}. */
export interface BroadcasterProps extends KitLanguageProps {
  /** Id of the `live-streams` document. */
  liveStreamId: DocId
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
 * WebRTC stats panel, recording and go-live to saved destinations, chat, the product picker on live shopping sites,
 * and ending the stream.
 */
export function Broadcaster(props: BroadcasterProps) {
  const live = useLiveStream(props.liveStreamId, { apiBase: props.apiBase })
  const { t } = useKitText(props)
  const [choices, setChoices] = useState<LocalUserChoices | null>(null)
  const [quality, setQuality] = useState<BroadcastQuality>(props.defaultQuality ?? 'medium')
  const [ended, setEnded] = useState<null | string>(null)
  const options = useMemo(() => broadcastOptions(quality), [quality])

  let body
  if (ended) {
    body = (
      <div className="plk-notice" role="status">
        <p>{ended}</p>
      </div>
    )
  } else if (live.phase !== 'ready' || !live.join) {
    body = (
      <StreamNotice
        apiBase={props.apiBase}
        live={live}
        liveStreamId={props.liveStreamId}
        loginUrl={props.loginUrl}
      />
    )
  } else if (live.join.role !== 'host' && live.join.role !== 'co-host') {
    body = (
      <div className="plk-notice" role="alert">
        <p>{t('onlyHostsBroadcast')}</p>
      </div>
    )
  } else if (!choices) {
    body = (
      <div className="plk-prejoin" style={{ padding: 12 }}>
        <h2 style={{ marginTop: 0 }}>{live.stream?.title ?? t('goLive')}</h2>
        <label>
          {t('quality')}{' '}
          <select onChange={(e) => setQuality(e.target.value as BroadcastQuality)} value={quality}>
            {Object.keys(BROADCAST_QUALITIES).map((key) => (
              <option key={key} value={key}>
                {t(`broadcastQuality-${key as BroadcastQuality}`)}
              </option>
            ))}
          </select>
        </label>
        <PreJoin
          camLabel={t('camera')}
          defaults={{ username: live.join.name, videoEnabled: true, audioEnabled: true }}
          joinLabel={t('goLive')}
          micLabel={t('microphone')}
          onSubmit={setChoices}
          persistUserChoices={false}
          userLabel={t('username')}
        />
      </div>
    )
  } else {
    const preset = BROADCAST_QUALITIES[quality]
    body = (
      <LiveKitRoom
        audio={choices.audioEnabled ? { deviceId: choices.audioDeviceId || undefined } : false}
        connect
        onDisconnected={(reason) => {
          if (reason === DisconnectReason.ROOM_DELETED) {
            setEnded(t('streamHasEnded'))
          } else if (reason === DisconnectReason.DUPLICATE_IDENTITY) {
            setEnded(t('wentLiveElsewhere'))
          }
        }}
        options={options}
        serverUrl={live.join.serverUrl}
        token={live.join.token}
        video={
          choices.videoEnabled
            ? {
                deviceId: choices.videoDeviceId || undefined,
                resolution: {
                  width: preset.width,
                  height: preset.height,
                  frameRate: preset.frameRate,
                },
              }
            : false
        }
      >
        <Studio
          apiBase={props.apiBase}
          liveStreamId={props.liveStreamId}
          onEnded={() => (setEnded(t('streamHasEnded')), props.onEnded?.())}
          title={live.stream?.title ?? t('liveStream')}
        />
      </LiveKitRoom>
    )
  }
  return (
    <LivekitKitProvider locale={props.locale} messages={props.messages}>
      <div className="plk plk-broadcaster">
        <KitStyles />
        {body}
      </div>
    </LivekitKitProvider>
  )
}

function Studio(props: {
  liveStreamId: DocId
  apiBase?: string
  title: string
  onEnded: () => void
}) {
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const { t, messages, errorText } = useKitText()
  const { localParticipant, isCameraEnabled, isMicrophoneEnabled, isScreenShareEnabled } =
    useLocalParticipant()
  const { quality } = useConnectionQualityIndicator({ participant: localParticipant })
  // LiveKit's quality names ('excellent', 'good', …); one it adds later shows as LiveKit spells it.
  const qualityKey = `connection-${quality}` as KitMessageKey
  const connection = qualityKey in messages ? t(qualityKey) : String(quality)
  const viewers = useViewerCount()
  const hands = useParticipants().filter((p) => p.attributes?.hand === 'raised')
  const chat = useChatAndReactions({ liveStreamId: props.liveStreamId, apiBase: props.apiBase })
  const [problem, setProblem] = useState<null | string>(null)
  const [busy, setBusy] = useState<null | string>(null)
  const [recording, setRecording] = useState<null | string>(null)
  const [streaming, setStreaming] = useState<null | string>(null)
  const [destinations, setDestinations] = useState<Array<{ id: DocId; name: string }>>([])
  const [chosen, setChosen] = useState<DocId[]>([])
  const [showStats, setShowStats] = useState(false)
  const [stats, setStats] = useState<null | StatsSummary>(null)

  useEffect(() => {
    api.destinations().then(
      (r) => setDestinations(r.docs),
      () => setDestinations([]),
    )
  }, [api])

  // The stats panel samples the camera sender every two seconds while it is open.
  useEffect(() => {
    if (!showStats) {
      return
    }
    let previous: null | StatsSummary = null
    const timer = setInterval(async () => {
      const track =
        localParticipant.getTrackPublication(Track.Source.Camera)?.track ??
        localParticipant.getTrackPublication(Track.Source.ScreenShare)?.track
      const report = await track?.getRTCStatsReport?.()
      if (!report) {
        return
      }
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
      setProblem(errorText(error))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="plk-layout">
      <div>
        <Stage
          empty={<p>{t('cameraOffHint')}</p>}
          label={t('yourBroadcast', { title: props.title })}
        >
          <FloatingReactions reactions={chat.reactions} />
        </Stage>
        <div aria-label={t('broadcastControls')} className="plk-controls" role="toolbar">
          <span className="plk-badge" data-state="live">
            {t('liveBadge')}
          </span>
          <span aria-label={t('watchingCount', { count: viewers })} data-testid="plk-viewer-count">
            👁 {viewers}
          </span>
          <span aria-label={t('connectionAria', { quality: connection })} className="plk-muted">
            {t('connectionText', { quality: connection })}
          </span>
          <button
            aria-pressed={isCameraEnabled}
            onClick={() =>
              void act('camera', () =>
                localParticipant.setCameraEnabled(!isCameraEnabled).then(() => undefined),
              )
            }
            type="button"
          >
            {isCameraEnabled ? t('cameraOn') : t('cameraOff')}
          </button>
          <button
            aria-pressed={isMicrophoneEnabled}
            onClick={() =>
              void act('microphone', () =>
                localParticipant.setMicrophoneEnabled(!isMicrophoneEnabled).then(() => undefined),
              )
            }
            type="button"
          >
            {isMicrophoneEnabled ? t('microphoneOn') : t('microphoneOff')}
          </button>
          <button
            aria-pressed={isScreenShareEnabled}
            onClick={() =>
              void act('screen', () =>
                localParticipant
                  .setScreenShareEnabled(!isScreenShareEnabled, { audio: true })
                  .then(() => undefined),
              )
            }
            type="button"
          >
            {isScreenShareEnabled ? t('stopSharing') : t('shareScreen')}
          </button>
          <button aria-pressed={showStats} onClick={() => setShowStats((s) => !s)} type="button">
            {t('stats')}
          </button>
        </div>
        {showStats ? (
          <dl aria-label={t('connectionStatistics')} className="plk-stats" data-testid="plk-stats">
            <dt>{t('bitrate')}</dt>
            <dd>{stats?.bitrateKbps != null ? `${stats.bitrateKbps} kbps` : '…'}</dd>
            <dt>{t('packetLoss')}</dt>
            <dd>{stats ? `${stats.packetLossPercent}%` : '…'}</dd>
            <dt>{t('frames')}</dt>
            <dd>{stats?.framesPerSecond != null ? `${stats.framesPerSecond} fps` : '…'}</dd>
            <dt>{t('resolution')}</dt>
            <dd>{stats?.resolution ?? '…'}</dd>
            <dt>{t('roundTrip')}</dt>
            <dd>{stats?.roundTripMs != null ? `${stats.roundTripMs} ms` : '…'}</dd>
          </dl>
        ) : null}
        <div aria-label={t('recordingAndStreaming')} className="plk-controls" role="group">
          {recording ? (
            <button
              disabled={busy !== null}
              onClick={() =>
                void act(
                  'record',
                  async () => (
                    await api.stopEgress(props.liveStreamId, recording),
                    setRecording(null)
                  ),
                )
              }
              type="button"
            >
              {t('stopRecording')}
            </button>
          ) : (
            <button
              disabled={busy !== null}
              onClick={() =>
                void act('record', async () =>
                  setRecording(
                    (await api.startEgress(props.liveStreamId, { kind: 'recording' })).egressId,
                  ),
                )
              }
              type="button"
            >
              {busy === 'record' ? t('startingRecording') : t('startRecording')}
            </button>
          )}
          {destinations.length > 0 ? (
            <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 8 }}>
              <legend className="plk-sr">{t('destinations')}</legend>
              {destinations.map((d) => (
                <label key={d.id}>
                  <input
                    checked={chosen.includes(d.id)}
                    disabled={streaming !== null}
                    onChange={(e) =>
                      setChosen((list) =>
                        e.target.checked ? [...list, d.id] : list.filter((x) => x !== d.id),
                      )
                    }
                    type="checkbox"
                  />{' '}
                  {d.name}
                </label>
              ))}
            </fieldset>
          ) : null}
          {streaming ? (
            <button
              disabled={busy !== null}
              onClick={() =>
                void act(
                  'rtmp',
                  async () => (
                    await api.stopEgress(props.liveStreamId, streaming),
                    setStreaming(null)
                  ),
                )
              }
              type="button"
            >
              {t('stopStreamingOut')}
            </button>
          ) : (
            <button
              disabled={busy !== null || chosen.length === 0}
              onClick={() =>
                void act('rtmp', async () =>
                  setStreaming(
                    (
                      await api.startEgress(props.liveStreamId, {
                        kind: 'rtmp',
                        destinations: chosen,
                      })
                    ).egressId,
                  ),
                )
              }
              title={chosen.length === 0 ? t('chooseDestinationFirst') : undefined}
              type="button"
            >
              {chosen.length === 0
                ? t('goLiveToSaved')
                : chosen.length === 1
                  ? t('goLiveToOne')
                  : t('goLiveToMany', { count: chosen.length })}
            </button>
          )}
          <button
            disabled={busy !== null}
            onClick={() => {
              if (!window.confirm(t('confirmEndStream'))) {
                return
              }
              void act('end', async () => {
                await api.end(props.liveStreamId)
                props.onEnded()
              })
            }}
            type="button"
          >
            {t('endStream')}
          </button>
        </div>
        {problem ? (
          <p className="plk-error" data-testid="plk-problem" role="alert">
            {problem}
          </p>
        ) : null}
        {hands.length > 0 ? (
          <p aria-live="polite">
            <span aria-hidden="true">✋</span> {hands.map((p) => p.name || p.identity).join(', ')}
          </p>
        ) : null}
      </div>
      <ChatPanel canChat chat={chat} />
      <ProductPicker apiBase={props.apiBase} liveStreamId={props.liveStreamId} />
      <RoomAudioRenderer />
    </div>
  )
}
