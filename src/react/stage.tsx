'use client'
import type React from 'react'

import {
  type TrackReference,
  useParticipants,
  useTracks,
  VideoTrack,
} from '@livekit/components-react'
import { type Participant, Track } from 'livekit-client'

/** Roles that count as audience in viewer figures (hidden admins are not even listed). */
const AUDIENCE = new Set(['attendee', 'guest'])

/** Whether a participant broadcasts: host, co-host, an attendee brought on stage, or OBS. */
export function onStage(participant: Participant): boolean {
  const role = participant.attributes?.role
  return (
    role === 'host' ||
    role === 'co-host' ||
    participant.attributes?.stage === 'on' ||
    participant.identity.startsWith('ingress-')
  )
}

/** How many viewers are in the room right now, as every page in it sees them. */
export function useViewerCount(): number {
  return useParticipants().filter(
    (p) => AUDIENCE.has(p.attributes?.role ?? 'attendee') && !p.identity.startsWith('ingress-'),
  ).length
}

/** The main picture and the picture-in-picture: a screen share fills the stage, the camera sits in the corner. */
export function useStageTracks(): { main: null | TrackReference; pip: null | TrackReference } {
  const refs = useTracks([Track.Source.ScreenShare, Track.Source.Camera], {
    onlySubscribed: true,
  }).filter(
    (ref): ref is TrackReference =>
      Boolean(ref.publication?.track) && onStage(ref.participant) && !ref.publication?.isMuted,
  )
  const screen = refs.find((r) => r.source === Track.Source.ScreenShare) ?? null
  const cameras = refs.filter((r) => r.source === Track.Source.Camera)
  if (screen) {
    return {
      main: screen,
      pip:
        cameras.find((c) => c.participant.identity === screen.participant.identity) ??
        cameras[0] ??
        null,
    }
  }
  return { main: cameras[0] ?? null, pip: null }
}

/** The stage: main video, camera corner, an overlay slot, and whatever controls the page puts on it. */
export function Stage(props: {
  empty: React.ReactNode
  children?: React.ReactNode
  overlay?: React.ReactNode
  idle?: boolean
  onActivity?: () => void
  stageRef?: React.Ref<HTMLDivElement>
  label: string
}) {
  const { main, pip } = useStageTracks()
  return (
    // Moving over the stage only brings its controls back; nothing is operated by these events.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      aria-label={props.label}
      className="plk-stage"
      data-idle={props.idle ? 'true' : 'false'}
      onKeyDown={props.onActivity}
      onMouseMove={props.onActivity}
      onTouchStart={props.onActivity}
      ref={props.stageRef}
      role="region"
    >
      {main ? (
        <div
          data-source={main.source}
          data-testid="plk-main-video"
          style={{ width: '100%', height: '100%' }}
        >
          <VideoTrack trackRef={main} />
        </div>
      ) : (
        <div className="plk-notice">{props.empty}</div>
      )}
      {pip ? (
        <div className="plk-pip" data-testid="plk-pip-video">
          <VideoTrack trackRef={pip} />
        </div>
      ) : null}
      {props.overlay ? <div className="plk-overlay-slot">{props.overlay}</div> : null}
      {props.children}
    </div>
  )
}
