'use client'
import { useEffect, useMemo, useRef, useState } from 'react'

import type { DocId } from '../core/ids.js'
import type { ReplayChapter } from '../recordings/replayChapters.js'

import { liveStreamApi, type Replay } from './api.js'
import { type KitLanguageProps, useKitText } from './LivekitKitProvider.js'
import { KitStyles } from './styles.js'

/** Props of {@link ReplayPlayer}. */
export interface ReplayPlayerProps extends KitLanguageProps {
  /** The finished recording to play. */
  recordingId: DocId
  /** Payload's API route. Default `/api`. */
  apiBase?: string
}

/** Seconds as m:ss (h:mm:ss past an hour), the way players label a position. */
export function chapterTime(seconds: number): string {
  const whole = Math.floor(seconds)
  const h = Math.floor(whole / 3600)
  const m = Math.floor((whole % 3600) / 60)
  const s = String(whole % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/**
 * The replay of a finished recording for the people who may watch it, with the products shown
 * during the stream as chapters: choosing one seeks the video to the moment it went up. The
 * refusals of the playback endpoint (no ticket, window closed, not ready) show as the kit's text.
 */
export function ReplayPlayer(props: ReplayPlayerProps) {
  const { t, errorText } = useKitText(props)
  const api = useMemo(() => liveStreamApi(props.apiBase), [props.apiBase])
  const [replay, setReplay] = useState<null | Replay>(null)
  const [problem, setProblem] = useState<null | string>(null)
  const video = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    let current = true
    setReplay(null)
    setProblem(null)
    api.replay(props.recordingId).then(
      (found) => current && setReplay(found),
      (error: unknown) => current && setProblem(errorText(error)),
    )
    return () => {
      current = false
    }
  }, [api, props.recordingId, errorText])

  const seek = (chapter: ReplayChapter) => {
    const el = video.current
    if (el) {
      el.currentTime = chapter.atSeconds
      void el.play().catch(() => undefined)
    }
  }
  // Browsers other than Safari cannot play an HLS playlist in a <video> on their own.
  const plays = replay && (replay.format === 'mp4' || canPlayHls())
  return (
    <section aria-label={t('replay')} className="plk-replay" data-testid="plk-replay">
      <KitStyles />
      {!replay ? (
        <p role={problem ? 'alert' : 'status'}>{problem ?? t('replayLoading')}</p>
      ) : plays ? (
        // LiveKit's egress writes no caption track.
        // eslint-disable-next-line jsx-a11y/media-has-caption
        <video
          controls
          data-testid="plk-replay-video"
          preload="auto"
          ref={video}
          src={replay.url}
        />
      ) : (
        <a href={replay.url} rel="noreferrer" target="_blank">
          {t('replayHls')}
        </a>
      )}
      {replay && plays && replay.chapters.length > 0 ? (
        <nav aria-label={t('replayChapters')}>
          <h3>{t('replayChapters')}</h3>
          <ol className="plk-chapters">
            {replay.chapters.map((chapter) => (
              <li key={chapter.pinId}>
                <button
                  data-testid="plk-replay-chapter"
                  onClick={() => seek(chapter)}
                  type="button"
                >
                  <time>{chapterTime(chapter.atSeconds)}</time> {chapter.title}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </section>
  )
}

function canPlayHls(): boolean {
  return (
    typeof document !== 'undefined' &&
    document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== ''
  )
}
